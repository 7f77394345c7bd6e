package schema

import (
	"reflect"
	"strings"
	"testing"
)

// TestFreePorts: a port is free on a host unless a service there has it
// (published or not, deployed or not) or plans it, or a deployed
// service elsewhere has or plans it; on every host, unless any service
// has or plans it.
func TestFreePorts(t *testing.T) {
	root := writeSource(t, map[string]string{"base.cue": base, "services.cue": `package platform

services: a: {host: "mini", port: 3000, range: "core"}
services: b: {host: "mini", port: 3001, range: "core", publish: false, ports: admin: {port: 3002, publish: false}}
services: c: {host: "mini", port: 3003, range: "core", deployed: false}
services: d: {host: "mini", port: 3030, range: "apps", planned: {port: 3004, range: "core"}}
services: e: {host: "gpu", port: 3005, range: "core"}
services: f: {host: "gpu", port: 3006, range: "core", deployed: false, planned: port: 3007}
services: g: {host: "gpu", port: 3008, range: "core", planned: port: 3009}
`})
	p, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	core := p.Range("core")
	cases := []struct {
		host string
		want []int
	}{
		// mini: 3000-3004 its own, 3005, 3008 and 3009 deployed on gpu.
		{"mini", []int{3006, 3007}},
		// gpu: 3005-3009 its own, 3000-3002 and 3004 deployed on mini.
		{"gpu", []int{3003}},
		{"", nil},
		{"dark", []int{3003, 3006, 3007}},
	}
	for _, tc := range cases {
		if got := p.FreePorts(core, tc.host); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("FreePorts(core, %q) = %v, want %v", tc.host, got, tc.want)
		}
		next, ok := p.NextFreePort(core, tc.host)
		if ok != (len(tc.want) > 0) || (ok && next != tc.want[0]) {
			t.Errorf("NextFreePort(core, %q) = %d, %v; want the first of %v", tc.host, next, ok, tc.want)
		}
	}
	if got := p.FreePorts(nil, "mini"); got != nil {
		t.Errorf("FreePorts of no range = %v", got)
	}
}

// TestPortErrorsSuggestAFreePort: the collision and out-of-range errors
// name the port to take instead, which loads clean when taken.
func TestPortErrorsSuggestAFreePort(t *testing.T) {
	ds := loadDiagnostics(t, `
services: a: {host: "mini", port: 3001, range: "core"}
services: b: {host: "mini", port: 3001, range: "core"}
services: c: {host: "mini", port: 3020, range: "core"}
services: d: {host: "mini", port: 3000, range: "core", ports: metrics: port: 3001}
`)
	want := []string{
		"b: port 3001 on host mini is already taken by a; 3002 is free in range core",
		"c: port 3020 is outside range core (3000-3009); move it (3002 is free), plan a slot",
		"d:metrics: port 3001 on host mini is already taken by a; 3002 is free in range core",
	}
	for _, w := range want {
		if !strings.Contains(ds.Error(), w) {
			t.Errorf("no error containing %q in:\n%v", w, ds)
		}
	}
	// Taking the suggestion clears both errors of a and b.
	ds = loadDiagnostics(t, `
services: a: {host: "mini", port: 3001, range: "core"}
services: b: {host: "mini", port: 3001, range: "core"}
`)
	if len(ds) != 1 {
		t.Fatalf("want one error, got:\n%v", ds)
	}
	_, hint, _ := strings.Cut(ds[0].Message, "; ")
	port, _, _ := strings.Cut(hint, " ")
	if ds = loadDiagnostics(t, `
services: a: {host: "mini", port: 3001, range: "core"}
services: b: {host: "mini", port: `+port+`, range: "core"}
`); len(ds) != 0 {
		t.Errorf("the suggested port %s does not load clean:\n%v", port, ds)
	}
}
