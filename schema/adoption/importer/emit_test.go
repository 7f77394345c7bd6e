package importer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"portschema/schema"
)

// rarelyUsed is a source using the fields this project's own source
// does not.
const rarelyUsed = `package platform

platform: name: "lab"
outputs: env_dir: "gen/env"
ranges: web: {from: 3000, to: 3099, purpose: "Web", warn_full: 0.5}
hosts: box: {
	title: "Box", kind: "compose", address: "10.0.0.2"
	compose: {project: "lab", networks: edge: external: true, secrets_output: "gen/secrets.env"}
	tunnel: {id: "lab", credentials_file: "lab.json", origin_request: noTLSVerify: true,
		rules: [{hostname: "ssh.example.com", service: "ssh://localhost:22", origin_request: connectTimeout: "5s"}]}
}
services: api: {host: "box", port: 3001, range: "web", env_files: ["gen/api.env"],
	ports: dns: {port: 3053, protocol: "udp"}, public: ["api.example.com"]}
services: "api-web": {host: "box", port: 3051, range: "web", exception: "the frontend of api",
	frontend_of: "api", needs: ["api"]}
`

// TestEmitWritesEveryFieldOfTheModel loads sources that together use
// every field of the definitions (this project's own, which uses more
// of them than any import, and rarelyUsed), writes each model back as
// CUE with Emit and loads that: the two models are the same. Emit finds
// fields through the definitions and the model's json names, so a field
// added to both is written with no change to import, and this test is
// where it would show if it were not.
func TestEmitWritesEveryFieldOfTheModel(t *testing.T) {
	lab := t.TempDir()
	writeSource(t, lab, []File{{Name: "lab.cue", Data: []byte(rarelyUsed)}})
	for _, root := range []string{filepath.Join("..", "..", ".."), lab} {
		orig, err := schema.Load(root)
		if err != nil {
			t.Fatal(err)
		}
		files, err := Emit(&Source{Platform: orig})
		if err != nil {
			t.Fatal(err)
		}
		again := t.TempDir()
		writeSource(t, again, files)
		back, err := schema.Load(again)
		if err != nil {
			t.Fatalf("the emitted source does not load: %v", err)
		}
		was, now := modelJSON(t, orig), modelJSON(t, back)
		if was != now {
			t.Errorf("the source of %s, emitted, decodes into another model:\nwas %s\nnow %s", root, was, now)
		}
	}
}

// writeSource writes files into root's source directory.
func writeSource(t *testing.T, root string, files []File) {
	t.Helper()
	dir := filepath.Join(root, schema.SourceDir)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// modelJSON is the model's content as the source says it: its entities
// in JSON, without the positions and the references the loader
// resolves (json:"-"), which point at entities of one load.
func modelJSON(t *testing.T, p *schema.Platform) string {
	t.Helper()
	out := []any{p.Name, p.Domain, p.Principles, withoutPos(p.Outputs)}
	if p.Prometheus != nil {
		out = append(out, withoutPos(*p.Prometheus))
	}
	for _, r := range p.Ranges {
		out = append(out, withoutPos(*r))
	}
	for _, h := range p.Hosts {
		out = append(out, withoutPos(*h))
	}
	for _, s := range p.Services {
		out = append(out, withoutPos(*s))
	}
	data, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// withoutPos zeroes the Pos field of an entity.
func withoutPos[T any](v T) T {
	reflect.ValueOf(&v).Elem().FieldByName("Pos").SetZero()
	return v
}
