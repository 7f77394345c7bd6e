package stamp

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"

	"portschema/schema"
)

// Digest is the hex SHA-256 of the definitions and every file of a
// source with its name, or "" for a source in a CUE module, whose other
// files it cannot cover (so it matches no recorded digest). Lengths are
// written before contents so that no two sources share a stream.
func Digest(src *schema.Source) string {
	if src == nil || src.InModule {
		return ""
	}
	h := sha256.New()
	writeField := func(h hash.Hash, b []byte) {
		h.Write(binary.AppendUvarint(nil, uint64(len(b))))
		h.Write(b)
	}
	writeField(h, []byte("portschema source v1"))
	writeField(h, schema.Definitions)
	for _, name := range src.Names {
		writeField(h, []byte(name))
		writeField(h, src.Data[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// SourceDigest is the Digest of the source of the project at root, read
// now, without evaluating anything.
func SourceDigest(root string) (string, error) {
	src, err := schema.ReadSource(root)
	if err != nil {
		return "", err
	}
	return Digest(src), nil
}
