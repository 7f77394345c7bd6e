package schema

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
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
// service's chunk and that of the services the secret rule found
// nothing in.
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
	if added != 1 || rewritten != 2 {
		t.Errorf("the change added %d entries and rewrote %d, want 1 and 2", added, rewritten)
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

// The secret rule reads again only the services it has not found clean
// under the same value key: a secret a change brings is found, one found
// before is found again in every run, and a service known clean is not
// read, whatever it holds, while the same service under another key is.
func TestSecretRuleReadsOnlyServicesNotFoundClean(t *testing.T) {
	const withSecret = `package platform

services: "extra-s": {host: "batch", port: 9123, range: "exporters", description: "ok"
	compose: labels: note: "password=Zx81kq0PmW2vTt"}
services: "extra-t": {host: "batch", port: 9124, range: "exporters", description: "ok"}
`
	root := splitSource(t, withSecret)
	store := memo.At(t.TempDir(), "tool A")
	findings := func() []string {
		t.Helper()
		_, err := loadWith(root, nil, store)
		var ds Diagnostics
		if !errors.As(err, &ds) {
			t.Fatalf("no diagnostics: %v", err)
		}
		var out []string
		for _, d := range ds {
			out = append(out, d.Message[:strings.Index(d.Message, ":")])
		}
		return out
	}
	for run := range 2 {
		if got := findings(); !slices.Equal(got, []string{"extra-s"}) {
			t.Fatalf("run %d: findings of %v, want extra-s", run+1, got)
		}
	}
	edited := strings.Replace(withSecret, `9124, range: "exporters", description: "ok"`, `9124, range: "exporters", description: "token ghp_Zx81kq0PmW2vTtYy55aQ9rLm3nB7cD1eF4gH"`, 1)
	os.WriteFile(filepath.Join(root, SourceDir, "extra.cue"), []byte(edited), 0o644)
	if got := findings(); !slices.Equal(got, []string{"extra-s", "extra-t"}) {
		t.Fatalf("after the change: findings of %v, want extra-s and extra-t", got)
	}

	// The entry: every service but the two.
	src, err := readSource(filepath.Join(root, SourceDir))
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(root)
	kept := planSplit(src, parsePlain(src)).kept(src, store)
	keys := kept.valueKeys()
	clean := openCleanServices(store, abs, keys)
	if len(clean.held) != len(keys)-2 || clean.held[keys["extra-s"].ID()] || clean.held[keys["extra-t"].ID()] {
		t.Errorf("the entry holds %d of %d services, the two with secrets among them: %v", len(clean.held), len(keys), clean.held[keys["extra-s"].ID()])
	}

	// Known clean, a service is not read; under another key it is.
	p, _ := loadWith(root, nil, memo.Store{}) // with its errors
	for _, known := range []bool{true, false} {
		clean := &cleanServices{keys: keys, held: map[[32]byte]bool{}}
		if known {
			clean.held[keys["extra-s"].ID()] = true
		}
		var c collector
		checkSecretValues(&c, p, clean)
		reported := slices.ContainsFunc(c.diags, func(d Diagnostic) bool { return strings.HasPrefix(d.Message, "extra-s:") })
		if reported == known {
			t.Errorf("extra-s known clean %v: reported %v", known, reported)
		}
	}
}
