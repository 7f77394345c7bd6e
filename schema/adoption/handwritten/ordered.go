package handwritten

import (
	"fmt"

	"go.yaml.in/yaml/v4"
)

// The readers return facts; import also passes whole blocks through as
// the user wrote them (a service's compose keys, a scrape job). Ordered
// gives those blocks from the tree the reader already parsed, so a file
// is parsed once whoever reads it.

// Field is one key of a mapping as written, in a mapping kept in the
// order it was written ([]Field).
type Field struct {
	Key   string
	Value any
}

// maxYAMLDepth bounds nesting so that a hostile document cannot exhaust
// the stack; real configuration files nest a handful of levels.
const maxYAMLDepth = 100

// ordered is the top-level mapping of a YAML document as written: keys
// in file order ([]Field for every mapping), scalars decoded, anchors,
// aliases and merge keys resolved. nil for an empty document.
func (d *yamlDoc) ordered() ([]Field, error) {
	if d == nil || d.root == nil {
		return nil, nil
	}
	v, err := nodeValue(d.root, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.name, err)
	}
	return FieldsOf(v), nil
}

// Ordered is the compose file's top-level mapping as written (see
// Field).
func (f *ComposeFile) Ordered() ([]Field, error) { return f.doc.ordered() }

// Ordered is the cloudflared config's top-level mapping as written (see
// Field).
func (f *CloudflaredFile) Ordered() ([]Field, error) { return f.doc.ordered() }

// Ordered is the Prometheus config's top-level mapping as written (see
// Field).
func (f *PrometheusFile) Ordered() ([]Field, error) { return f.doc.ordered() }

func nodeValue(n *yaml.Node, depth int) (any, error) {
	if depth > maxYAMLDepth {
		return nil, fmt.Errorf("line %d: nested too deeply", n.Line)
	}
	switch n.Kind {
	case yaml.AliasNode:
		return nodeValue(n.Alias, depth+1)
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return n.Value, nil
		}
		return v, nil
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := nodeValue(c, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		return mappingValue(n, depth)
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return nodeValue(n.Content[0], depth+1)
		}
	}
	return nil, nil
}

// mappingValue reads a mapping; keys from `<<` merges come first and
// are overridden by keys written in the mapping itself.
func mappingValue(n *yaml.Node, depth int) ([]Field, error) {
	var out []Field
	set := func(k string, v any) {
		for i := range out {
			if out[i].Key == k {
				out[i].Value = v
				return
			}
		}
		out = append(out, Field{Key: k, Value: v})
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Tag == "!!merge" || (k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0) {
			merged, err := mergedValues(v, depth)
			if err != nil {
				return nil, err
			}
			for _, f := range merged {
				if Lookup(out, f.Key) == nil {
					out = append(out, f)
				}
			}
			continue
		}
		val, err := nodeValue(v, depth+1)
		if err != nil {
			return nil, err
		}
		set(k.Value, val)
	}
	return out, nil
}

// mergedValues reads the value of a merge key: one mapping or a list.
func mergedValues(v *yaml.Node, depth int) ([]Field, error) {
	for v.Kind == yaml.AliasNode {
		v = v.Alias
	}
	var nodes []*yaml.Node
	if v.Kind == yaml.SequenceNode {
		nodes = v.Content
	} else {
		nodes = []*yaml.Node{v}
	}
	var out []Field
	for _, m := range nodes {
		val, err := nodeValue(m, depth+1)
		if err != nil {
			return nil, err
		}
		for _, f := range FieldsOf(val) {
			if Lookup(out, f.Key) == nil {
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// Lookup returns the field called key, or nil.
func Lookup(fs []Field, key string) *Field {
	for i := range fs {
		if fs[i].Key == key {
			return &fs[i]
		}
	}
	return nil
}

// ValueOf returns the value of key in an ordered mapping, or nil.
func ValueOf(fs []Field, key string) any {
	if f := Lookup(fs, key); f != nil {
		return f.Value
	}
	return nil
}

// FieldsOf returns v as an ordered mapping, or nil.
func FieldsOf(v any) []Field {
	fs, _ := v.([]Field)
	return fs
}

// Plain turns ordered mappings back into map[string]any, for blocks
// whose order does not matter.
func Plain(v any) any {
	switch x := v.(type) {
	case []Field:
		m := make(map[string]any, len(x))
		for _, f := range x {
			m[f.Key] = Plain(f.Value)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = Plain(e)
		}
		return out
	}
	return v
}
