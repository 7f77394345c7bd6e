package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"portschema/generators"
	"portschema/generators/output"
	"portschema/generators/stamp"
	"portschema/schema/synthetic"
)

// stampProject is a generated project with its own stamp cache and a
// CLI whose tool identity the test chooses.
type stampProject struct {
	t    *testing.T
	root string
	tool string
	out  bytes.Buffer
}

func newStampProject(t *testing.T) *stampProject {
	t.Helper()
	t.Setenv(stamp.CacheEnv, t.TempDir())
	sp := &stampProject{t: t, root: t.TempDir(), tool: "tool A"}
	if err := synthetic.Write(sp.root, 12); err != nil {
		t.Fatal(err)
	}
	if code := sp.run("regen"); code != exitOK {
		t.Fatalf("regen: exit %d\n%s", code, sp.out.String())
	}
	return sp
}

func (sp *stampProject) cli() *cli {
	sp.out.Reset()
	c := newCLI(sp.root, &sp.out, &sp.out)
	tool := sp.tool
	c.tool = func() string { return tool }
	return c
}

func (sp *stampProject) run(cmd string) int {
	c := sp.cli()
	if cmd == "regen" {
		return c.regen(nil)
	}
	return c.check(nil)
}

// holds reports whether check would take the stamp's word.
func (sp *stampProject) holds() bool {
	ok, _ := stamp.Holds(sp.root, sp.tool)
	return ok
}

func (sp *stampProject) path(rel string) string {
	return filepath.Join(sp.root, filepath.FromSlash(rel))
}

func (sp *stampProject) edit(rel string, f func(string) string) {
	sp.t.Helper()
	data, err := os.ReadFile(sp.path(rel))
	if err != nil {
		sp.t.Fatal(err)
	}
	if err := os.WriteFile(sp.path(rel), []byte(f(string(data))), 0o644); err != nil {
		sp.t.Fatal(err)
	}
}

// wantFallback asserts that check does not take the stamp's word and
// that the full check it falls back to gives the expected verdict.
func (sp *stampProject) wantFallback(wantCode int, wantOutput string) {
	sp.t.Helper()
	if sp.holds() {
		sp.t.Fatal("the stamp still vouches for the tree")
	}
	if code := sp.run("check"); code != wantCode || !strings.Contains(sp.out.String(), wantOutput) {
		sp.t.Fatalf("check: exit %d, want %d with %q; output:\n%s", code, wantCode, wantOutput, sp.out.String())
	}
}

func TestCheckTakesTheStampOfAnUnchangedTree(t *testing.T) {
	sp := newStampProject(t)
	if !sp.holds() {
		t.Fatal("regen left no stamp that vouches for its own output")
	}
	if code := sp.run("check"); code != exitOK || sp.out.Len() != 0 {
		t.Fatalf("check: exit %d, output %q", code, sp.out.String())
	}
}

func TestChangedSourceFallsBackToFullCheck(t *testing.T) {
	sp := newStampProject(t)
	sp.edit("schema/services_000.cue", func(s string) string {
		return strings.Replace(s, `"info"`, `"debug"`, 1)
	})
	sp.wantFallback(exitFindings, "stale")
}

// A change that generates the same outputs passes the full check,
// which then stamps the tree again.
func TestFullCheckRestampsAnUpToDateTree(t *testing.T) {
	sp := newStampProject(t)
	sp.edit("schema/ranges.cue", func(s string) string { return s + "// a comment\n" })
	sp.wantFallback(exitOK, "")
	if !sp.holds() {
		t.Fatal("a passing full check left no stamp")
	}
}

func TestAddedSourceFileFallsBack(t *testing.T) {
	sp := newStampProject(t)
	extra := "package platform\n\nservices: \"db-00000\": env: EXTRA: \"1\"\n"
	if err := os.WriteFile(sp.path("schema/extra.cue"), []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	sp.wantFallback(exitFindings, "stale")
}

func TestHandEditedOutputFallsBack(t *testing.T) {
	sp := newStampProject(t)
	sp.edit("out/prometheus.yml", func(s string) string { return s + "# edited\n" })
	sp.wantFallback(exitFindings, "out/prometheus.yml: stale")
}

func TestDeletedOutputFallsBack(t *testing.T) {
	sp := newStampProject(t)
	if err := os.Remove(sp.path("out/env/api-00000.env")); err != nil {
		t.Fatal(err)
	}
	sp.wantFallback(exitFindings, "out/env/api-00000.env: missing")
}

// An orphan written back by hand (a file the manifest names and the
// source no longer generates) is a file the stamp does not know.
func TestEditedManifestFallsBack(t *testing.T) {
	sp := newStampProject(t)
	sp.edit(output.ManifestPath, func(s string) string { return s + "out/env/gone.env\n" })
	sp.wantFallback(exitFindings, "stale")
}

// A rebuilt tool may generate other bytes from the same source. The
// stamp below says tool A generated an edited prometheus.yml; tool A
// takes its word, any other tool checks for itself and finds it stale.
func TestDifferentToolFallsBack(t *testing.T) {
	sp := newStampProject(t)
	sp.edit("out/prometheus.yml", func(s string) string { return s + "# what tool A generates\n" })
	sp.restamp()
	if !sp.holds() {
		t.Fatal("tool A does not take its own stamp")
	}
	sp.tool = "tool B"
	sp.wantFallback(exitFindings, "out/prometheus.yml: stale")
}

// restamp records the tree as it is now under the current tool's key,
// as if that tool had generated it.
func (sp *stampProject) restamp() {
	sp.t.Helper()
	root, err := filepath.Abs(sp.root)
	if err != nil {
		sp.t.Fatal(err)
	}
	file := stamp.Path(root)
	data, err := os.ReadFile(file)
	if err != nil {
		sp.t.Fatal(err)
	}
	var s stamp.Stamp
	if err := s.UnmarshalText(data); err != nil {
		sp.t.Fatal(err)
	}
	for i, f := range s.Outputs {
		if f.Sum != "" {
			b, err := os.ReadFile(sp.path(f.Path))
			if err != nil {
				sp.t.Fatal(err)
			}
			s.Outputs[i] = stamp.FileOf(f.Path, b)
		}
	}
	data, _ = s.MarshalText()
	if err := os.WriteFile(file, data, 0o644); err != nil {
		sp.t.Fatal(err)
	}
}

// The same tree at another root has another key: outputs may name the
// root, and the stamp of one checkout says nothing about another.
func TestStampIsPerRoot(t *testing.T) {
	sp := newStampProject(t)
	other := t.TempDir()
	if err := os.CopyFS(other, os.DirFS(sp.root)); err != nil {
		t.Fatal(err)
	}
	from, _ := filepath.Abs(sp.root)
	to, _ := filepath.Abs(other)
	data, err := os.ReadFile(stamp.Path(from))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stamp.Path(to), data, 0o644); err != nil {
		t.Fatal(err)
	}
	sp.root = other
	if sp.holds() {
		t.Fatal("the stamp of one root vouches for another")
	}
}

func TestCorruptOrMissingStampFallsBack(t *testing.T) {
	sp := newStampProject(t)
	abs, _ := filepath.Abs(sp.root)
	if err := os.WriteFile(stamp.Path(abs), []byte("portschema stamp 1\nkey x\nout"), 0o644); err != nil {
		t.Fatal(err)
	}
	sp.wantFallback(exitOK, "")
	t.Setenv(stamp.CacheEnv, stamp.CacheOff)
	if sp.holds() {
		t.Fatal("a stamp was used with stamps off")
	}
}

// An output directory replaced by a symbolic link to identical files
// elsewhere is for the full check to judge (it refuses outputs outside
// the root).
func TestSymlinkedOutputDirFallsBack(t *testing.T) {
	sp := newStampProject(t)
	elsewhere := filepath.Join(t.TempDir(), "env")
	if err := os.Rename(sp.path("out/env"), elsewhere); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(elsewhere, sp.path("out/env")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	sp.wantFallback(exitUsage, "outside the project root")
}

// readStamp is the project's stamp as it is in the cache.
func (sp *stampProject) readStamp() stamp.Stamp {
	sp.t.Helper()
	root, _ := filepath.Abs(sp.root)
	data, err := os.ReadFile(stamp.Path(root))
	if err != nil {
		sp.t.Fatal(err)
	}
	var s stamp.Stamp
	if err := s.UnmarshalText(data); err != nil {
		sp.t.Fatal(err)
	}
	return s
}

// trusted reports whether the stamp vouches for every file and
// directory by its fingerprint alone.
func trusted(s stamp.Stamp) bool {
	for _, files := range [][]stamp.File{s.Outputs, s.Inputs, s.Sources} {
		for _, f := range files {
			if f.Sum != "" && !f.Stat.TrustedBefore(s.Since) {
				return false
			}
		}
	}
	for _, d := range s.Dirs {
		if d.Stat.Known() && !d.Stat.TrustedBefore(s.Since) {
			return false
		}
	}
	return len(s.Dirs) > 0 && len(s.Sources) > 0 && s.SourceDir.TrustedBefore(s.Since)
}

// fingerprinted runs check until the stamp it leaves vouches for the
// whole tree by fingerprints: files regen wrote in the tick the stamp
// started are read by the next check, which writes the stamp again.
func (sp *stampProject) fingerprinted() {
	sp.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if code := sp.run("check"); code != exitOK {
			sp.t.Fatalf("check: exit %d\n%s", code, sp.out.String())
		}
		s := sp.readStamp()
		if s.Since == 0 {
			sp.t.Skip("no fingerprints on this system")
		}
		if trusted(s) {
			return
		}
		if time.Now().After(deadline) {
			sp.t.Fatalf("the stamp does not come to trust the tree: %+v", s)
		}
	}
}

// sameSize edits a file, replacing old by new of the same length, and
// gives it back its modification time, or that time's second.
func (sp *stampProject) sameSize(rel, old, new string, keepNanoseconds bool) {
	sp.t.Helper()
	fi, err := os.Stat(sp.path(rel))
	if err != nil {
		sp.t.Fatal(err)
	}
	sp.edit(rel, func(s string) string {
		if len(old) != len(new) || !strings.Contains(s, old) {
			sp.t.Fatalf("%s has no %q to replace by %q", rel, old, new)
		}
		return strings.Replace(s, old, new, 1)
	})
	mtime := fi.ModTime()
	if !keepNanoseconds {
		mtime = mtime.Truncate(time.Second).Add(time.Nanosecond)
	}
	if err := os.Chtimes(sp.path(rel), mtime, mtime); err != nil {
		sp.t.Fatal(err)
	}
}

// Once the stamp vouches for the tree by fingerprints, check still
// answers without evaluating anything, and every edit is still found,
// even one that keeps the size and the modification time.
func TestFingerprintedStampFindsEveryEdit(t *testing.T) {
	sp := newStampProject(t)
	sp.fingerprinted()
	if !sp.holds() {
		t.Fatal("the fingerprinted stamp does not hold for the unchanged tree")
	}
	cases := []struct {
		what       string
		change     func(sp *stampProject)
		code       int
		output     string
		regenFixes string
	}{
		{"an output edited in its size and mtime", func(sp *stampProject) {
			sp.sameSize("out/prometheus.yml", "job_name", "jab_name", true)
		}, exitFindings, "out/prometheus.yml: stale", "1 updated"},
		{"an output edited in its size and mtime's second", func(sp *stampProject) {
			sp.sameSize("out/env/api-00000.env", "=", "~", false)
		}, exitFindings, "out/env/api-00000.env: stale", "1 updated"},
		{"a source edited in its size and mtime", func(sp *stampProject) {
			sp.sameSize("schema/services_000.cue", `"info"`, `"warn"`, true)
		}, exitFindings, "stale", "updated"},
		{"a source file added", func(sp *stampProject) {
			os.WriteFile(sp.path("schema/extra.cue"), []byte("package platform\n\nservices: \"db-00000\": env: EXTRA: \"1\"\n"), 0o644)
		}, exitFindings, "stale", "updated"},
		{"a source changed and an output edited in its size and mtime", func(sp *stampProject) {
			sp.edit("schema/services_000.cue", func(s string) string { return strings.Replace(s, `"info"`, `"warn"`, 1) })
			sp.sameSize("out/PORT_SCHEMA.md", "Port", "Pork", true)
		}, exitFindings, "out/PORT_SCHEMA.md: stale", "updated"},
		{"a stray in out/", func(sp *stampProject) { os.WriteFile(sp.path("out/env/stray.env"), nil, 0o644) },
			exitFindings, "out/env/stray.env: not generated", ""},
		{"a CUE module around the source", func(sp *stampProject) { os.Mkdir(sp.path("cue.mod"), 0o755) },
			-1, "", ""},
	}
	for _, c := range cases {
		t.Run(c.what, func(t *testing.T) {
			sp := newStampProject(t)
			sp.fingerprinted()
			c.change(sp)
			if c.code < 0 {
				if sp.holds() {
					t.Fatalf("the stamp still vouches for the tree after %s", c.what)
				}
				return
			}
			sp.wantFallback(c.code, c.output)
			if c.regenFixes == "" {
				return
			}
			if code := sp.run("regen"); code != exitOK || !strings.Contains(sp.out.String(), c.regenFixes) {
				t.Fatalf("regen: exit %d, want %q in:\n%q", code, c.regenFixes, sp.out.String())
			}
		})
	}
}

// What the stamp knows of an output without reading it is the sum of
// its bytes while its fingerprint stands, and nothing once it is
// edited, even with its size and modification time kept.
func TestStampKnowsUnchangedOutputsOnly(t *testing.T) {
	sp := newStampProject(t)
	sp.fingerprinted()
	last := stamp.ReadLast(sp.root)
	if last == nil {
		t.Fatal("the fingerprinted stamp knows nothing")
	}
	known := last.Known
	data, err := os.ReadFile(sp.path("out/prometheus.yml"))
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(sp.path("out/prometheus.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if sum, perm, ok := known("out/prometheus.yml"); !ok || sum != stamp.Sum(data) || perm != fi.Mode().Perm() {
		t.Fatalf("known = %q, %v, %v; want the sum of the file's bytes and %v", sum, perm, ok, fi.Mode().Perm())
	}
	sp.sameSize("out/prometheus.yml", "job_name", "jab_name", true)
	if sum, _, ok := known("out/prometheus.yml"); ok {
		t.Fatalf("an edited output is still known, as %q", sum)
	}
	if _, _, ok := known("out/nothing-here.yml"); ok {
		t.Fatal("an output the stamp does not record is known")
	}
}

// The stamp a regen saves takes the fingerprints of the outputs the
// last stamp vouched for from what the run saw, without looking again:
// an output edited after the run looked (its size and modification
// time kept) is still found by the next check, and an untouched tree
// is vouched for by fingerprints again.
func TestSavedStampReusesWhatTheRunSaw(t *testing.T) {
	for _, edit := range []bool{false, true} {
		sp := newStampProject(t)
		sp.fingerprinted()
		last := stamp.ReadLast(sp.root)
		res, err := generators.BuildWith(sp.root, output.Write, generators.Hooks{Known: last.Known})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Changes {
			if c.Kind != output.Unchanged {
				t.Fatalf("%s: %v on an untouched tree", c.Path, c.Kind)
			}
		}
		if edit {
			sp.sameSize("out/prometheus.yml", "job_name", "jab_name", true)
			// Ticks later, so that the stamp would trust the edited
			// file's own fingerprint, were it taken now.
			time.Sleep(50 * time.Millisecond)
		}
		stamp.Save(res, sp.tool, true, last)
		if sp.holds() == edit {
			t.Fatalf("edited %v: the next check finds the tree up to date: %v", edit, !edit)
		}
		if s := sp.readStamp(); !edit && !trusted(s) {
			t.Errorf("the saved stamp does not vouch by fingerprints: %+v", s)
		}
	}
}
