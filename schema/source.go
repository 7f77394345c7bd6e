package schema

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// sourceFiles are the bytes of every .cue file of a source directory
// (but the definitions, which the embedded copy replaces), read once:
// the load evaluates exactly these bytes, so a digest of them says what
// the model was made from, even if a file changes during the run.
type sourceFiles struct {
	dir   string
	names []string // base names, sorted
	data  map[string][]byte
	// digest is the hex SHA-256 of the definitions and every file, or ""
	// when the load may read files beyond these (see moduleAbove).
	digest string
}

// readSource reads the source directory, turning the ways it can be
// unusable into one clear I/O error each.
func readSource(dir string) (*sourceFiles, error) {
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
	src := &sourceFiles{dir: dir, data: map[string][]byte{}}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".cue") || name == DefinitionsFile || e.IsDir() {
			continue
		}
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			if fi, serr := os.Stat(path); serr == nil && fi.IsDir() {
				continue // a directory named like a file; CUE skips it too
			}
			return nil, fmt.Errorf("reading platform source: %w", err)
		}
		src.names = append(src.names, name)
		src.data[name] = data
	}
	sort.Strings(src.names)
	if !moduleAbove(dir) {
		src.digest = src.hash()
	}
	return src, nil
}

// hash digests the definitions and every file with its name; lengths
// are written before contents so that no two sources share a stream.
func (src *sourceFiles) hash() string {
	h := sha256.New()
	writeField := func(h hash.Hash, b []byte) {
		h.Write(binary.AppendUvarint(nil, uint64(len(b))))
		h.Write(b)
	}
	writeField(h, []byte("portschema source v1"))
	writeField(h, Definitions)
	for _, name := range src.names {
		writeField(h, []byte(name))
		writeField(h, src.data[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// moduleAbove reports whether the directory or one of its parents holds
// a cue.mod: CUE then also loads files of the same package from the
// parent directories, and imports from the module, which the digest
// does not cover.
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

// SourceDigest is the digest of the source of the project at root, as
// Load records it in Platform.SourceDigest, computed without evaluating
// anything. It is "" (and so matches no recorded digest) when the source
// directory lies inside a CUE module, whose other files it cannot cover.
func SourceDigest(root string) (string, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	src, err := readSource(filepath.Join(absRoot, SourceDir))
	if err != nil {
		return "", err
	}
	return src.digest, nil
}
