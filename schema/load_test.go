package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// base is a valid platform the cases below extend or break.
const base = `package platform

platform: name: "demo"
ranges: {
	core: {from: 3000, to: 3009, purpose: "core"}
	apps: {from: 3030, to: 3049, purpose: "apps"}
	web:  {from: 5000, to: 5049, purpose: "web"}
}
hosts: {
	mini: {title: "Mini", kind: "compose", address: "10.0.0.1", compose: project: "demo"}
	gpu:  {title: "GPU", kind: "scheduled-task", address: "10.0.0.2"}
	dark: {title: "Dark", kind: "manual", reach: "none"}
}
`

// writeSource lays out a project root whose schema/ holds the files.
func writeSource(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		path := filepath.Join(root, SourceDir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func loadDiagnostics(t *testing.T, services string) Diagnostics {
	t.Helper()
	root := writeSource(t, map[string]string{"base.cue": base, "services.cue": "package platform\n\n" + strings.TrimPrefix(services, "\n")})
	_, err := Load(root)
	var ds Diagnostics
	if err != nil && !errors.As(err, &ds) {
		t.Fatalf("not a source problem: %v", err)
	}
	return ds
}

func TestValidSourceLoads(t *testing.T) {
	root := writeSource(t, map[string]string{"base.cue": base, "services.cue": `package platform

services: auth: {host: "mini", port: 3001, range: "core", port_env: "PORT", needs: ["db"], secrets: ["KEY", {env: "B", from: "C"}]}
services: db: {host: "mini", port: 5432, container_port: 5432, range: "core", exception: "postgres keeps its well-known port", scheme: "postgresql", publish: false}
services: stt: {host: "gpu", port: 3031, range: "apps", public: ["stt.example.com", {hostname: "x.example.com", path: "^/api"}], env: {N: 1.5, B: true, S: "a b"}}
`})
	p, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(p.Services); got != 3 {
		t.Fatalf("services = %d", got)
	}
	auth, stt := p.Service("auth"), p.Service("stt")
	if auth.ContainerPort != 3001 || !auth.Publish || auth.Scheme != "http" || !auth.Deployed {
		t.Errorf("defaults not applied: %+v", auth)
	}
	if auth.Needs[0] != (Need{Service: "db", Depends: true, Target: p.Service("db")}) {
		t.Errorf("need shorthand: %+v", auth.Needs[0])
	}
	if auth.Secrets[0] != (Secret{Env: "KEY", From: "KEY"}) || auth.Secrets[1] != (Secret{Env: "B", From: "C"}) {
		t.Errorf("secrets: %+v", auth.Secrets)
	}
	if stt.Public[0].Hostname != "stt.example.com" || stt.Public[1].Path != "^/api" {
		t.Errorf("public: %+v", stt.Public)
	}
	if stt.Env["N"].Value != "1.5" || stt.Env["B"].Value != "true" || stt.Env["S"].Value != "a b" {
		t.Errorf("env: %+v", stt.Env)
	}
	if pos := auth.At("port"); pos.String() != "schema/services.cue:3:38" {
		t.Errorf("auth port at %s", pos)
	}
	if pos := stt.At("public[1].path"); pos.String() != "schema/services.cue:5:119" {
		t.Errorf("public path at %s", pos)
	}
	if p.SourceFiles[0] != "schema/base.cue" || len(p.SourceFiles) != 2 {
		t.Errorf("source files: %v", p.SourceFiles)
	}
}

// A stale copy of the definitions in the source directory never wins.
func TestEmbeddedDefinitionsWin(t *testing.T) {
	root := writeSource(t, map[string]string{
		"base.cue":      base,
		DefinitionsFile: "package platform\n\nservices: [string]: port: 1\n",
		"services.cue":  "package platform\n\nservices: a: {host: \"mini\", port: 3001, range: \"core\"}\n",
	})
	if _, err := Load(root); err != nil {
		t.Fatalf("the directory's own definitions were used: %v", err)
	}
}

func TestRules(t *testing.T) {
	cases := []struct {
		name, services string
		want           []string // each a full diagnostic line
	}{
		{"collision names both positions", `
services: a: {host: "mini", port: 3001, range: "core"}
services: b: {host: "mini", port: 3001, range: "core"}
services: c: {host: "gpu", port: 3001, range: "core"}`,
			[]string{"schema/services.cue:4:35: b: port 3001 on host mini is already taken by a; 3000 is free in range core (schema/services.cue:3:35)"}},
		{"named ports collide too, deployed or not", `
services: a: {host: "mini", port: 3001, range: "core", ports: smtp: port: 3002}
services: b: {host: "mini", port: 3002, range: "core", deployed: false}`,
			[]string{"schema/services.cue:4:35: b: port 3002 on host mini is already taken by a:smtp; 3000 is free in range core (schema/services.cue:3:75)"}},
		{"unpublished ports take no host port", `
services: a: {host: "mini", port: 3001, range: "core", publish: false}
services: b: {host: "mini", port: 3001, range: "core"}`, nil},
		{"out of range", `
services: a: {host: "mini", port: 3020, range: "core"}`,
			[]string{"schema/services.cue:3:35: a: port 3020 is outside range core (3000-3009); move it (3000 is free), plan a slot in the range (planned: port:) or give a reason (exception:) (schema/base.cue:5:2)"}},
		{"a planned slot in range or an exception allows it", `
services: a: {host: "mini", port: 3020, range: "core", planned: port: 3002}
services: b: {host: "mini", port: 3021, range: "core", exception: "legacy clients"}`, nil},
		{"planned slot outside its range", `
services: a: {host: "mini", port: 3001, range: "core", planned: port: 3040}`,
			[]string{"schema/services.cue:3:71: a: planned port 3040 is outside range core (3000-3009) (schema/base.cue:5:2)"}},
		{"unknown names suggest the closest", `
services: a: {host: "mni", port: 3001, range: "cor"}
services: b: {host: "mini", port: 3002, range: "core", needs: ["aa", "zzz"]}`,
			[]string{
				`schema/services.cue:3:21: a: unknown host "mni" (did you mean "mini"?)`,
				`schema/services.cue:3:47: a: unknown range "cor" (did you mean "core"?)`,
				`schema/services.cue:4:64: b: needs unknown service "aa" (did you mean "a"?)`,
				`schema/services.cue:4:70: b: needs unknown service "zzz"`,
			}},
		{"needs on an unreachable host", `
services: a: {host: "mini", port: 3001, range: "core", needs: ["z"]}
services: z: {host: "dark", port: 3002, range: "core"}`,
			[]string{`schema/services.cue:3:64: a: cannot reach z from the compose network of mini: host dark is not reachable from other hosts (reach: "none") (schema/services.cue:4:11)`}},
		{"needs on an internet URL without a public hostname", `
services: a: {host: "mini", port: 3001, range: "core", needs: [{service: "z", from: "internet", env: "Z_PUBLIC"}]}
services: z: {host: "gpu", port: 3002, range: "core"}`,
			[]string{`schema/services.cue:3:64: a: cannot reach z from the compose network of mini: z has no public hostname (schema/services.cue:4:11)`}},
		{"start order cycle", `
services: a: {host: "mini", port: 3001, range: "core", needs: ["b"]}
services: b: {host: "mini", port: 3002, range: "core", needs: ["a"]}`,
			[]string{`schema/services.cue:4:64: b: start order cycle a -> b -> a; set depends: false on one of these needs (schema/services.cue:3:11)`}},
		{"a cycle broken by depends: false is fine", `
services: a: {host: "mini", port: 3001, range: "core", needs: ["b"]}
services: b: {host: "mini", port: 3002, range: "core", needs: [{service: "a", depends: false}]}`, nil},
		{"public hostnames are unique", `
services: a: {host: "mini", port: 3001, range: "core", public: ["a.example.com"]}
services: b: {host: "mini", port: 3002, range: "core", public: ["a.example.com"]}`,
			[]string{"schema/services.cue:4:65: b: public hostname a.example.com is already used (schema/services.cue:3:65)"}},
		{"env names must not collide with generated ones, secrets stay secret", `
services: a: {host: "mini", port: 3001, range: "core", port_env: "PORT", needs: ["b"], env: {PORT: "1", B_URL: "x", DB_PASSWORD: "hunter2", DSN_URL: "postgres://u:pw@h/db", OK: "fine"}}
services: b: {host: "mini", port: 3002, range: "core"}`,
			[]string{
				"schema/services.cue:3:100: a: env PORT collides with the variable generated from port_env (schema/services.cue:3:66)",
				"schema/services.cue:3:112: a: env B_URL collides with the variable generated from needs[0] (schema/services.cue:3:82)",
				"schema/services.cue:3:130: a: env DB_PASSWORD looks like a secret; declare it under secrets: and keep the value out of the source",
				"schema/services.cue:3:150: a: env DSN_URL looks like a secret; declare it under secrets: and keep the value out of the source",
			}},
		{"a misspelt top-level field is not silently ignored", `
servics: a: {host: "mini", port: 3001, range: "core"}`,
			[]string{`schema/services.cue:3:1: unknown top-level field "servics" (did you mean "services"?); a source declares hosts, outputs, platform, prometheus, ranges, services`}},
		{"cue errors point at the user's value", `
services: a: {host: "mini", port: 70000, range: "core"}
services: b: {host: "mini", port: 3002, range: "core", bogus: 1, public: ["Upper.example.com"]}
services: c: {host: "mini", range: "core"}`,
			[]string{
				"schema/services.cue:3:35: services.a.port: a port is a whole number from 1 to 65535; got 70000",
				`schema/services.cue:4:63: services.b: unknown field "bogus"; allowed: host, port, container_port, protocol, host_ips, publish, ports, scheme, port_env, range, runtime, description, tier, deployed, profiles, planned, exception, frontend_of, container, public, metrics, probes, needs, env, secrets, env_files, compose, acknowledge, alert`,
				"schema/services.cue:5:11: services.c: port is required (port is where the service is reached on its host: the published host port for compose services, the listening port otherwise.)",
				`schema/services.cue:4:75: services.b.public.0: a hostname is lower-case labels of letters, digits and dashes joined by dots, ending in a top-level domain of letters (app.example.com), optionally starting with *. for a wildcard; got "Upper.example.com"`,
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ds := loadDiagnostics(t, tc.services)
			var got []string
			for _, d := range ds {
				if strings.Contains(d.String(), DefinitionsFile) {
					t.Errorf("diagnostic names the embedded definitions: %s", d)
				}
				got = append(got, d.String())
			}
			want := sortedLines(tc.want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}
		})
	}
}

// sortedLines orders expected lines the way Diagnostics.Sort does.
func sortedLines(lines []string) []string {
	ds := make(Diagnostics, len(lines))
	for i, l := range lines {
		ds[i] = parseLine(l)
	}
	ds = ds.Sort()
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

func parseLine(l string) Diagnostic {
	parts := strings.SplitN(l, ":", 4)
	var line, col int
	fmt.Sscan(parts[1], &line)
	fmt.Sscan(parts[2], &col)
	return Diagnostic{Pos: Pos{File: parts[0], Line: line, Col: col}, Message: strings.TrimPrefix(parts[3], " ")}
}

func TestWarnings(t *testing.T) {
	root := writeSource(t, map[string]string{"base.cue": base, "services.cue": `package platform

services: "chat-server": {host: "mini", port: 3030, range: "apps"}
services: "chat-web": {host: "mini", port: 5011, range: "web"}
services: credits: {host: "mini", port: 3008, range: "core", planned: port: 3002}
services: c1: {host: "gpu", port: 3001, range: "core"}
services: c2: {host: "gpu", port: 3002, range: "core"}
services: c3: {host: "gpu", port: 3003, range: "core"}
services: c4: {host: "gpu", port: 3004, range: "core"}
services: c5: {host: "gpu", port: 3005, range: "core"}
services: c6: {host: "gpu", port: 3006, range: "core"}
services: c7: {host: "gpu", port: 3007, range: "core"}
`})
	p, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range p.Warnings {
		got = append(got, w.String())
	}
	want := []string{
		"schema/base.cue:5:2: warning: range core is nearly full: 8 of 10 ports used",
		"schema/services.cue:4:44: warning: chat-web: frontend port 5011 does not match the last digits of its backend chat-server (3030) (schema/services.cue:3:47)",
		"schema/services.cue:5:62: warning: credits: off plan: at 3008, planned 3002",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// Output paths that leave the root are refused where they are written.
func TestOutputPathsStayInsideTheRoot(t *testing.T) {
	for _, bad := range []string{`"../PORT_SCHEMA.md"`, `"/etc/x"`, `"out/../../x"`} {
		ds := loadDiagnostics(t, "outputs: port_doc: "+bad)
		if len(ds) == 0 || ds[0].Pos.String() != "schema/services.cue:3:20" {
			t.Errorf("%s: got %v", bad, ds)
		}
	}
}

func TestIOErrors(t *testing.T) {
	if _, err := Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing schema dir: %v", err)
	}
	root := writeSource(t, map[string]string{"base.cue": "package platform\n\nplatform: name: \"x\"\n", "bad.cue": "package platform\n\nservices: {\n"})
	_, err := Load(root)
	var ds Diagnostics
	if !errors.As(err, &ds) || !strings.HasPrefix(ds[0].String(), "schema/bad.cue:") {
		t.Errorf("syntax error: %v", err)
	}
	if os.Geteuid() != 0 {
		unreadable := writeSource(t, map[string]string{"base.cue": base})
		os.Chmod(filepath.Join(unreadable, SourceDir, "base.cue"), 0)
		if _, err := Load(unreadable); err == nil || errors.As(err, &ds) {
			t.Errorf("unreadable file: %v", err)
		}
	}
}

// unquote reads every JSON string as json.Unmarshal does, escapes,
// invalid UTF-8 and all.
func TestUnquoteIsJSONDecoding(t *testing.T) {
	texts := []string{`""`, `"plain"`, `"a\"b"`, `"\u00e9\n\t"`, `"é ü 漢"`, "\"\xff\xfe\"", `"\/"`, `"\ud83d\ude00"`, `"x\\"`}
	for _, r := range "a é\x7f\u2028" {
		texts = append(texts, `"`+strings.Repeat(string(r), 3)+`"`)
	}
	for _, text := range texts {
		var want, got string
		wantErr := json.Unmarshal([]byte(text), &want)
		gotErr := unquote([]byte(text), &got)
		if got != want || (gotErr == nil) != (wantErr == nil) {
			t.Errorf("unquote(%s) = %q, %v; json.Unmarshal gives %q, %v", text, got, gotErr, want, wantErr)
		}
	}
}

// A part decoded early is taken only for the very JSON it was decoded
// from: an evaluation that falls back to another path hands decode
// other parts under the same indexes, and those are what the model is
// made of.
func TestEarlyDecodingTakesOnlyItsOwnJSON(t *testing.T) {
	rest := []byte(`{"platform": {"domain": "example.org"}}`)
	doc := func(service string) []byte {
		return []byte(`{"services": {"` + service + `": {"host": "core", "port": 10001}}}`)
	}
	early := &earlyDecoding{}
	early.start(map[int][]byte{1: doc("from-the-memo")})
	// The same index, other bytes: the early part must not be taken.
	p, err := decode([][]byte{rest, doc("evaluated-since")}, newPositionIndex("", nil, nil), early)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Services) != 1 || p.Services[0].Name != "evaluated-since" {
		t.Fatalf("services %v; want only evaluated-since", names(p.Services))
	}
	// The very bytes it decoded: taken.
	kept := doc("kept")
	early = &earlyDecoding{}
	early.start(map[int][]byte{1: kept})
	if p, err = decode([][]byte{rest, kept}, newPositionIndex("", nil, nil), early); err != nil {
		t.Fatal(err)
	}
	if len(p.Services) != 1 || p.Services[0].Name != "kept" {
		t.Fatalf("services %v; want only kept", names(p.Services))
	}
}

func names(services []*Service) []string {
	var out []string
	for _, s := range services {
		out = append(out, s.Name)
	}
	return out
}
