package importer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"portschema/generators"
	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// Report says what import wrote and every decision it took that the
// user should review.
type Report struct {
	// Files are the paths written, sorted.
	Files []string
	// Findings are the disagreements and repairs, in input order.
	Findings []Finding
}

// Finding is one place where the inputs disagreed or broke a rule of
// the source, and what import did about it.
type Finding struct {
	Kind    string
	Pos     handwritten.Pos
	Message string
}

// String renders the finding as one line of the report, position first
// so that an editor or CI annotation can jump to it.
func (f Finding) String() string {
	if f.Pos.IsValid() {
		return fmt.Sprintf("%s: %s: %s", f.Pos, f.Kind, f.Message)
	}
	return f.Kind + ": " + f.Message
}

// Import reads the inputs, builds the platform source, checks that it
// loads with schema.Load, and writes it into dir (meant to be
// <root>/schema) with a copy of the definitions. It refuses a dir that
// already holds files unless force is set (files of the same names are
// then replaced, others left alone). Nothing is written when the source
// would not load.
//
// Compose files and tunnel configs may be repeated: the i-th tunnel
// belongs to the i-th compose host (a single compose file takes every
// tunnel's routes).
func Import(in handwritten.Inputs, dir string, force bool) (Report, error) {
	if len(in.Compose) == 0 && len(in.Cloudflared) == 0 && in.Prometheus == "" {
		return Report{}, fmt.Errorf("no input: give at least one of --compose, --cloudflared, --prometheus")
	}
	if err := checkTarget(dir, force); err != nil {
		return Report{}, err
	}
	read, err := handwritten.Read(in)
	if err != nil {
		return Report{}, err
	}
	// The source goes into <root>/schema: the root is dir's parent.
	parsed, err := Prepare(read, filepath.Dir(filepath.Clean(dir)))
	if err != nil {
		return Report{}, err
	}
	src, findings, err := Build(parsed)
	if err != nil {
		return Report{}, err
	}
	files, err := Emit(src)
	if err != nil {
		return Report{}, err
	}
	if err := verify(files); err != nil {
		return Report{Findings: findings}, err
	}
	rep := Report{Findings: findings}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return rep, err
	}
	for _, f := range withDefinitions(files) {
		path := filepath.Join(dir, f.Name)
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			return rep, err
		}
		rep.Files = append(rep.Files, path)
	}
	sort.Strings(rep.Files)
	return rep, nil
}

// withDefinitions adds the definitions file, so that the directory on
// its own passes `cue vet`.
func withDefinitions(files []File) []File {
	return append(append([]File{}, files...), File{Name: schema.DefinitionsFile, Data: schema.Definitions})
}

// checkTarget refuses to mix an import into an existing source.
func checkTarget(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case len(entries) > 0 && !force:
		return fmt.Errorf("%s is not empty; import writes a new source (use --force to write into it anyway)", dir)
	}
	return nil
}

// verify loads the emitted files and checks them with every output's
// rules, the way regen will. A failure is a bug of import, reported
// with CUE's or the rules' own messages.
func verify(files []File) error {
	root, err := os.MkdirTemp("", "portschema-import-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(root)
	dir := filepath.Join(root, schema.SourceDir)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			return err
		}
	}
	p, err := schema.Load(root)
	if err != nil {
		return fmt.Errorf("the imported source does not load (please report this):\n%w", err)
	}
	// Every output's rules too: a source regen rejects is never written.
	if _, err := generators.Run(p); err != nil {
		return fmt.Errorf("regen would reject the imported source (please report this):\n%w", err)
	}
	return nil
}
