package stamp

import (
	"os"
	"path/filepath"
	"testing"

	"portschema/schema"
)

// The digest is what lets check skip evaluation, so every input of the
// load must change it, and nothing else may.
func TestSourceDigestCoversEveryInput(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, schema.SourceDir)
	write := func(name, data string) {
		t.Helper()
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	digest := func() string {
		t.Helper()
		_, d, err := readDigest(root)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	write("a.cue", "package platform\nplatform: name: \"a\"\n")
	write("b.cue", "package platform\n")
	base := digest()
	if base == "" || base != digest() {
		t.Fatalf("digest %q is not stable", base)
	}

	write("definitions.cue", "package platform\n// a stale copy, which the embedded one replaces\n")
	write("notes.txt", "not CUE")
	if got := digest(); got != base {
		t.Error("a copy of the definitions or a non-CUE file changed the digest")
	}

	// Each step leaves a set of files that no earlier step had.
	steps := []struct {
		what string
		do   func()
	}{
		{"a changed byte", func() { write("b.cue", "package platform\n\n") }},
		{"a new file", func() { write("c.cue", "package platform\n") }},
		{"a renamed file", func() { os.Rename(filepath.Join(dir, "b.cue"), filepath.Join(dir, "d.cue")) }},
		{"a removed file", func() { os.Remove(filepath.Join(dir, "c.cue")) }},
	}
	seen := map[string]string{base: "the original"}
	for _, step := range steps {
		step.do()
		d := digest()
		if prev, ok := seen[d]; ok {
			t.Errorf("after %s the digest is that of %s", step.what, prev)
		}
		seen[d] = step.what
	}

	defs := schema.Definitions
	schema.Definitions = append(append([]byte{}, defs...), '\n')
	other := digest()
	schema.Definitions = defs
	if _, ok := seen[other]; ok {
		t.Error("other definitions kept the digest")
	}
}

// Inside a CUE module the load may read files the digest does not
// cover (same-package files in parent directories, imports), so there
// is no digest and nothing can be skipped.
func TestSourceDigestInsideAModuleIsEmpty(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "cue.mod"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, schema.SourceDir), 0o755); err != nil {
		t.Fatal(err)
	}
	_, d, err := readDigest(root)
	if err != nil || d != "" {
		t.Errorf("the digest is %q, %v; want none", d, err)
	}
}

// The model keeps the bytes Load evaluated, whose digest is the
// source's.
func TestLoadKeepsTheDigestedBytes(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, schema.SourceDir)
	os.MkdirAll(dir, 0o755)
	src := `package platform
platform: name: "demo"
ranges: apps: {from: 3000, to: 3009, purpose: "apps"}
hosts: mini: {title: "Mini", kind: "manual", address: "10.0.0.1"}
services: web: {host: "mini", port: 3001, range: "apps"}
`
	if err := os.WriteFile(filepath.Join(dir, "platform.cue"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	_, want, _ := readDigest(root)
	if got := Digest(p.Source); got == "" || got != want {
		t.Errorf("the model's source digests to %q, its files read now to %q", got, want)
	}
}
