package stamp

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"portschema/generators/output"
)

func TestStampRoundTrip(t *testing.T) {
	fp := Fingerprint{Dev: 1, Ino: 2, Mode: 0o100644, Size: 1, Mtime: -3, Ctime: 4}
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
		head + "dir out\n", head + "dir 1:2:x:4:5:6 out\n", head + "dir 1:2:3:4:5:6:7 out\n", head + "dir 1:2:3:4:5 out\n", head + "out x 1 - out/a"} {
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

// fingerprinted is stamped's tree and stamp once the stamp has taken
// the files' fingerprints, after the file system's clock has moved past
// their last change so that it trusts them.
func fingerprinted(t *testing.T) (*output.Tree, Stamp) {
	t.Helper()
	tree, s := stamped(t)
	waitForClock(t, tree.Root)
	file := filepath.Join(t.TempDir(), "stamp")
	if err := write(file, tree.Root, s, nil, nil); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.UnmarshalText(data); err != nil {
		t.Fatal(err)
	}
	for _, f := range s.Outputs {
		if f.Sum != "" && !f.Stat.TrustedBefore(s.Since) {
			t.Fatalf("%s has no trusted fingerprint: %v, since %d", f.Path, f.Stat, s.Since)
		}
	}
	if !s.dirsHold(tree.Root) {
		t.Fatalf("the directories do not hold: %+v", s.Dirs)
	}
	return tree, s
}

// waitForClock waits until the file system's clock, as a new file's
// ctime shows it, is past the last change of every file below root; it
// skips the test where fingerprints are not taken.
func waitForClock(t *testing.T, root string) {
	t.Helper()
	var latest int64
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if fp, err := lstat(p); err == nil {
			latest = max(latest, fp.Ctime, fp.Mtime)
		}
		return nil
	})
	probe := filepath.Join(t.TempDir(), "probe")
	for {
		f, err := os.Create(probe)
		if err != nil {
			t.Fatal(err)
		}
		fp, _ := fstat(int(f.Fd()))
		f.Close()
		os.Remove(probe)
		if !fp.Known() {
			t.Skip("no fingerprints on this system")
		}
		if fp.Ctime > latest {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// An unchanged file with a trusted fingerprint is not read: a stamp
// whose hash of it is wrong still holds. A fingerprint taken in the
// tick the stamp started in is not trusted (the file could have changed
// again in that tick without changing it), so the file is read.
func TestTrustedFingerprintsSpareReading(t *testing.T) {
	tree, s := fingerprinted(t)
	s.Outputs[0].Sum = Sum([]byte("other bytes"))
	if ok, trusted := verify(tree.Root, s); !ok || !trusted {
		t.Fatalf("verify = %v, %v; want the fingerprints taken at their word", ok, trusted)
	}
	for _, since := range []int64{s.Outputs[0].Stat.Ctime, s.Outputs[0].Stat.Mtime} {
		racy := s.clone()
		racy.Since = since
		if Verify(tree.Root, racy) {
			t.Errorf("with the stamp started at %d, a file changed then was not read", since)
		}
	}
}

// A stamp that had to read files is written again with the
// fingerprints found, for the same outputs; a file whose bytes are not
// the stamp's gets none.
func TestRewrittenStampTrustsWhatItRead(t *testing.T) {
	tree, s := stamped(t)
	abs := func(p string) string { return filepath.Join(tree.Root, filepath.FromSlash(p)) }
	waitForClock(t, tree.Root)
	os.WriteFile(abs("out/env/b.env"), []byte("changed"), 0o644)
	file := filepath.Join(t.TempDir(), "stamp")
	if err := write(file, tree.Root, s, nil, nil); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(file)
	var back Stamp
	if err := back.UnmarshalText(data); err != nil {
		t.Fatal(err)
	}
	for _, f := range back.Outputs {
		switch {
		case f.Path == "out/env/b.env" && f.Stat.Known():
			t.Errorf("%s is fingerprinted with bytes other than the stamp's", f.Path)
		case f.Path == "out/a.yml" && !f.Stat.Known():
			t.Errorf("%s is not fingerprinted", f.Path)
		}
	}
	if Verify(tree.Root, back) {
		t.Error("the stamp verifies a changed file")
	}
}

func TestVerify(t *testing.T) {
	for how, stamp := range map[string]func(*testing.T) (*output.Tree, Stamp){"read": stamped, "fingerprinted": fingerprinted} {
		t.Run(how, func(t *testing.T) { testVerify(t, stamp) })
	}
}

func testVerify(t *testing.T, stamped func(*testing.T) (*output.Tree, Stamp)) {
	tree, s := stamped(t)
	if !Verify(tree.Root, s) {
		t.Fatal("the tree as stamped does not verify")
	}
	abs := func(p string) string { return filepath.Join(tree.Root, filepath.FromSlash(p)) }
	// sameSize writes other bytes of the same length to a file and sets
	// its times back as mtime says, from the original ones.
	sameSize := func(rel string, mtime func(time.Time) time.Time) {
		fi, err := os.Stat(abs(rel))
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(abs(rel))
		data[len(data)-2] ^= 1
		os.WriteFile(abs(rel), data, 0o644)
		os.Chtimes(abs(rel), fi.ModTime(), mtime(fi.ModTime()))
	}
	cases := map[string]func(){
		"an edited file":         func() { os.WriteFile(abs("out/a.yml"), []byte("# "+output.HeaderText+"\na: 2\n"), 0o644) },
		"a deleted file":         func() { os.Remove(abs("out/env/b.env")) },
		"a local file appearing": func() { os.WriteFile(abs("out/local.env"), []byte("x"), 0o644) },
		"an edit that keeps the size and the mtime": func() {
			sameSize("out/a.yml", func(m time.Time) time.Time { return m })
		},
		"an edit that keeps the size and the mtime's second": func() {
			sameSize("out/env/b.env", func(m time.Time) time.Time { return m.Truncate(time.Second).Add(time.Nanosecond) })
		},
		"a file replaced by one of its size and times": func() {
			fi, _ := os.Stat(abs("out/a.yml"))
			data, _ := os.ReadFile(abs("out/a.yml"))
			data[len(data)-2] ^= 1
			other := abs("out/a.yml.new")
			os.WriteFile(other, data, 0o644)
			os.Chtimes(other, fi.ModTime(), fi.ModTime())
			os.Rename(other, abs("out/a.yml"))
		},
		"a stray file":                func() { os.WriteFile(abs("out/env/stray.env"), []byte("x"), 0o644) },
		"a stray in a new directory":  func() { os.MkdirAll(abs("out/new"), 0o755); os.WriteFile(abs("out/new/x"), nil, 0o644) },
		"a temporary file of a write": func() { os.WriteFile(abs("out/.a.yml.portschema-tmp"), nil, 0o644) },
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

// A stamp whose directories leave out one its files lie in cannot
// vouch for out/ having no other entries or no link there.
func TestDirsMustCoverTheFiles(t *testing.T) {
	tree, s := fingerprinted(t)
	for i, d := range s.Dirs {
		if d.Path == "out/env" {
			partial := s.clone()
			partial.Dirs = slices.Delete(partial.Dirs, i, i+1)
			if partial.dirsHold(tree.Root) {
				t.Error("the directories hold without out/env")
			}
		}
		if d.Path == "out" {
			partial := s.clone()
			partial.Dirs = slices.Delete(partial.Dirs, i, i+1)
			if partial.dirsHold(tree.Root) {
				t.Error("the directories hold without out, the parent of out/env")
			}
		}
	}
}

// After a run that rewrote files, a directory whose trusted fingerprint
// still holds keeps it, and each other is listed again: the stamp keeps
// its directories while the listed ones hold nothing else, and records
// none when one holds a stray, a temporary file or a directory it did
// not record.
func TestDirsAfterARewriteListWhatChanged(t *testing.T) {
	for _, c := range []struct {
		name  string
		after func(root string)
		hold  bool
	}{
		{"an output rewritten", nil, true},
		{"a stray beside it", func(root string) { os.WriteFile(filepath.Join(root, "out/env/stray.env"), nil, 0o644) }, false},
		{"a temporary file beside it", func(root string) { os.WriteFile(filepath.Join(root, "out/env/.portschema-1.tmp"), nil, 0o644) }, false},
		{"a new directory", func(root string) { os.Mkdir(filepath.Join(root, "out/env/more"), 0o755) }, false},
		{"a stray in the parent", func(root string) { os.WriteFile(filepath.Join(root, "out/stray.yml"), nil, 0o644) }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tree, s := fingerprinted(t)
			// Rewritten as a write does: a new file renamed over it.
			name := filepath.Join(tree.Root, "out/env/b.env")
			os.WriteFile(name+".new", []byte("B=2\n"), 0o644)
			os.Rename(name+".new", name)
			if c.after != nil {
				c.after(tree.Root)
			}
			dirs, ok := s.dirsNow(tree.Root)
			if ok != c.hold {
				t.Fatalf("the directories hold: %v, want %v (%+v)", ok, c.hold, dirs)
			}
			if !ok {
				return
			}
			for i, d := range dirs {
				fp, _ := lstat(filepath.Join(tree.Root, d.Path))
				if d.Path != s.Dirs[i].Path || d.Stat != fp {
					t.Errorf("%s: recorded %+v, now %+v", d.Path, d, fp)
				}
				if changed := d.Stat != s.Dirs[i].Stat; changed != (d.Path == "out/env") {
					t.Errorf("%s: fingerprint changed %v", d.Path, changed)
				}
			}
		})
	}
}
