package main

import (
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"portschema/schema"
)

// The command collects to a budget in proportion to the source: the
// definitions and every file of it without its comment lines, nothing
// else in the directory.
func TestMemoryBudgetFollowsTheSource(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, schema.SourceDir)
	os.MkdirAll(dir, 0o755)
	comments := strings.Repeat("  // a comment the budget leaves out\n", 100)
	os.WriteFile(filepath.Join(dir, "a.cue"), append([]byte(comments), make([]byte, 1000)...), 0o644)
	os.WriteFile(filepath.Join(dir, "b.cue"), make([]byte, 500), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), make([]byte, 1<<20), 0o644)
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer restoreGC(debug.SetGCPercent(100), debug.SetMemoryLimit(-1))

	// Before the source is read: the base alone.
	setMemoryBudget(nil)
	if got := debug.SetMemoryLimit(-1); got != budgetBase {
		t.Errorf("limit before the source %d, want %d", got, budgetBase)
	}
	src, err := schema.ReadSource(root)
	if err != nil {
		t.Fatal(err)
	}
	setMemoryBudget(src)
	want := int64(budgetBase + budgetPerByte*(1500+len(schema.Definitions)))
	if got := debug.SetMemoryLimit(-1); got != want {
		t.Errorf("limit %d, want %d", got, want)
	}
	if pct := debug.SetGCPercent(-1); pct != -1 {
		t.Errorf("GOGC %d, want off", pct)
	}

	// GOGC in the environment wins.
	debug.SetMemoryLimit(math.MaxInt64)
	debug.SetGCPercent(100)
	t.Setenv("GOGC", "150")
	setMemoryBudget(src)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("with GOGC set, the limit became %d", got)
	}
}

// The budget main passes is set for the source of the root the command
// runs on, before the pipeline, and for no source yet (the base) before
// regen and check read the stamp; without one (as in tests), Go's
// defaults stay.
func TestCommandsSetTheBudgetOfTheirRoot(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, schema.SourceDir), 0o755)
	os.WriteFile(filepath.Join(root, schema.SourceDir, "a.cue"), []byte("package platform\n"), 0o644)
	var got []string
	var out strings.Builder
	budget := func(src *schema.Source) {
		if src == nil {
			got = append(got, "base")
			return
		}
		got = append(got, src.Dir)
	}
	run([]string{"-C", root, "vet"}, &out, &out, budget)
	run([]string{"check", "-C", root}, &out, &out, budget)
	run([]string{"-C", root, "regen"}, &out, &out, budget)
	dir := filepath.Join(root, schema.SourceDir)
	if want := []string{dir, "base", dir, "base", dir}; !slices.Equal(got, want) {
		t.Errorf("budget set for %q, want %q", got, want)
	}
}

func restoreGC(percent int, limit int64) {
	debug.SetGCPercent(percent)
	debug.SetMemoryLimit(limit)
}
