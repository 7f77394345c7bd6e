package compose

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"portschema/schema"
	"portschema/schema/memo"
)

// verdictsOf validates the host of service e in the references fixture
// with a memo in dir, and returns the diagnostics and the services it
// had to load.
func verdictsOf(t *testing.T, p *schema.Platform, dir string) ([]string, int) {
	t.Helper()
	v := newValidator()
	v.verdicts = verdicts{store: memo.At(dir, "tool A")}
	h := p.Host(p.Service("e").Host)
	pending, _ := v.verdicts.pending(p, h, v.casts)
	var got []string
	switch err := v.validate(p, h).(type) {
	case nil:
	case schema.Diagnostics:
		for _, d := range err {
			got = append(got, d.String())
		}
	default:
		t.Fatal(err)
	}
	return got, len(pending)
}

// A service compose-go accepted is not loaded again until a byte it
// depends on changes (its block, a block it refers to, the host's
// blocks); a rejected block is loaded every time and reported as on a
// first run, whatever the memo holds.
func TestVerdictsFollowTheBlocks(t *testing.T) {
	dir := t.TempDir()
	p := loadPlatform(t, "testdata/references")
	all := len(p.Host(p.Service("e").Host).Services)
	if ds, n := verdictsOf(t, p, dir); ds != nil || n != all {
		t.Fatalf("first run: %q, %d loaded of %d", ds, n, all)
	}
	if ds, n := verdictsOf(t, p, dir); ds != nil || n != 0 {
		t.Fatalf("second run: %q, %d loaded, want none", ds, n)
	}

	p.Service("e").Compose["network_mode"] = "service:ghost"
	want := `e: compose rejects the service: service "ghost" not found for network_mode`
	for run := range 2 {
		ds, n := verdictsOf(t, p, dir)
		if len(ds) != 1 || !strings.Contains(ds[0], want) || n == 0 {
			t.Fatalf("run %d with a bad block: %q, %d loaded", run, ds, n)
		}
	}

	p = loadPlatform(t, "testdata/references")
	if ds, n := verdictsOf(t, p, dir); ds != nil || n != 0 {
		t.Errorf("the blocks as first accepted: %q, %d loaded, want none", ds, n)
	}
	p.Host(p.Service("e").Host).Compose.Volumes = map[string]any{"extra": map[string]any{}}
	if ds, n := verdictsOf(t, p, dir); ds != nil || n != all {
		t.Errorf("new host blocks: %q, %d loaded, want every service", ds, n)
	}
}

// A corrupt or foreign entry of a host's verdicts is no verdict: every
// service is loaded, and a bad block is still reported.
func TestVerdictsBadEntries(t *testing.T) {
	dir := t.TempDir()
	p := loadPlatform(t, "testdata/references")
	all := len(p.Host(p.Service("e").Host).Services)
	verdictsOf(t, p, dir)
	var files []string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && len(d.Name()) == 64 {
			files = append(files, path)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no verdicts kept")
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		data[len(data)-1] ^= 1
		os.WriteFile(f, data, 0o644)
	}
	if ds, n := verdictsOf(t, p, dir); ds != nil || n != all {
		t.Errorf("corrupt verdicts: %q, %d loaded, want every service", ds, n)
	}
	p.Service("e").Compose["network_mode"] = "service:ghost"
	fresh, _ := verdictsOf(t, p, t.TempDir())
	if got, _ := verdictsOf(t, p, dir); !reflect.DeepEqual(got, fresh) || len(got) != 1 {
		t.Errorf("with the memo: %q; without: %q", got, fresh)
	}
}
