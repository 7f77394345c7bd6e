package yamlout

import (
	"bytes"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v4"

	"portschema/generators/output"
)

// EncodeNode writes a YAML node tree at an indent of two spaces, with the
// same bytes as one call of the encoder, in pieces. The encoder keeps
// every event of a document until the document ends, so one call on a
// file of thousands of services grows and copies a queue of millions of
// events; written a few dozen entries at a time, each piece is small.
//
// A large mapping or sequence (see large), the whole document or the
// value of a plain mapping key, is written entry by entry: a large
// value's key line by hand, the other entries in batches, each batch
// encoded as a document of its own and indented into place. Anything
// else is encoded whole.
func EncodeNode(n *yaml.Node) ([]byte, error) {
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 && n.HeadComment == "" && n.LineComment == "" && n.FootComment == "" {
		n = n.Content[0]
	}
	var buf bytes.Buffer
	if err := encodePieces(&buf, n, ""); err != nil {
		return nil, fmt.Errorf("marshalling yaml: %w", err)
	}
	return buf.Bytes(), nil
}

// pieceSize is the most entries a batch holds.
const pieceSize = 64

func encodePieces(buf *bytes.Buffer, n *yaml.Node, indent string) error {
	if !large(n) {
		return encodeIndented(buf, n, indent)
	}
	step := 1
	if n.Kind == yaml.MappingNode {
		step = 2
	}
	batch := &yaml.Node{Kind: n.Kind, Tag: n.Tag}
	flush := func() error {
		if len(batch.Content) == 0 {
			return nil
		}
		err := encodeIndented(buf, batch, indent)
		batch.Content = batch.Content[:0]
		return err
	}
	for i := 0; i < len(n.Content); i += step {
		entry := n.Content[i : i+step]
		if step == 2 && large(entry[1]) {
			if key, ok := plainKey(entry[0]); ok {
				if err := flush(); err != nil {
					return err
				}
				buf.WriteString(indent + key + ":\n")
				if err := encodePieces(buf, entry[1], indent+"  "); err != nil {
					return err
				}
				continue
			}
		}
		batch.Content = append(batch.Content, entry...)
		if len(batch.Content) >= pieceSize*step {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// large reports whether a node is worth writing in pieces: a block
// mapping or sequence of more than pieceSize entries, or a mapping with
// such a value, with nothing attached to it that the pieces would have
// to repeat or lose (comments, an anchor, a tag of its own).
func large(n *yaml.Node) bool {
	if n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode || n.Style != 0 || n.Anchor != "" ||
		n.HeadComment != "" || n.LineComment != "" || n.FootComment != "" ||
		n.Tag != "" && n.Tag != "!!map" && n.Tag != "!!seq" {
		return false
	}
	if n.Kind == yaml.SequenceNode {
		return len(n.Content) > pieceSize
	}
	if len(n.Content) > 2*pieceSize {
		return true
	}
	for i := 1; i < len(n.Content); i += 2 {
		if large(n.Content[i]) {
			return true
		}
	}
	return false
}

// plainKey returns a mapping key as it is written, if it is a plain
// scalar that needs no quoting (services, scrape_configs), so that its
// line can be written by hand.
func plainKey(k *yaml.Node) (string, bool) {
	if k.Kind != yaml.ScalarNode || k.Style != 0 || k.HeadComment != "" || k.LineComment != "" || k.FootComment != "" {
		return "", false
	}
	for i, r := range k.Value {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_'
		if !letter && !(i > 0 && (r >= '0' && r <= '9' || r == '-')) {
			return "", false
		}
	}
	switch strings.ToLower(k.Value) {
	case "", "y", "n", "yes", "no", "on", "off", "true", "false", "null":
		return "", false
	}
	return k.Value, true
}

// encodeIndented encodes a node as a document of its own and writes it
// indented: a uniform shift of every line but the empty ones, which
// keeps block scalars and their indentation the same.
func encodeIndented(buf *bytes.Buffer, n *yaml.Node, indent string) error {
	var piece bytes.Buffer
	enc := yaml.NewEncoder(&piece)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	writeIndented(buf, piece.Bytes(), indent)
	return nil
}

// writeIndented writes text with every line but the empty ones indented.
func writeIndented(buf *bytes.Buffer, text []byte, indent string) {
	if indent == "" {
		buf.Write(text)
		return
	}
	for line := range bytes.Lines(text) {
		if len(line) > 1 {
			buf.WriteString(indent)
		}
		buf.Write(line)
	}
}

// MarshalList returns what Marshal returns for a struct whose fields are
// those of head followed by a list under key, for the documents whose
// bulk is one list (the scrape jobs, the ingress rules): the list is
// encoded a batch of items at a time, for the reason EncodeNode gives.
// key must be a plain YAML key.
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
