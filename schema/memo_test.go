package schema

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"portschema/schema/memo"
	"portschema/schema/synthetic"
)

// memoRoots are a source evaluated in parts and one evaluated whole.
func memoRoots(t *testing.T) map[string]string {
	small := t.TempDir()
	if err := synthetic.Write(small, 12); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"split": splitSource(t, extraServices), "whole": small}
}

// loadOrFail loads root with store and returns the model.
func loadOrFail(t *testing.T, root string, store memo.Store) *Platform {
	t.Helper()
	p, err := loadWith(root, nil, store)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// entries lists the memo's entry files, sorted.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && len(d.Name()) == 64 {
			out = append(out, path)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// Whatever the memo holds (entries of this run, corrupt ones, another
// binary's), the model is the one an evaluation without it gives.
func TestMemoNeverChangesTheModel(t *testing.T) {
	for shape, root := range memoRoots(t) {
		t.Run(shape, func(t *testing.T) {
			want := loadOrFail(t, root, memo.Store{})
			same := func(what string, got *Platform) {
				t.Helper()
				if !reflect.DeepEqual(want, got) {
					t.Errorf("%s: the model differs from the one evaluated without the memo", what)
				}
			}
			dir := t.TempDir()
			store := memo.At(dir, "tool A")
			same("first run", loadOrFail(t, root, store))
			mine := entries(t, dir)
			if len(mine) == 0 {
				t.Fatal("the run kept nothing")
			}
			same("from the memo", loadOrFail(t, root, store))

			for _, name := range mine {
				data, _ := os.ReadFile(name)
				data[len(data)-1] ^= 0x20
				os.WriteFile(name, data, 0o644)
			}
			same("corrupt entries", loadOrFail(t, root, store))

			otherDir := t.TempDir()
			loadOrFail(t, root, memo.At(otherDir, "tool B"))
			theirs := entries(t, otherDir)
			if len(theirs) != len(mine) {
				t.Fatalf("the other binary kept %d entries, this one %d", len(theirs), len(mine))
			}
			for i, name := range mine {
				data, _ := os.ReadFile(theirs[i])
				os.WriteFile(name, data, 0o644)
			}
			same("another binary's entries", loadOrFail(t, root, store))
		})
	}
}

// After a change to a service, the model is the changed source's, and
// the memo gains the changed file's facts and rewrites the entry of the
// service's chunk.
func TestMemoAfterAChange(t *testing.T) {
	root := splitSource(t, extraServices)
	dir := t.TempDir()
	store := memo.At(dir, "tool A")
	loadOrFail(t, root, store)
	before := map[string][]byte{}
	for _, name := range entries(t, dir) {
		before[name], _ = os.ReadFile(name)
	}
	file := filepath.Join(root, SourceDir, "extra.cue")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), "port: 9121", "port: 9125", 1)
	if edited == string(data) {
		t.Fatal("the edit changed nothing")
	}
	os.WriteFile(file, []byte(edited), 0o644)
	got := loadOrFail(t, root, store)
	if port := got.Service("extra-b").Port; port != 9125 {
		t.Errorf("extra-b is on port %d", port)
	}
	if !reflect.DeepEqual(got, loadOrFail(t, root, memo.Store{})) {
		t.Error("the model differs from the one evaluated without the memo")
	}
	added, rewritten := 0, 0
	for _, name := range entries(t, dir) {
		data, _ := os.ReadFile(name)
		old, ok := before[name]
		switch {
		case !ok:
			added++
		case !bytes.Equal(old, data):
			rewritten++
		}
	}
	if added != 1 || rewritten != 1 {
		t.Errorf("the change added %d entries and rewrote %d, want 1 and 1", added, rewritten)
	}
}

// Runs side by side on one memo each get the model.
func TestMemoConcurrentRuns(t *testing.T) {
	root := splitSource(t, extraServices)
	want := loadOrFail(t, root, memo.Store{})
	dir := t.TempDir()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 3 {
				p, err := loadWith(root, nil, memo.At(dir, "tool A"))
				if err != nil || !reflect.DeepEqual(p, want) {
					t.Errorf("a concurrent run got another model (%v)", err)
					return
				}
			}
		})
	}
	wg.Wait()
}
