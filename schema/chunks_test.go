package schema

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"portschema/schema/memo"
	"portschema/schema/synthetic"
)

// After a change to one service of a large source, the memo holds
// every chunk but the service's own, so only that chunk's services are
// evaluated again; the model is the changed source's.
func TestChangeEvaluatesItsChunkOnly(t *testing.T) {
	root := t.TempDir()
	if err := synthetic.Write(root, 600); err != nil {
		t.Fatal(err)
	}
	store := memo.At(t.TempDir(), "tool A")
	loadOrFail(t, root, store)
	files, _ := filepath.Glob(filepath.Join(root, SourceDir, "services*.cue"))
	slices.Sort(files)
	file := files[len(files)/2]
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(data), `description: "`)
	edited := string(data[:i]) + `description: "edited, ` + string(data[i+len(`description: "`):])
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}

	src, err := readSource(filepath.Join(root, SourceDir))
	if err != nil {
		t.Fatal(err)
	}
	plan := planSplit(src, parsePlain(src))
	kept := plan.kept(src, store)
	if len(kept.missing) == 0 || len(kept.missing) > maxChunk {
		t.Fatalf("%d services of %d to evaluate again after a change to one", len(kept.missing), len(plan.names))
	}
	want := loadOrFail(t, root, memo.Store{})
	var changed string
	for _, s := range want.Services {
		if strings.HasPrefix(s.Description, "edited, ") {
			changed = s.Name
		}
	}
	if !slices.Contains(kept.missing, changed) {
		t.Errorf("the changed service %s is not among those evaluated again: %v", changed, kept.missing)
	}
	if got := loadOrFail(t, root, store); !reflect.DeepEqual(got, want) {
		t.Error("the model differs from the one evaluated without the memo")
	}
	if kept := plan.kept(src, store); len(kept.missing) != 0 {
		t.Errorf("after the run, %d services are still to evaluate", len(kept.missing))
	}
}

// Chunks end where the names say, not where counts do: a service added
// or removed changes its own chunk only.
func TestChunksDependOnNamesAround(t *testing.T) {
	var names []string
	for i := range 400 {
		names = append(names, "svc-"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	slices.Sort(names)
	names = slices.Compact(names)
	plan := &splitPlan{names: names}
	before := plan.chunks()
	gone := names[len(names)/2]
	plan.names = slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == gone })
	after := plan.chunks()
	changed := 0
	seen := map[string]bool{}
	for _, c := range after {
		seen[strings.Join(c, " ")] = true
	}
	for _, c := range before {
		if !seen[strings.Join(c, " ")] {
			changed++
		}
	}
	if changed != 1 {
		t.Errorf("removing one service changed %d chunks", changed)
	}
	for _, c := range before {
		if len(c) > maxChunk {
			t.Errorf("a chunk of %d services", len(c))
		}
	}
}
