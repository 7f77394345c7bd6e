// Package prepared is the shape of an output whose rules and files come
// from the same costly work (the .env documents, the tunnel
// configurations, the clusters' objects), done once per run, and the
// two halves every caller of such an output needs: its problems
// (Check) and its files (Generate). The registry builds its generators
// from these, and so may any other caller, so that an output's halves
// behave the same wherever they are asked for.
package prepared

import (
	"os"
	"portschema/generators/output"
	"portschema/schema"
)

// Plan is an output's work on one model, done once: the problems its
// rules found, and its files rendered from the same work.
type Plan interface {
	// Diagnostics are the problems the output's rules found.
	Diagnostics() schema.Diagnostics
	// Files are the output's files; it is called only on a source whose
	// Diagnostics hold no error.
	Files() ([]output.File, error)
}

// A Prepare does an output's work on p; read reads the files besides
// the source that its rules check.
type Prepare[P Plan] func(p *schema.Platform, read output.Read) (P, error)

// Check is the problems prepare finds in p.
func Check[P Plan](prepare Prepare[P], p *schema.Platform, read output.Read) (schema.Diagnostics, error) {
	w, err := prepare(p, read)
	if err != nil {
		return nil, err
	}
	return w.Diagnostics(), nil
}

// Generate is the files prepare renders for p, which reads no file
// besides the source; the errors among its problems instead, if any (a
// warning does not stop it).
func Generate[P Plan](prepare Prepare[P], p *schema.Platform) ([]output.File, error) {
	w, err := prepare(p, noFiles)
	if err != nil {
		return nil, err
	}
	if errs := w.Diagnostics().OnlyErrors(); len(errs) > 0 {
		return nil, errs
	}
	return w.Files()
}

// noFiles is the read of a Generate: every file is missing.
func noFiles(string) ([]byte, error) { return nil, os.ErrNotExist }
