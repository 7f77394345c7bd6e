package generators

import (
	"errors"
	"io/fs"

	"portschema/generators/output"
	"portschema/schema"
)

// Result is what one run of the pipeline built.
type Result struct {
	Platform *schema.Platform
	// Files are every generated file, sorted by path; nil when the
	// source has errors.
	Files []output.File
	// Changes are how the disk differed (Compare) or what was written
	// (Write); nil for Discard.
	Changes []output.Change
	// Warnings are the source's and the outputs' warnings the source
	// has not acknowledged, sorted.
	Warnings schema.Diagnostics
	// Acknowledged are the warnings the source acknowledges, each with
	// its reason, sorted.
	Acknowledged schema.Diagnostics
	// Inputs are the files besides the source that the rules read.
	Inputs []Input
}

// Build is the pipeline every command runs, on the project at root:
// load the source and check its rules, check every output's rules,
// generate every output, and end as asked (write the files, compare
// them with the disk, or neither). Commands differ only in the ending
// and in what they print.
//
// Problems in the source come back together as schema.Diagnostics,
// sorted by position: the source's own rules and every output's, found
// in one run. The Result is then still returned where the source
// loaded, with its warnings. Any other error is an I/O problem.
//
// The ending is opened once the source is known to be valid, before the
// generators run: a write stages each generator's files while the
// others still run, and writes nothing unless every one succeeded.
func Build(root string, ending output.Ending) (*Result, error) {
	return BuildWith(root, ending, Hooks{})
}

// Hooks are what a command adds to the pipeline's run.
type Hooks struct {
	// Waiting, if not nil, is told when a write waits for the lock
	// another run on the root holds.
	Waiting func(lock string)
	// Known, if not nil, tells what is known of the outputs on disk
	// without reading them (see output.Tree.Known).
	Known func(rel string) (sum string, perm fs.FileMode, ok bool)
	// Source, if not nil, is the source of the root as the caller read
	// it (see schema.ReadSource), loaded rather than read again.
	Source *schema.Source
}

// BuildWith is Build with hooks.
func BuildWith(root string, ending output.Ending, hooks Hooks) (*Result, error) {
	var p *schema.Platform
	var err error
	if hooks.Source != nil {
		p, err = schema.LoadSource(root, hooks.Source)
	} else {
		p, err = schema.Load(root)
	}
	var srcErrs schema.Diagnostics
	if p == nil || (err != nil && !errors.As(err, &srcErrs)) {
		return nil, err
	}
	if len(srcErrs) == 0 && !p.Resolved() {
		// Generators would find nothing to read, and a write would
		// remove every output as an orphan.
		return nil, errors.New("the source's references do not resolve, yet no rule says why (please report this)")
	}
	res := &Result{Platform: p}
	generate := len(srcErrs) == 0
	var ready func([]output.File)
	var sink *output.Sink
	if generate {
		tree := output.NewTree(p.Root)
		tree.Waiting, tree.Known = hooks.Waiting, hooks.Known
		if sink, err = tree.Open(ending); err != nil {
			return nil, err
		}
		defer sink.Close()
		ready = sink.Ready
	}
	in := &inputs{root: p.Root}
	files, diags, err := run(All(), p, generate, in.read, ready)
	if err != nil {
		return nil, err
	}
	res.Inputs = in.recorded()
	all := append(append(append(schema.Diagnostics{}, srcErrs...), p.Warnings...), diags...).Sort()
	var warns schema.Diagnostics
	for _, d := range all {
		if d.Severity == schema.Warning {
			warns = append(warns, d)
		}
	}
	res.Warnings, res.Acknowledged = p.Acknowledged(warns)
	if errs := all.OnlyErrors(); len(errs) > 0 {
		return res, errs
	}
	res.Files = files
	if res.Changes, err = sink.Finish(files); err != nil {
		return nil, err
	}
	return res, nil
}
