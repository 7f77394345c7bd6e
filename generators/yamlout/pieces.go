package yamlout

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v4"

	"portschema/generators/output"
)

// pieceSize is the most items of a list MarshalList encodes at once.
const pieceSize = 64

// writeIndented writes text with every line but the empty ones indented:
// a uniform shift, which keeps block scalars and their indentation the
// same.
func writeIndented(buf *bytes.Buffer, text []byte, indent string) {
	for line := range bytes.Lines(text) {
		if len(line) > 1 {
			buf.WriteString(indent)
		}
		buf.Write(line)
	}
}

// MarshalList returns what Marshal returns for a struct whose fields are
// those of head followed by a list under key, for the documents whose
// bulk is one list (the scrape jobs, the ingress rules). The YAML
// encoder keeps every event of a document until the document ends, so
// one call on a list of thousands of items grows and copies a queue of
// millions of events; the list is encoded a batch of items at a time
// instead, with the same bytes (tested). key must be a plain YAML key.
func MarshalList[T any](head any, key string, items []T) ([]byte, error) {
	headText, err := Marshal(head)
	if err != nil {
		return nil, err
	}
	buf := bytes.NewBuffer(headText)
	if buf.String() == output.Header(output.HashComment)+"{}\n" {
		buf.Truncate(len(output.Header(output.HashComment)))
	}
	if len(items) == 0 {
		buf.WriteString(key + ": []\n")
		return buf.Bytes(), nil
	}
	buf.WriteString(key + ":\n")
	for start := 0; start < len(items); start += pieceSize {
		var piece bytes.Buffer
		enc := yaml.NewEncoder(&piece)
		enc.SetIndent(2)
		if err := enc.Encode(items[start:min(len(items), start+pieceSize)]); err != nil {
			return nil, fmt.Errorf("marshalling yaml: %w", err)
		}
		if err := enc.Close(); err != nil {
			return nil, fmt.Errorf("marshalling yaml: %w", err)
		}
		writeIndented(buf, piece.Bytes(), "  ")
	}
	return buf.Bytes(), nil
}
