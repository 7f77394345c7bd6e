package schema

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"portschema/schema/readfile"
)

// Source is the bytes of every .cue file of a source directory (but
// the definitions, which the embedded copy replaces), read once: the
// load evaluates exactly these bytes, so a digest of them (with the
// definitions) says what the model was made from, even if a file
// changes during the run.
type Source struct {
	Dir string
	// Names are the files' base names, sorted; Data their bytes.
	Names []string
	Data  map[string][]byte
	// InModule is set when the directory or a parent holds a cue.mod:
	// CUE then also loads files of the same package from the parent
	// directories, and imports from the module, which these bytes do
	// not cover.
	InModule bool
	// Sums are the files' SHA-256, taken as they are read, for every
	// step that keys on a file (the memo, the check stamp) to share.
	Sums map[string][sha256.Size]byte
}

// Sum is the SHA-256 of the file of that base name.
func (s *Source) Sum(name string) [sha256.Size]byte {
	if sum, ok := s.Sums[name]; ok {
		return sum
	}
	return sha256.Sum256(s.Data[name])
}

// ReadSource reads the source of the project at root, without
// evaluating anything.
func ReadSource(root string) (*Source, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	return readSource(filepath.Join(absRoot, SourceDir))
}

// readSource reads the source directory, turning the ways it can be
// unusable into one clear I/O error each.
func readSource(dir string) (*Source, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no platform source: %s does not exist", dir)
		}
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("no platform source: %s is not a directory", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading platform source: %w", err)
	}
	src := &Source{Dir: dir, Data: map[string][]byte{}, Sums: map[string][sha256.Size]byte{}}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".cue") || name == DefinitionsFile || e.IsDir() {
			continue
		}
		path := filepath.Join(dir, name)
		data, err := readfile.Regular(path)
		if err != nil {
			if fi, serr := os.Stat(path); serr == nil && fi.IsDir() {
				continue // a directory named like a file; CUE skips it too
			}
			return nil, fmt.Errorf("reading platform source: %w", err)
		}
		src.Names = append(src.Names, name)
		src.Data[name] = data
		src.Sums[name] = sha256.Sum256(data)
	}
	sort.Strings(src.Names)
	src.InModule = moduleAbove(dir)
	return src, nil
}

// moduleAbove reports whether the directory or one of its parents holds
// a cue.mod.
func moduleAbove(dir string) bool {
	for {
		if _, err := os.Stat(filepath.Join(dir, "cue.mod")); err == nil {
			return true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}
