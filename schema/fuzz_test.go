package schema

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds the loader arbitrary CUE beside a valid platform. Load
// may reject it, but must not panic, and every problem it reports must be
// a diagnostic in the user's files, never in the embedded definitions.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`services: x: {host: "mini", port: 3001, range: "core"}`))
	f.Add([]byte(`services: x: {host: "mini", port: 70000, range: "core", bogus: 1}`))
	f.Add([]byte(`services: auth: needs: ["auth"]`))
	f.Add([]byte(`services: [string]: host: "gpu"`))
	f.Add([]byte(`ranges: x: {from: 3005, to: 3001, purpose: "inverted"}`))
	f.Add([]byte(`outputs: port_doc: "../x"`))
	f.Add([]byte(`services: y: {host: "mini", port: 3002, range: "core", public: ["*.example.com"], env: "A B": "x"}`))
	f.Add([]byte("services: {\n"))
	f.Add([]byte(`import "strings"` + "\n" + `platform: name: strings.ToLower("X")`))
	f.Add([]byte(`services: auth: compose: {labels: {"db-password": "hunter2"}, command: ["x", "--requirepass", "hunter2"]}`))
	f.Add([]byte(`services: auth: env: {X: "a\u0000b", PGPASSWORD: "sk-proj-abcdefghijklmnop0123"}`))
	f.Add([]byte(`outputs: port_doc: "schema/x.cue"` + "\n" + `hosts: mini: compose: output: ".git/hooks/pre-commit"`))
	f.Add([]byte(`services: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: {host: "mini", port: 3009, range: "core"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		root := t.TempDir()
		dir := filepath.Join(root, SourceDir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		write := func(name, body string) {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write("base.cue", base)
		write("fuzz.cue", "package platform\n\n"+string(data))
		p, err := Load(root)
		var ds Diagnostics
		switch {
		case err == nil:
			if p == nil || p.Service("auth") != nil && p.Service("auth").Host == "" {
				t.Fatalf("loaded an incomplete model: %+v", p)
			}
		case errors.As(err, &ds):
			if len(ds) == 0 {
				t.Fatal("empty diagnostics")
			}
			for _, d := range ds {
				if strings.Contains(d.Pos.File, DefinitionsFile) {
					t.Fatalf("diagnostic in the embedded definitions: %s", d)
				}
			}
		default:
			// An I/O error; there is no I/O to fail here.
			t.Fatalf("not a diagnostic: %v", err)
		}
	})
}
