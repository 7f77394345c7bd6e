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
}
