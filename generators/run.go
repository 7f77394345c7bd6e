package generators

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"portschema/generators/output"
	"portschema/schema"
	"portschema/schema/readfile"
)

// Run checks a model Load accepted with every generator's rules and
// generates every output, with no ending: the files, sorted by path, or
// every problem as schema.Diagnostics. Files the rules read are read
// from the model's root. Build is the whole pipeline, from the source to
// the disk.
func Run(p *schema.Platform) ([]output.File, error) {
	files, diags, err := run(All(), p, true, (&inputs{root: p.Root}).read, nil)
	if err != nil {
		return nil, err
	}
	if errs := diags.OnlyErrors(); len(errs) > 0 {
		return nil, errs
	}
	return files, nil
}

// run calls the generators side by side: each one's Check, then, if
// generate is set and its Check found no error, its Generate, handing
// the files to ready (if not nil) as soon as they are final. It returns
// the files, sorted by path, and every generator's diagnostics, errors
// and warnings, sorted; the files are only complete when there is no
// error among them. A model whose references do not resolve is left
// alone: the source's rules report why.
//
// An error that is not the source's (an I/O problem) wins, the first in
// registry order; so does a path produced twice, which names the later
// generator.
func run(gens []Generator, p *schema.Platform, generate bool, read output.Read, ready func([]output.File)) ([]output.File, schema.Diagnostics, error) {
	if !p.Resolved() {
		return nil, nil, nil
	}
	outs := make([][]output.File, len(gens))
	found := make([]schema.Diagnostics, len(gens))
	errs := make([]error, len(gens))
	var wg sync.WaitGroup
	for i, g := range gens {
		wg.Go(func() { outs[i], found[i], errs[i] = runOne(g, p, generate, read, ready) })
	}
	wg.Wait()
	var diags schema.Diagnostics
	for i, g := range gens {
		if errs[i] != nil {
			return nil, nil, fmt.Errorf("%s: %w", g.Name, errs[i])
		}
		diags = append(diags, found[i]...)
	}
	if diags.Errors() > 0 || !generate {
		return nil, diags.Sort(), nil
	}
	var files []output.File
	owner := map[string]string{}
	for i, g := range gens {
		for _, f := range outs[i] {
			if prev, ok := owner[f.Path]; ok {
				return nil, nil, fmt.Errorf("%s: output %s is also produced by %s", g.Name, f.Path, prev)
			}
			owner[f.Path] = g.Name
			files = append(files, f)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, diags.Sort(), nil
}

// runOne is one generator's part of run.
func runOne(g Generator, p *schema.Platform, generate bool, read output.Read, ready func([]output.File)) ([]output.File, schema.Diagnostics, error) {
	w, err := prepare(g, p, read)
	if err != nil {
		return nil, nil, err
	}
	diags := w.Diagnostics()
	if !generate || diags.Errors() > 0 {
		return nil, diags, nil
	}
	files, err := w.Files()
	var ds schema.Diagnostics
	switch {
	case errors.As(err, &ds):
		return nil, append(diags, ds...), nil
	case err != nil:
		return nil, nil, err
	}
	if ready != nil {
		ready(files)
	}
	return files, diags, nil
}

// prepare is g's work on p: its Prepare, or its Check, with its
// Generate to follow.
func prepare(g Generator, p *schema.Platform, read output.Read) (Prepared, error) {
	if g.Prepare != nil {
		return g.Prepare(p, read)
	}
	w := checked{generate: func() ([]output.File, error) { return g.Generate(p) }}
	if g.Check != nil {
		ds, err := g.Check(p, read)
		if err != nil {
			return nil, err
		}
		w.diags = ds
	}
	return w, nil
}

// checked is the work of a generator with a separate Check and
// Generate: Check's problems, and Generate yet to run.
type checked struct {
	diags    schema.Diagnostics
	generate func() ([]output.File, error)
}

func (c checked) Diagnostics() schema.Diagnostics { return c.diags }
func (c checked) Files() ([]output.File, error)   { return c.generate() }

// inputs reads the files besides the source that generators' rules
// check, from the project root, and records what it read, so that a
// check stamp can vouch for them too.
type inputs struct {
	root string
	mu   sync.Mutex
	seen map[string]Input
}

// Input is a file besides the source that a run's rules read, relative
// to the project root, as it was read.
type Input struct {
	Path string
	Data []byte
	// Exists is false for a file that was not there.
	Exists bool
}

func (in *inputs) read(path string) ([]byte, error) {
	data, err := readfile.Regular(filepath.Join(in.root, filepath.FromSlash(path)))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.seen == nil {
		in.seen = map[string]Input{}
	}
	in.seen[path] = Input{Path: path, Data: data, Exists: err == nil}
	return data, err
}

// recorded is every file read, sorted by path.
func (in *inputs) recorded() []Input {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := make([]Input, 0, len(in.seen))
	for _, f := range in.seen {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
