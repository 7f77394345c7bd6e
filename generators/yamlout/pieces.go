package yamlout

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v4"

	"portschema/generators/output"
)

// pieceSize is the most items of a list MarshalList encodes at once.
const pieceSize = 64

// MarshalList returns what Marshal returns for a struct whose fields are
// those of head followed by a list under key, for the documents whose
// bulk is one list (the scrape jobs, the ingress rules). An item that is
// a ListItem writes itself where it can (see Block); the others are
// encoded by yaml.v4. The YAML encoder keeps every event of a document
// until the document ends, so one call on a list of thousands of items
// grows and copies a queue of millions of events; the items it encodes
// are encoded a batch at a time instead, with the same bytes (tested).
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
	var pending []T // items for yaml.v4, in order, fewer than pieceSize
	var text []byte // the last item written directly, its buffer reused
	for _, item := range items {
		if li, ok := any(item).(ListItem); ok {
			if text, ok = AppendItem(text[:0], li, 2); ok {
				if err := encodePiece(buf, key, pending); err != nil {
					return nil, err
				}
				pending = pending[:0]
				buf.Write(text)
				continue
			}
		}
		if pending = append(pending, item); len(pending) == pieceSize {
			if err := encodePiece(buf, key, pending); err != nil {
				return nil, err
			}
			pending = pending[:0]
		}
	}
	if err := encodePiece(buf, key, pending); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// encodePiece appends items, if any, as yaml.v4 writes them as the
// entries of the list under key at the top of a document: it encodes
// that list, under that key, and drops the key's line, so that every
// line, continuation lines of scalars included, has yaml.v4's own
// indentation.
func encodePiece[T any](buf *bytes.Buffer, key string, items []T) error {
	if len(items) == 0 {
		return nil
	}
	var piece bytes.Buffer
	enc := yaml.NewEncoder(&piece)
	enc.SetIndent(2)
	if err := enc.Encode(map[string][]T{key: items}); err != nil {
		return fmt.Errorf("marshalling yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("marshalling yaml: %w", err)
	}
	text, ok := bytes.CutPrefix(piece.Bytes(), []byte(key+":\n"))
	if !ok {
		return fmt.Errorf("marshalling yaml: %s is not a plain key", key)
	}
	buf.Write(text)
	return nil
}
