package stamp

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"portschema/generators/output"
)

func TestStampRoundTrip(t *testing.T) {
	fp := Fingerprint{Dev: 1, Ino: 2, Mode: 0o100644, Size: 1, Mtime: 3, Ctime: 4}
	s := Stamp{Key: "k", Since: 5, Outputs: []File{FileOf("out/a b.yml", []byte("x")), {Path: "out/local.env"}},
		Inputs:    []File{FileOf("rules.yml", nil)},
		Sources:   []File{{Path: "schema/a.cue", Sum: Sum([]byte("x")), Size: 1, Stat: fp}},
		SourceDir: Fingerprint{Dev: 1, Ino: 3, Mode: 0o40755, Size: 4096, Mtime: 1, Ctime: 1},
		Dirs:      []Dir{{Path: "out", Stat: fp}, {Path: "out/none"}}}
	s.Outputs[0].Stat = fp
	data, err := s.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	var back Stamp
	if err := back.UnmarshalText(data); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, s) {
		t.Errorf("round trip:\n%+v\n%+v", back, s)
	}
	head := "portschema stamp 2\nkey k\nsince 5\nsrcdir -\n"
	for _, bad := range []string{"", "portschema stamp 1\nkey k\nout x 1 out/a\n", "portschema stamp 2\nkey k\n",
		"portschema stamp 2\nkey k\nsince x\nsrcdir -\n", head + "out x 1 out/a\n", head + "out x -1 - out/a\n",
		head + "out x 1 1:2 out/a\n", head + "out x 1 0:0:0:0:0:0 out/a\n", head + "other x 1 - out/a\n",
		head + "dir out\n", head + "dir 1:2:x:4:5:6 out\n", head + "out x 1 - out/a"} {
		if err := back.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%q) accepted", bad)
		}
	}
}

// gen is a generated file with the header.
func gen(path, body string) output.File {
	return output.File{Path: path, Data: []byte(output.Header(output.HashComment) + body)}
}

// stamped writes v1 and returns the stamp Write's changes give.
func stamped(t *testing.T) (*output.Tree, Stamp) {
	t.Helper()
	tree := output.NewTree(t.TempDir())
	files := []output.File{gen("out/a.yml", "a: 1\n"), gen("out/env/b.env", "B=1\n"),
		{Path: "out/local.env", Data: []byte(output.Header(output.HashComment)), Local: true}}
	if _, err := tree.Write(files); err != nil {
		t.Fatal(err)
	}
	// As check finds it on a fresh clone: the local file is missing.
	os.Remove(filepath.Join(tree.Root, "out/local.env"))
	changes, err := tree.Plan(files)
	if err != nil {
		t.Fatal(err)
	}
	return tree, Of("key", changes, false)
}

func TestVerify(t *testing.T) {
	tree, s := stamped(t)
	if !Verify(tree.Root, s) {
		t.Fatal("the tree as stamped does not verify")
	}
	abs := func(p string) string { return filepath.Join(tree.Root, filepath.FromSlash(p)) }
	cases := map[string]func(){
		"an edited file":         func() { os.WriteFile(abs("out/a.yml"), []byte("# "+output.HeaderText+"\na: 2\n"), 0o644) },
		"a deleted file":         func() { os.Remove(abs("out/env/b.env")) },
		"a local file appearing": func() { os.WriteFile(abs("out/local.env"), []byte("x"), 0o644) },
		"a directory in place of a file": func() {
			os.Remove(abs("out/a.yml"))
			os.Mkdir(abs("out/a.yml"), 0o755)
		},
		"a symbolic link to the same bytes": func() {
			other := filepath.Join(t.TempDir(), "a.yml")
			data, _ := os.ReadFile(abs("out/a.yml"))
			os.WriteFile(other, data, 0o644)
			os.Remove(abs("out/a.yml"))
			os.Symlink(other, abs("out/a.yml"))
		},
		"a linked directory of the same files": func() {
			other := filepath.Join(t.TempDir(), "env")
			os.Rename(abs("out/env"), other)
			os.Symlink(other, abs("out/env"))
		},
		"a FIFO, or on systems without them a deletion": func() {
			os.Remove(abs("out/env/b.env"))
			mkfifo(abs("out/env/b.env"))
		},
	}
	for what, change := range cases {
		t.Run(what, func(t *testing.T) {
			tree, s := stamped(t)
			abs = func(p string) string { return filepath.Join(tree.Root, filepath.FromSlash(p)) }
			change()
			if Verify(tree.Root, s) {
				t.Errorf("the stamp still verifies after %s", what)
			}
		})
	}
	if Verify(tree.Root, Stamp{Key: "key"}) {
		t.Error("an empty stamp verifies")
	}
	bad := Stamp{Key: "key", Outputs: []File{{Path: "../outside"}}}
	if Verify(tree.Root, bad) {
		t.Error("a path outside the root verifies")
	}
}
