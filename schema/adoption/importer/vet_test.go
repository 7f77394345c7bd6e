package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/load"
)

// TestImportedDirVetsAlone loads the imported directory with CUE alone,
// as `cue vet` and `cue export` would: no overlay, only the files on
// disk, including the copy of the definitions import writes.
func TestImportedDirVetsAlone(t *testing.T) {
	root, _ := importInto(t, manaInputs(fixtureDir(t, "after")))
	dir := filepath.Join(root, "schema")
	insts := load.Instances([]string{"."}, &load.Config{Dir: dir, Env: []string{}})
	if len(insts) != 1 || insts[0].Err != nil {
		t.Fatalf("cue load: %v", insts[0].Err)
	}
	v := cuecontext.New().BuildInstance(insts[0])
	if err := v.Validate(cue.Concrete(true)); err != nil {
		t.Fatalf("cue vet -c: %v", err)
	}
	if _, err := v.MarshalJSON(); err != nil {
		t.Fatalf("cue export: %v", err)
	}
}

func TestImportRefusesNonEmptyDir(t *testing.T) {
	in := manaInputs(fixtureDir(t, "after"))
	dir := filepath.Join(t.TempDir(), "schema")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mine.cue"), []byte("package platform\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(in, dir, false); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("import into a non-empty dir: %v, want a refusal", err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "mine.cue"))
	if string(data) != "package platform\n" {
		t.Fatal("the refused import touched an existing file")
	}
	if _, err := Import(in, dir, true); err != nil {
		t.Fatalf("forced import: %v", err)
	}
}
