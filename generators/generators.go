// Package generators is everything portschema builds from the model:
// the registry of outputs (All) and the one pipeline every command runs
// (Build).
//
// Each output is a package of its own under generators/ that registers
// one Generator in All: a pure function from the model to files, and
// the rules only that output needs. A new output is that package and
// one line in registry.go.
package generators

import (
	"os"

	"portschema/generators/output"
	"portschema/schema"
)

// Generator is one output of the tool.
type Generator struct {
	Name string
	// Generate returns the output's files. It runs only on a source that
	// passed every rule, the source's own and every generator's Check,
	// and only reads the model. Problems it still finds come back as
	// schema.Diagnostics; any other error is not the source's.
	Generate func(*schema.Platform) ([]output.File, error)
	// Check, if set, reports the problems of the source that only this
	// output cares about (compose's owned keys, Prometheus' jobs), at
	// their positions. It runs on every model whose references resolve,
	// valid or not, so that a run reports every problem at once. read
	// reads the files besides the source that its rules check (alert
	// rules); an error is an I/O problem, not the source's.
	Check func(p *schema.Platform, read output.Read) (schema.Diagnostics, error)
	// Prepare, if set, stands for Check and Generate together, for an
	// output whose rules and files come from the same costly work (the
	// .env documents, the tunnel configurations): it does that work once
	// per run and returns it, with the problems Check would report (on
	// the same models Check runs on). A run asks the result for its
	// files only when it generates and no problem is an error. Check and
	// Generate are then its two halves, for callers that need one.
	Prepare func(p *schema.Platform, read output.Read) (Prepared, error)
}

// Prepared is an output's work on one model, done once: the problems
// its rules found, and its files rendered from the same work.
type Prepared interface {
	// Diagnostics are the problems Check reports.
	Diagnostics() schema.Diagnostics
	// Files are what Generate returns; it is called only on a source
	// whose Diagnostics hold no error.
	Files() ([]output.File, error)
}

// preparedGenerator is the Generator of an output that prepares its work once:
// prepare, the output package's own function returning its own type,
// stands for Check and Generate (see Generator.Prepare).
func preparedGenerator[P Prepared](name string, prepare func(*schema.Platform, output.Read) (P, error)) Generator {
	g := Generator{Name: name}
	g.Prepare = func(p *schema.Platform, read output.Read) (Prepared, error) {
		return prepare(p, read)
	}
	g.Check = func(p *schema.Platform, read output.Read) (schema.Diagnostics, error) {
		w, err := g.Prepare(p, read)
		if err != nil {
			return nil, err
		}
		return w.Diagnostics(), nil
	}
	g.Generate = func(p *schema.Platform) ([]output.File, error) {
		w, err := g.Prepare(p, noFiles)
		if err != nil {
			return nil, err
		}
		if errs := errorsOf(w.Diagnostics()); len(errs) > 0 {
			return nil, errs
		}
		return w.Files()
	}
	return g
}

// noFiles is the read of a Generate, which reads no file besides the
// source: every file is missing.
func noFiles(string) ([]byte, error) { return nil, os.ErrNotExist }
