package prepared

import (
	"errors"
	"io/fs"
	"testing"

	"portschema/generators/output"
	"portschema/schema"
)

type plan struct{ diags schema.Diagnostics }

func (p plan) Diagnostics() schema.Diagnostics { return p.diags }
func (p plan) Files() ([]output.File, error) {
	return []output.File{{Path: "out/x", Data: []byte("x")}}, nil
}

// Generate gives the files of a source whose problems are warnings, the
// errors alone of one with errors, and reads no file; Check gives every
// problem, reading through the read it is given.
func TestHalves(t *testing.T) {
	warning := schema.Diagnostic{Severity: schema.Warning, Message: "w"}
	failure := schema.Diagnostic{Severity: schema.Error, Message: "e"}
	prepareWith := func(ds ...schema.Diagnostic) Prepare[plan] {
		return func(*schema.Platform, output.Read) (plan, error) { return plan{diags: ds}, nil }
	}
	if files, err := Generate(prepareWith(warning), nil); err != nil || len(files) != 1 {
		t.Errorf("a warning: %v, %v; want the files", files, err)
	}
	var errs schema.Diagnostics
	if files, err := Generate(prepareWith(warning, failure), nil); files != nil || !errors.As(err, &errs) || len(errs) != 1 || errs[0].Message != "e" {
		t.Errorf("an error: %v, %v; want the error alone", files, err)
	}
	read := func(string) ([]byte, error) { return []byte("groups: []\n"), nil }
	reading := func(_ *schema.Platform, r output.Read) (plan, error) {
		_, err := r("alerts.yml")
		return plan{diags: schema.Diagnostics{warning, failure}}, err
	}
	if ds, err := Check(reading, nil, read); err != nil || len(ds) != 2 {
		t.Errorf("Check = %v, %v; want both problems", ds, err)
	}
	var seen error
	Generate(func(p *schema.Platform, r output.Read) (plan, error) {
		_, seen = r("alerts.yml")
		return plan{}, nil
	}, nil)
	if !errors.Is(seen, fs.ErrNotExist) {
		t.Errorf("Generate's read found a file: %v", seen)
	}
}
