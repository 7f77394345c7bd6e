package output

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// temps lists the temporary files under root.
func temps(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".portschema-") && strings.HasSuffix(d.Name(), ".tmp") {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// Files staged while others are generated end up exactly as a Write of
// the whole set leaves them, with no temporary file behind: those
// staged with their final contents, one staged with contents that
// changed before the commit, and one never staged.
func TestStagedEarlyCommitsAsWrite(t *testing.T) {
	root := t.TempDir()
	if _, err := NewTree(root).Write([]File{gen("out/kept.yml", "k: 1\n"), gen("out/stale.yml", "s: 1\n")}); err != nil {
		t.Fatal(err)
	}
	final := []File{gen("out/kept.yml", "k: 1\n"), gen("out/stale.yml", "s: 2\n"), gen("out/env/new.env", "N=1\n"),
		gen("out/changed.yml", "c: final\n"), gen("out/late.yml", "l: 1\n")}
	w, err := NewTree(root).begin()
	if err != nil {
		t.Fatal(err)
	}
	w.stage(final[:3])
	w.stage([]File{gen("out/changed.yml", "c: draft\n")})
	changes, err := w.commit(final)
	w.close()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]ChangeKind{"out/kept.yml": Unchanged, "out/stale.yml": Stale, "out/env/new.env": Missing,
		"out/changed.yml": Missing, "out/late.yml": Missing, ManifestPath: Stale}
	for path, kind := range kinds(changes) {
		if want[path] != kind {
			t.Errorf("%s: %s, want %s", path, kind, want[path])
		}
	}
	for _, f := range final {
		if got := readFile(t, root, f.Path); got != string(f.Data) {
			t.Errorf("%s holds %q, want %q", f.Path, got, f.Data)
		}
	}
	if left := temps(t, root); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// A write that stages files and then fails (a generator error, a
// refused path) changes nothing and leaves no temporary file; a staged
// path that leaves the root is never written at all.
func TestStagedEarlyThenAbandoned(t *testing.T) {
	root := t.TempDir()
	old := []File{gen("out/a.yml", "a: 1\n")}
	if _, err := NewTree(root).Write(old); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(root, "out", "link")); err != nil {
		t.Fatal(err)
	}
	tree := NewTree(root)
	var dirs []string
	tree.writeTemp = func(dir string, data []byte) (string, error) {
		dirs = append(dirs, dir)
		return writeTemp(dir, data)
	}
	w, err := tree.begin()
	if err != nil {
		t.Fatal(err)
	}
	w.stage([]File{gen("out/a.yml", "a: 2\n"), gen("out/b.yml", "b: 1\n"), gen("out/link/escape.yml", "x: 1\n"), gen("../up.yml", "u: 1\n")})
	w.close() // without a Commit
	if want := []string{filepath.Join(root, "out"), filepath.Join(root, "out")}; strings.Join(dirs, ",") != strings.Join(want, ",") {
		t.Errorf("staged in %v, want only the two files inside the root", dirs)
	}
	if got := readFile(t, root, "out/a.yml"); got != string(old[0].Data) {
		t.Errorf("out/a.yml changed: %q", got)
	}
	if _, err := os.Stat(filepath.Join(root, "out", "b.yml")); err == nil {
		t.Error("out/b.yml was written without a commit")
	}
	if left := append(temps(t, root), temps(t, filepath.Dir(outside))...); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if entries, _ := os.ReadDir(filepath.Dir(outside)); len(entries) > 0 {
		t.Errorf("a staged path wrote outside the root: %v", entries)
	}
	// The commit refuses the path too.
	w, err = NewTree(root).begin()
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()
	if _, err := w.commit([]File{gen("out/link/escape.yml", "x: 1\n")}); err == nil || !strings.Contains(err.Error(), "outside the project root") {
		t.Errorf("commit of a path through a link out of the root: %v", err)
	}
}

// Files handed over once the commit has begun are not staged, and
// nothing breaks: the commit alone decides what is written.
func TestStageAfterCommitIsIgnored(t *testing.T) {
	root := t.TempDir()
	w, err := NewTree(root).begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.commit([]File{gen("out/a.yml", "a: 1\n")}); err != nil {
		t.Fatal(err)
	}
	w.stage([]File{gen("out/late.yml", "l: 1\n")})
	w.close()
	w.stage([]File{gen("out/later.yml", "l: 2\n")})
	if left := temps(t, root); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	for _, p := range []string{"out/late.yml", "out/later.yml"} {
		if _, err := os.Stat(filepath.Join(root, p)); err == nil {
			t.Errorf("%s was written after the commit", p)
		}
	}
}

// Temporary files a killed run left beside the outputs are removed by
// the next write; files elsewhere and files of other names are not.
func TestStaleTemporaryFilesAreRemoved(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{"out/.portschema-1.tmp", "out/env/.portschema-2.tmp", "elsewhere/.portschema-3.tmp", "out/.keep.tmp"} {
		os.MkdirAll(filepath.Dir(filepath.Join(root, p)), 0o755)
		os.WriteFile(filepath.Join(root, p), []byte("half"), 0o644)
	}
	if _, err := NewTree(root).Write([]File{gen("out/a.yml", "a: 1\n"), gen("out/env/b.env", "B=1\n")}); err != nil {
		t.Fatal(err)
	}
	for p, kept := range map[string]bool{"out/.portschema-1.tmp": false, "out/env/.portschema-2.tmp": false,
		"elsewhere/.portschema-3.tmp": true, "out/.keep.tmp": true} {
		if _, err := os.Stat(filepath.Join(root, p)); (err == nil) != kept {
			t.Errorf("%s: kept %v, want %v", p, err == nil, kept)
		}
	}
}

// A write compares each output with the bytes its staging read, so it
// reads every output once; what it finds must still be what a fresh
// Plan finds: a file edited by hand is stale and rewritten, an
// unchanged file keeps its mtime, and an unchanged private file made
// readable by others is made private again while one already private is
// left alone.
func TestStagedWriteComparesWhatStagingRead(t *testing.T) {
	root := t.TempDir()
	private := func(f File) File { f.Private = true; return f }
	files := []File{gen("out/edited.yml", "e: 1\n"), gen("out/same.yml", "s: 1\n"),
		private(gen("out/env/open.env", "A=\n")), private(gen("out/env/closed.env", "B=\n"))}
	if _, err := NewTree(root).Write(files); err != nil {
		t.Fatal(err)
	}
	abs := func(rel string) string { return filepath.Join(root, rel) }
	os.WriteFile(abs("out/edited.yml"), []byte(Header(HashComment)+"e: 2\n"), 0o644)
	os.Chmod(abs("out/env/open.env"), 0o644)
	past := time.Now().Add(-time.Hour).Truncate(time.Second)
	for _, f := range files[1:] {
		os.Chtimes(abs(f.Path), past, past)
	}
	w, err := NewTree(root).begin()
	if err != nil {
		t.Fatal(err)
	}
	w.stage(files[:2])
	w.stage(files[2:])
	changes, err := w.commit(files)
	w.close()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]ChangeKind{"out/edited.yml": Stale, "out/same.yml": Unchanged,
		"out/env/open.env": Unchanged, "out/env/closed.env": Unchanged, ManifestPath: Unchanged}
	for path, kind := range kinds(changes) {
		if want[path] != kind {
			t.Errorf("%s: %s, want %s", path, kind, want[path])
		}
	}
	if got := readFile(t, root, "out/edited.yml"); got != string(files[0].Data) {
		t.Errorf("edited file holds %q after the write", got)
	}
	for _, f := range files[1:] {
		fi, err := os.Stat(abs(f.Path))
		if err != nil {
			t.Fatal(err)
		}
		if !fi.ModTime().Equal(past) {
			t.Errorf("%s was touched: mtime %v", f.Path, fi.ModTime())
		}
		if wantPerm := fs.FileMode(0o600); f.Private && fi.Mode().Perm() != wantPerm {
			t.Errorf("%s has mode %v, want %v", f.Path, fi.Mode().Perm(), wantPerm)
		}
	}
}

// An output the stamp vouches for (Known) is not read, but still
// checked: one behind a directory link that leaves the root is refused,
// and a private one that others may read is tightened, as with outputs
// that are read.
func TestKnownOutputsAreStillChecked(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	escaping := gen("out/link/x.yml", "x: 1\n")
	private := File{Path: "out/env/a.env", Data: []byte(Header(HashComment) + "A=1\n"), Private: true}
	if err := os.WriteFile(filepath.Join(outside, "x.yml"), escaping.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "out/env"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "out/link")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, private.Path), private.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for _, f := range []File{escaping, private} {
		h := sha256.Sum256(f.Data)
		sums[f.Path] = hex.EncodeToString(h[:])
	}
	known := func(rel string) (string, fs.FileMode, bool) {
		sum, ok := sums[rel]
		return sum, 0o644, ok
	}
	for _, files := range [][]File{{escaping}, {private}} {
		tree := NewTree(root)
		tree.Known = known
		w, err := tree.begin()
		if err != nil {
			t.Fatal(err)
		}
		w.stage(files)
		_, err = w.commit(files)
		w.close()
		switch files[0].Path {
		case escaping.Path:
			if err == nil || !strings.Contains(err.Error(), "outside the project root") {
				t.Errorf("an output behind a link out of the root: %v", err)
			}
		case private.Path:
			fi, serr := os.Stat(filepath.Join(root, private.Path))
			if err != nil || serr != nil || fi.Mode().Perm()&0o077 != 0 {
				t.Errorf("a known private output: %v, %v, mode %v", err, serr, fi.Mode())
			}
		}
	}
}

// A change's SumOfNew is the sum of its New bytes, whether the record
// vouched for the output (its sum is then taken, not computed) or the
// output was staged as the record had it and then changed.
func TestSumOfNewIsTheSumOfNew(t *testing.T) {
	root := t.TempDir()
	kept, draft := gen("out/kept.yml", "k: 1\n"), gen("out/changed.yml", "c: draft\n")
	if _, err := NewTree(root).Write([]File{kept, draft}); err != nil {
		t.Fatal(err)
	}
	sumOf := func(data []byte) string {
		h := sha256.Sum256(data)
		return hex.EncodeToString(h[:])
	}
	tree := NewTree(root)
	tree.Known = func(rel string) (string, fs.FileMode, bool) {
		switch rel {
		case kept.Path:
			return sumOf(kept.Data), 0o644, true
		case draft.Path:
			return sumOf(draft.Data), 0o644, true
		}
		return "", 0, false
	}
	w, err := tree.begin()
	if err != nil {
		t.Fatal(err)
	}
	w.stage([]File{kept, draft})
	changes, err := w.commit([]File{kept, gen("out/changed.yml", "c: final\n")})
	w.close()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.SumOfNew() != sumOf(c.New) {
			t.Errorf("%s (%v): SumOfNew %s is not the sum of its new bytes", c.Path, c.Kind, c.SumOfNew())
		}
		if c.Path == kept.Path && (c.Kind != Unchanged || c.sum == "") {
			t.Errorf("%s: %v, sum %q; want unchanged, with the record's sum", c.Path, c.Kind, c.sum)
		}
	}
}
