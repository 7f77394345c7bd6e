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
	"portschema/generators/output"
	"portschema/generators/prepared"
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
type Prepared = prepared.Plan

// preparedGenerator is the Generator of an output that prepares its work once:
// prepare, the output package's own function returning its own type,
// stands for Check and Generate (see Generator.Prepare).
func preparedGenerator[P Prepared](name string, prepare prepared.Prepare[P]) Generator {
	return Generator{
		Name: name,
		Prepare: func(p *schema.Platform, read output.Read) (Prepared, error) {
			return prepare(p, read)
		},
		Check: func(p *schema.Platform, read output.Read) (schema.Diagnostics, error) {
			return prepared.Check(prepare, p, read)
		},
		Generate: func(p *schema.Platform) ([]output.File, error) {
			return prepared.Generate(prepare, p)
		},
	}
}
