package platformdiff

import (
	"fmt"
	"os"

	"portschema/generators"
	"portschema/generators/output"
	"portschema/schema/review/revision"
)

// Since is the change from the source of the project at root as it was
// at rev ("" for revision.Default) to now, what the pipeline built from
// the working tree. The source at rev, with the files now's rules read
// (alert rules) as they were then, goes through the same pipeline in a
// temporary directory, removed before Since returns.
func Since(root, rev string, now *generators.Result) (*Diff, error) {
	var base revision.Revision
	var err error
	if rev == "" {
		base, err = revision.Default(root)
	} else {
		base, err = revision.Resolve(root, rev)
	}
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "portschema-diff-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	var inputs []string
	for _, in := range now.Inputs {
		inputs = append(inputs, in.Path)
	}
	oldRoot, found, err := revision.Extract(root, base, tmp, inputs)
	if err != nil {
		return nil, err
	}
	var old Side
	if found {
		res, err := generators.Build(oldRoot, output.Discard)
		if err != nil {
			return nil, &OldSourceError{Revision: base.Describe, Err: err}
		}
		old = Side{Platform: res.Platform, Files: res.Files}
	}
	d := Compare(old, Side{Platform: now.Platform, Files: now.Files})
	d.Base = base.Describe
	return d, nil
}

// OldSourceError is a source that does not go through the pipeline at
// the revision compared with: a fact of that revision, not a mistake on
// the command line.
type OldSourceError struct {
	Revision string
	Err      error
}

func (e *OldSourceError) Error() string {
	return fmt.Sprintf("the source at %s does not load:\n%v", e.Revision, e.Err)
}

func (e *OldSourceError) Unwrap() error { return e.Err }
