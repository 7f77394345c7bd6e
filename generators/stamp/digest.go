package stamp

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"portschema/schema"
)

// Digest is the hex SHA-256 of the definitions and every file of a
// source with its name, or "" for a source in a CUE module, whose other
// files it cannot cover (so it matches no recorded digest). Each file
// enters by its own hash, so that a stamp which knows the hashes of
// unchanged files can compute the digest without reading them (see
// Stamp.sourceDigest). Lengths are written before contents so that no
// two sources share a stream.
func Digest(src *schema.Source) string {
	if src == nil || src.InModule {
		return ""
	}
	sums := make([][sha256.Size]byte, len(src.Names))
	for i, name := range src.Names {
		sums[i] = src.Sum(name)
	}
	return digestOf(src.Names, sums)
}

// digestOf is the Digest of the files with these names and hashes.
func digestOf(names []string, sums [][sha256.Size]byte) string {
	h := sha256.New()
	writeField := func(b []byte) {
		h.Write(binary.AppendUvarint(nil, uint64(len(b))))
		h.Write(b)
	}
	writeField([]byte("portschema source v2"))
	writeField(schema.Definitions)
	for i, name := range names {
		writeField([]byte(name))
		writeField(sums[i][:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// readDigest reads the source of the project at root, without
// evaluating anything, and returns it with its Digest.
func readDigest(root string) (*schema.Source, string, error) {
	src, err := schema.ReadSource(root)
	if err != nil {
		return nil, "", err
	}
	return src, Digest(src), nil
}

// inModule reports whether the source directory or one of its parents
// may hold a cue.mod, which makes schema.ReadSource's Source.InModule
// true: a stamp that vouches for a source without reading it must still
// see a module that appeared around it. A cue.mod it cannot rule out
// (an error other than its absence) counts as one, so that the source
// is read.
func inModule(dir string) bool {
	for {
		if _, err := os.Stat(filepath.Join(dir, "cue.mod")); !errors.Is(err, fs.ErrNotExist) {
			return true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}
