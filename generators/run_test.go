package generators

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"portschema/generators/output"
	"portschema/schema"
)

// source is a small valid platform; bad adds a port collision, a rule
// of the source itself.
const (
	source = `package platform

platform: name: "demo"
ranges: core: {from: 3000, to: 3009, purpose: "Core"}
hosts: mini: {title: "Mini", kind: "compose", compose: project: "demo"}
services: auth: {host: "mini", port: 3001, range: "core", compose: image: "auth:1"}
`
	collision = `package platform

services: web: {host: "mini", port: 3001, range: "core", compose: image: "web:1"}
`
	unknownHost = `package platform

services: web: {host: "maxi", port: 3002, range: "core"}
`
)

// project writes a project root whose schema/ holds the files.
func project(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// load loads a project and returns the model with the source's errors.
func load(t *testing.T, files map[string]string) (*schema.Platform, schema.Diagnostics) {
	t.Helper()
	p, err := schema.Load(project(t, files))
	var ds schema.Diagnostics
	if p == nil || (err != nil && !errors.As(err, &ds)) {
		t.Fatalf("load: %v", err)
	}
	return p, ds
}

// fake is a generator that reports an error at line (if not 0) and
// otherwise writes one file, counting its Generate calls.
func fake(name string, line int, generated *atomic.Int32) Generator {
	return Generator{
		Name: name,
		Check: func(*schema.Platform, output.Read) (schema.Diagnostics, error) {
			var ds schema.Diagnostics
			if line > 0 {
				ds.Errorf(schema.Pos{File: "schema/x.cue", Line: line, Col: 1}, nil, "%s objects", name)
			}
			ds.Warnf(schema.Pos{File: "schema/x.cue", Line: 100 - line, Col: 1}, nil, "%s warns", name)
			return ds, nil
		},
		Generate: func(*schema.Platform) ([]output.File, error) {
			generated.Add(1)
			return []output.File{{Path: "out/" + name}}, nil
		},
	}
}

func lines(ds schema.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

// The problems of every generator come back from one run, merged and
// sorted, and no generator's files are used.
func TestRunMergesEveryGeneratorsProblems(t *testing.T) {
	p, _ := load(t, map[string]string{"schema/a.cue": source})
	var generated atomic.Int32
	gens := []Generator{fake("late", 9, &generated), fake("clean", 0, &generated), fake("early", 3, &generated)}
	files, ds, err := run(gens, p, true, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"schema/x.cue:3:1: early objects",
		"schema/x.cue:9:1: late objects",
		"schema/x.cue:91:1: warning: late warns",
		"schema/x.cue:97:1: warning: early warns",
		"schema/x.cue:100:1: warning: clean warns",
	}
	if got := lines(ds); !slices.Equal(got, want) || files != nil {
		t.Errorf("got files %v and\n%s\nwant\n%s", files, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := generated.Load(); n != 1 {
		t.Errorf("%d generators generated; only the one whose check passed may", n)
	}
}

// A source that breaks its own rules is still checked by every output,
// but nothing is generated.
func TestBrokenSourceIsCheckedButNotGenerated(t *testing.T) {
	p, srcErrs := load(t, map[string]string{"schema/a.cue": source, "schema/b.cue": collision})
	if len(srcErrs) != 1 || !p.Resolved() {
		t.Fatalf("source errors %v", srcErrs)
	}
	var generated atomic.Int32
	_, ds, err := run([]Generator{fake("compose", 2, &generated)}, p, false, nil, nil)
	if err != nil || ds.Errors() != 1 || generated.Load() != 0 {
		t.Errorf("diagnostics %v, error %v, %d generated", ds, err, generated.Load())
	}
}

// A model whose references do not resolve is left to the source's
// rules: no output's rules read it.
func TestUnresolvedModelIsNotChecked(t *testing.T) {
	p, srcErrs := load(t, map[string]string{"schema/a.cue": source, "schema/b.cue": unknownHost})
	if len(srcErrs) == 0 || p.Resolved() {
		t.Fatalf("the unknown host resolved: %v", srcErrs)
	}
	called := false
	g := Generator{Name: "x", Check: func(*schema.Platform, output.Read) (schema.Diagnostics, error) {
		called = true
		return nil, nil
	}}
	if _, ds, err := run([]Generator{g}, p, false, nil, nil); called || ds != nil || err != nil {
		t.Errorf("checked an unresolved model: %v %v", ds, err)
	}
}

// An error that is not the source's names its generator and wins over
// diagnostics; so does a path two generators produce.
func TestOtherErrorsNameTheGenerator(t *testing.T) {
	p, _ := load(t, map[string]string{"schema/a.cue": source})
	var generated atomic.Int32
	broken := Generator{Name: "broken", Check: func(*schema.Platform, output.Read) (schema.Diagnostics, error) {
		return nil, errors.New("disk on fire")
	}}
	if _, _, err := run([]Generator{fake("a", 3, &generated), broken}, p, true, nil, nil); err == nil || err.Error() != "broken: disk on fire" {
		t.Errorf("error %v", err)
	}
	twice := fake("a", 0, &generated)
	twice.Name = "b"
	if _, _, err := run([]Generator{fake("a", 0, &generated), twice}, p, true, nil, nil); err == nil || err.Error() != "b: output out/a is also produced by a" {
		t.Errorf("error %v", err)
	}
}

// Build ends as asked: a comparison writes nothing, a write writes
// every file, and a source with errors leaves the disk alone.
func TestBuildEndings(t *testing.T) {
	root := project(t, map[string]string{"schema/a.cue": source})
	res, err := Build(root, output.Compare)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) == 0 || len(res.Changes) != len(res.Files)+1 || res.Changes[0].Kind != output.Missing {
		t.Fatalf("compare: %d files, changes %v", len(res.Files), res.Changes)
	}
	if _, err := os.Stat(filepath.Join(root, "out")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a comparison touched out/: %v", err)
	}
	if res, err = Build(root, output.Write); err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		if data, err := os.ReadFile(filepath.Join(root, f.Path)); err != nil || string(data) != string(f.Data) {
			t.Errorf("%s not written: %v", f.Path, err)
		}
	}
	os.WriteFile(filepath.Join(root, "schema/b.cue"), []byte(collision), 0o644)
	res, err = Build(root, output.Write)
	var ds schema.Diagnostics
	if !errors.As(err, &ds) || len(ds) != 1 || res == nil || res.Files != nil {
		t.Errorf("a broken source: %v, %+v", err, res)
	}
}

// countedWork is an output's prepared work that counts how often it is
// prepared and rendered.
type countedWork struct {
	name     string
	diags    schema.Diagnostics
	rendered *atomic.Int32
}

func (w countedWork) Diagnostics() schema.Diagnostics { return w.diags }
func (w countedWork) Files() ([]output.File, error) {
	w.rendered.Add(1)
	return []output.File{{Path: "out/" + w.name}}, nil
}

// counted is a prepared generator that reports an error at line (if
// not 0), counting its preparations and renderings.
func counted(name string, line int, prepared, rendered *atomic.Int32) Generator {
	return preparedGenerator(name, func(*schema.Platform, output.Read) (countedWork, error) {
		prepared.Add(1)
		w := countedWork{name: name, rendered: rendered}
		if line > 0 {
			w.diags.Errorf(schema.Pos{File: "schema/x.cue", Line: line, Col: 1}, nil, "%s objects", name)
		}
		return w, nil
	})
}

// A prepared output does its work once per run, whether the run only
// checks or also generates, and renders its files only when no
// problem is an error; its Check and Generate halves behave as a
// generator's own.
func TestPreparedWorkIsDoneOncePerRun(t *testing.T) {
	p, _ := load(t, map[string]string{"schema/a.cue": source})
	for _, tc := range []struct {
		line               int
		generate           bool
		rendered, files, n int
	}{
		{0, true, 1, 1, 0}, {0, false, 0, 0, 0}, {4, true, 0, 0, 1}, {4, false, 0, 0, 1},
	} {
		var prepared, rendered atomic.Int32
		files, ds, err := run([]Generator{counted("x", tc.line, &prepared, &rendered)}, p, tc.generate, nil, nil)
		if err != nil || prepared.Load() != 1 || rendered.Load() != int32(tc.rendered) || len(files) != tc.files || len(ds) != tc.n {
			t.Errorf("%+v: prepared %d, rendered %d, files %v, diagnostics %v, error %v",
				tc, prepared.Load(), rendered.Load(), files, ds, err)
		}
	}
	var prepared, rendered atomic.Int32
	g := counted("x", 4, &prepared, &rendered)
	if ds, err := g.Check(p, nil); err != nil || len(ds) != 1 {
		t.Errorf("Check: %v %v", ds, err)
	}
	var errs schema.Diagnostics
	if files, err := g.Generate(p); files != nil || !errors.As(err, &errs) || len(errs) != 1 || rendered.Load() != 0 {
		t.Errorf("Generate of a source with an error: %v %v, rendered %d", files, err, rendered.Load())
	}
	if files, err := counted("y", 0, &prepared, &rendered).Generate(p); err != nil || len(files) != 1 {
		t.Errorf("Generate: %v %v", files, err)
	}
}
