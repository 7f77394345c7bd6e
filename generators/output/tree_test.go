package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func gen(path, body string) File {
	return File{Path: path, Data: []byte(Header(HashComment) + body)}
}

func readFile(t *testing.T, root, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func kinds(changes []Change) map[string]ChangeKind {
	out := map[string]ChangeKind{}
	for _, c := range changes {
		out[c.Path] = c.Kind
	}
	return out
}

func TestWriteThenPlanIsClean(t *testing.T) {
	root := t.TempDir()
	tree := NewTree(root)
	files := []File{gen("out/a.yml", "a: 1\n"), gen("out/env/b.env", "B=1\n")}
	changes, err := tree.Write(files)
	if err != nil {
		t.Fatal(err)
	}
	if k := kinds(changes); k["out/a.yml"] != Missing || k["out/env/b.env"] != Missing || k[ManifestPath] != Missing {
		t.Fatalf("first write: %v", k)
	}
	changes, err = tree.Plan(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Kind != Unchanged {
			t.Errorf("%s is %s after a write", c.Path, c.Kind)
		}
	}
	if got := readFile(t, root, ManifestPath); !strings.Contains(got, "out/a.yml\nout/env/b.env\n") {
		t.Errorf("manifest does not list the outputs:\n%s", got)
	}
}

func TestUnchangedFilesKeepTheirMtime(t *testing.T) {
	root := t.TempDir()
	tree := NewTree(root)
	files := []File{gen("out/a.yml", "a: 1\n"), gen("out/b.yml", "b: 1\n")}
	if _, err := tree.Write(files); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range []string{"out/a.yml", "out/b.yml", ManifestPath} {
		if err := os.Chtimes(filepath.Join(root, p), old, old); err != nil {
			t.Fatal(err)
		}
	}
	files[1] = gen("out/b.yml", "b: 2\n")
	changes, err := tree.Write(files)
	if err != nil {
		t.Fatal(err)
	}
	if k := kinds(changes); k["out/a.yml"] != Unchanged || k["out/b.yml"] != Stale {
		t.Fatalf("second write: %v", k)
	}
	for p, wantOld := range map[string]bool{"out/a.yml": true, ManifestPath: true, "out/b.yml": false} {
		fi, err := os.Stat(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.ModTime().Equal(old); got != wantOld {
			t.Errorf("%s: mtime kept = %v, want %v", p, got, wantOld)
		}
	}
}

func TestOrphansAreFoundAndRemoved(t *testing.T) {
	root := t.TempDir()
	tree := NewTree(root)
	if _, err := tree.Write([]File{gen("out/a.yml", "a\n"), gen("out/gone.yml", "g\n")}); err != nil {
		t.Fatal(err)
	}
	files := []File{gen("out/a.yml", "a\n")}
	changes, err := tree.Plan(files)
	if err != nil {
		t.Fatal(err)
	}
	if k := kinds(changes); k["out/gone.yml"] != Orphaned || k[ManifestPath] != Stale {
		t.Fatalf("plan: %v", k)
	}
	if _, err := tree.Write(files); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "out/gone.yml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("orphan still there: %v", err)
	}
}

func TestOrphanWithoutHeaderIsKept(t *testing.T) {
	root := t.TempDir()
	tree := NewTree(root)
	if _, err := tree.Write([]File{gen("out/mine.yml", "a\n")}); err != nil {
		t.Fatal(err)
	}
	// A person replaced the generated file with their own.
	if err := os.WriteFile(filepath.Join(root, "out/mine.yml"), []byte("hand: written\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := tree.Write(nil); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, root, "out/mine.yml"); got != "hand: written\n" {
		t.Errorf("a file without the header was touched: %q", got)
	}
}

func TestNeverOverwritesAFileWithoutHeader(t *testing.T) {
	root := t.TempDir()
	mustWrite(t, filepath.Join(root, "out/a.yml"), "hand: written\n")
	tree := NewTree(root)
	_, err := tree.Write([]File{gen("out/b.yml", "b\n"), gen("out/a.yml", "a\n")})
	if err == nil || !strings.Contains(err.Error(), "out/a.yml exists and lacks the generated header") {
		t.Fatalf("err = %v", err)
	}
	if got := readFile(t, root, "out/a.yml"); got != "hand: written\n" {
		t.Errorf("overwritten: %q", got)
	}
	if _, err := os.Stat(filepath.Join(root, "out/b.yml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("another file was written before the refusal: %v", err)
	}
}

func TestPathsMustStayInsideTheRoot(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(".", filepath.Join(root, "self")); err != nil {
		t.Fatal(err)
	}
	tree := NewTree(root)
	for _, bad := range []string{"/etc/passwd", "../x.yml", "out/../../x.yml", "link/x.yml", "link/deep/x.yml", "", "out//a", "out\\a"} {
		if _, err := tree.Write([]File{gen(bad, "x\n")}); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
	entries, _ := os.ReadDir(outside)
	if len(entries) != 0 {
		t.Errorf("wrote outside the root: %v", entries)
	}
	if _, err := tree.Write([]File{gen("self/ok.yml", "x\n")}); err != nil {
		t.Errorf("a symlink staying inside the root was refused: %v", err)
	}
}

// The root may be given relative to the working directory.
func TestRelativeRoot(t *testing.T) {
	t.Chdir(t.TempDir())
	if _, err := NewTree(".").Write([]File{gen("out/a.yml", "a\n")}); err != nil {
		t.Fatal(err)
	}
	if _, err := NewTree(".").Write([]File{gen("../a.yml", "a\n")}); err == nil {
		t.Error("a path leaving a relative root was accepted")
	}
}

func TestProducedTwiceIsAnError(t *testing.T) {
	_, err := NewTree(t.TempDir()).Plan([]File{gen("out/a", "1"), gen("out/a", "2")})
	if err == nil || !strings.Contains(err.Error(), "produced twice") {
		t.Fatalf("err = %v", err)
	}
}

// A disk that fills up mid-write leaves every output as it was.
func TestFailedWriteLeavesOldOrNew(t *testing.T) {
	root := t.TempDir()
	tree := NewTree(root)
	v1 := []File{gen("out/a.yml", "a: 1\n"), gen("out/b.yml", "b: 1\n"), gen("out/c.yml", "c: 1\n")}
	if _, err := tree.Write(v1); err != nil {
		t.Fatal(err)
	}
	writes := 0
	tree.writeTemp = func(dir string, data []byte) (string, error) {
		writes++
		if writes == 2 {
			// Half the data reaches a temp file, then the disk is full.
			f, _ := os.CreateTemp(dir, ".portschema-*.tmp")
			f.Write(data[:len(data)/2])
			f.Close()
			os.Remove(f.Name())
			return "", errors.New("no space left on device")
		}
		return writeTemp(dir, data)
	}
	v2 := []File{gen("out/a.yml", "a: 2\n"), gen("out/b.yml", "b: 2\n"), gen("out/c.yml", "c: 2\n")}
	if _, err := tree.Write(v2); err == nil || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("err = %v", err)
	}
	for i, p := range []string{"out/a.yml", "out/b.yml", "out/c.yml"} {
		if got := readFile(t, root, p); got != string(v1[i].Data) {
			t.Errorf("%s changed although the write failed: %q", p, got)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(root, "out", ".portschema-*.tmp"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
	// The next run repairs everything.
	tree.writeTemp = writeTemp
	if _, err := tree.Write(v2); err != nil {
		t.Fatal(err)
	}
	changes, _ := tree.Plan(v2)
	for _, c := range changes {
		if c.Kind != Unchanged {
			t.Errorf("after repair %s is %s", c.Path, c.Kind)
		}
	}
}

// Two writers on one root never interleave: each sees the other's
// complete result, never a mix.
func TestConcurrentWritesAreSerialised(t *testing.T) {
	root := t.TempDir()
	var wg sync.WaitGroup
	sets := [][]File{
		{gen("out/a.yml", "one\n"), gen("out/b.yml", "one\n")},
		{gen("out/a.yml", "two\n"), gen("out/b.yml", "two\n")},
	}
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(set []File) {
			defer wg.Done()
			if _, err := NewTree(root).Write(set); err != nil {
				t.Error(err)
			}
		}(sets[i%2])
	}
	wg.Wait()
	a, b := readFile(t, root, "out/a.yml"), readFile(t, root, "out/b.yml")
	if a != b {
		t.Errorf("interleaved result: a=%q b=%q", a, b)
	}
}

func mustWrite(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A run killed between two renames leaves some outputs new and the
// manifest old: check reports what is stale, and the next regen repairs
// it, removing what the old manifest owned and is no longer produced.
func TestInterruptedWriteIsRepaired(t *testing.T) {
	root := t.TempDir()
	tree := NewTree(root)
	v1 := []File{gen("out/a.yml", "a: 1\n"), gen("out/b.yml", "b: 1\n"), gen("out/old.yml", "o\n")}
	if _, err := tree.Write(v1); err != nil {
		t.Fatal(err)
	}
	v2 := []File{gen("out/a.yml", "a: 2\n"), gen("out/b.yml", "b: 2\n"), gen("out/new.yml", "n\n")}
	// The killed run got as far as renaming a.yml and new.yml.
	mustWrite(t, filepath.Join(root, "out/a.yml"), string(v2[0].Data))
	mustWrite(t, filepath.Join(root, "out/new.yml"), string(v2[2].Data))
	changes, err := tree.Plan(v2)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]ChangeKind{"out/a.yml": Unchanged, "out/b.yml": Stale, "out/new.yml": Unchanged, "out/old.yml": Orphaned, ManifestPath: Stale}
	if got := kinds(changes); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("plan after interruption: %v, want %v", got, want)
	}
	if _, err := tree.Write(v2); err != nil {
		t.Fatal(err)
	}
	changes, _ = tree.Plan(v2)
	for _, c := range changes {
		if c.Kind != Unchanged {
			t.Errorf("after repair %s is %s", c.Path, c.Kind)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "out/old.yml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("orphan of the interrupted run survived: %v", err)
	}
}
