package output

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestStrays: files in out/ that nothing generates and no manifest
// names, and temporary files beside outputs anywhere, are strays; the
// outputs, the orphans the manifest names, and the lock are not. The
// same directories listed one by one give the same strays.
func TestStrays(t *testing.T) {
	root := t.TempDir()
	tree := NewTree(root)
	gen := func(path, data string) File {
		return File{Path: path, Data: []byte(Header(HashComment) + data)}
	}
	old := []File{gen("out/a.yml", "a\n"), gen("out/gone.yml", "g\n"), gen("apps/web/.env", "x\n")}
	if _, err := tree.Write(old); err != nil {
		t.Fatal(err)
	}
	files := []File{gen("out/a.yml", "a\n"), gen("apps/web/.env", "x\n")}
	for _, p := range []string{"out/notes.txt", "out/env/old.env", "out/.portschema-123.tmp", "apps/web/.portschema-9.tmp", "apps/web/main.go"} {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, p), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := tree.Strays(files)
	if err != nil {
		t.Fatal(err)
	}
	// Listing every directory, StraysIn finds what the walk finds, and
	// the directories below out/.
	in, subdirs, err := tree.StraysIn(files, []string{"apps", "apps/web", "out", "out/env"})
	if err != nil || !reflect.DeepEqual(in, got) || !reflect.DeepEqual(subdirs, []string{"out/env"}) {
		t.Errorf("listing each directory: %+v, %v, %v; the walk: %+v", in, subdirs, err, got)
	}
	want := []Stray{
		{Path: "apps/web/.portschema-9.tmp", Temporary: true},
		{Path: "out/.portschema-123.tmp", Temporary: true},
		{Path: "out/env/old.env"},
		{Path: "out/notes.txt"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("strays:\n got %+v\nwant %+v", got, want)
	}
	// A write takes the temporary files away; the others stay for a
	// person to decide.
	if _, err := tree.Write(files); err != nil {
		t.Fatal(err)
	}
	got, _ = tree.Strays(files)
	if want := []Stray{{Path: "out/env/old.env"}, {Path: "out/notes.txt"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("after a write:\n got %+v\nwant %+v", got, want)
	}
}

func TestStraysWithoutOut(t *testing.T) {
	got, err := NewTree(t.TempDir()).Strays(nil)
	if err != nil || len(got) != 0 {
		t.Errorf("%v, %v", got, err)
	}
}

func TestFirstDifference(t *testing.T) {
	cases := []struct {
		old, new string
		want     int
	}{
		{"a\nb\nc\n", "a\nB\nc\n", 2},
		{"a\nb\nc\n", "x\n", 1},
		{"a\nb\n", "a\nb\nc\n", 2},
		{"a\nb\nc\n", "a\nb\n", 3},
		{"a\nb", "a\nbc", 2},
		{"", "a\n", 1},
	}
	for _, c := range cases {
		if got := FirstDifference([]byte(c.old), []byte(c.new)); got != c.want {
			t.Errorf("FirstDifference(%q, %q) = %d, want %d", c.old, c.new, got, c.want)
		}
	}
}

// The manifest and the lock lie in the directory check owns.
func TestOutDirHoldsTheManifest(t *testing.T) {
	for _, p := range []string{ManifestPath, LockPath} {
		if filepath.Dir(filepath.FromSlash(p)) != OutDir {
			t.Errorf("%s is not in %s/", p, OutDir)
		}
	}
}
