package inventory

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"portschema/generators/portdoc"
	"portschema/schema"
)

const source = `package platform

platform: name: "demo"
ranges: {
	core: {from: 3000, to: 3009, purpose: "Core"}
	web:  {from: 5000, to: 5003, purpose: "Web"}
}
hosts: {
	mini: {title: "Mini", kind: "compose", address: "10.0.0.1", compose: project: "demo"}
	gpu:  {title: "GPU", kind: "scheduled-task", address: "10.0.0.2"}
}
services: auth: {host: "mini", port: 3001, range: "core", ports: dns: {port: 5001, protocol: "udp"}}
services: cache: {host: "mini", port: 3002, range: "core", publish: false}
services: old: {host: "mini", port: 3005, range: "core", deployed: false}
services: site: {host: "mini", port: 5000, range: "web", host_ips: ["127.0.0.1"]}
services: stt: {host: "gpu", port: 3030, range: "core", planned: port: 3003}
`

func load(t *testing.T, src string) *schema.Platform {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, schema.SourceDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, schema.SourceDir, "platform.cue"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestTakeEveryHost(t *testing.T) {
	inv, err := Take(load(t, source), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range inv.Ports {
		got = append(got, strings.Join([]string{p.Host, portText(p), p.Service, p.Range, plannedText(p), noteText(p)}, " "))
	}
	want := []string{
		"gpu 3030/tcp stt core 3003 outside its range",
		"mini 3001/tcp auth core - ",
		"mini 3002/tcp cache core - not published",
		"mini 3005/tcp old core - not deployed",
		"mini 5000/tcp site web - only on 127.0.0.1",
		"mini 5001/udp auth:dns web - ",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ports:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	core := inv.Ranges[0]
	if core.Name != "core" || !reflect.DeepEqual(core.Free, []int{3000, 3004, 3006, 3007, 3008, 3009}) || core.Used != 4 {
		t.Errorf("core: %+v", core)
	}
	if web := inv.Ranges[1]; !reflect.DeepEqual(web.Free, []int{5002, 5003}) || web.Percent() != 50 {
		t.Errorf("web: %+v", web)
	}
}

// On the GPU box, mini's service that is not deployed leaves its port
// free; the deployed ones do not (a laptop runs them all).
func TestTakeOneHost(t *testing.T) {
	p := load(t, source)
	inv, err := Take(p, Filter{Host: "gpu", Range: "core"})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Ports) != 1 || inv.Ports[0].Service != "stt" {
		t.Errorf("ports on gpu: %+v", inv.Ports)
	}
	if len(inv.Ranges) != 1 || !reflect.DeepEqual(inv.Ranges[0].Free, []int{3000, 3004, 3005, 3006, 3007, 3008, 3009}) {
		t.Errorf("ranges on gpu: %+v", inv.Ranges)
	}
	for host, want := range map[string]int{"gpu": 3000, "": 3000, "mini": 3000} {
		if got, err := Next(p, host, "core"); err != nil || got != want {
			t.Errorf("Next(%q, core) = %d, %v; want %d", host, got, err, want)
		}
	}
}

func TestNextErrors(t *testing.T) {
	p := load(t, source)
	if _, err := Next(p, "gpux", "core"); err == nil || err.Error() != `unknown host "gpux" (did you mean "gpu"?)` {
		t.Errorf("unknown host: %v", err)
	}
	if _, err := Next(p, "", "cor"); err == nil || err.Error() != `unknown range "cor" (did you mean "core"?)` {
		t.Errorf("unknown range: %v", err)
	}
	if _, err := Next(p, "", ""); err == nil {
		t.Error("no range: no error")
	}
	full := strings.Replace(source, `web:  {from: 5000, to: 5003`, `web:  {from: 5000, to: 5001`, 1)
	_, err := Next(load(t, full), "mini", "web")
	var fe *FullError
	if !errors.As(err, &fe) || err.Error() != "range web (5000-5001) has no free port on host mini" {
		t.Errorf("full range: %v", err)
	}
}

// The free ports on every host are the ones the port document lists as
// free: one meaning of free across the tool.
func TestFreeAgreesWithThePortDocument(t *testing.T) {
	p, err := schema.Load("../../..")
	if err != nil {
		t.Fatal(err)
	}
	inv, err := Take(p, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	doc := portdoc.Build(p)
	for i, r := range doc.Ranges {
		if got := inv.Ranges[i]; got.Name != r.Name || len(got.Free) != r.Free {
			t.Errorf("range %s: %d free, the port document says %d", r.Name, len(got.Free), r.Free)
		}
	}
}

func TestText(t *testing.T) {
	p := load(t, source)
	inv, _ := Take(p, Filter{Host: "mini"})
	want := `on host mini:
HOST  ADDRESS   PORT      SERVICE   RANGE  PLANNED  NOTE
mini  10.0.0.1  3001/tcp  auth      core   -
mini  10.0.0.1  3002/tcp  cache     core   -        not published
mini  10.0.0.1  3005/tcp  old       core   -        not deployed
mini  10.0.0.1  5000/tcp  site      web    -        only on 127.0.0.1
mini  10.0.0.1  5001/udp  auth:dns  web    -

RANGE  PORTS      USED           FREE
core   3000-3009  4 of 10 (40%)  3000, 3004, 3006-3009
web    5000-5003  2 of 4 (50%)   5002-5003
`
	if got := string(inv.Text()); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
}
