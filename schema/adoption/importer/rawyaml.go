package importer

import (
	"fmt"

	"go.yaml.in/yaml/v4"
)

// maxYAMLDepth bounds nesting so that a hostile document cannot exhaust
// the stack; real configuration files nest a handful of levels.
const maxYAMLDepth = 100

// rawYAML decodes a YAML document into values that keep the order keys
// were written in ([]Field for mappings), with anchors, aliases and
// merge keys resolved, so pass-through blocks read as the user wrote
// them rather than in a tool's canonical form.
func rawYAML(name string, data []byte) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return nodeValue(doc.Content[0], 0)
}

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
			merged, err := mergeSources(v, depth)
			if err != nil {
				return nil, err
			}
			for _, f := range merged {
				if lookupField(out, f.Key) == nil {
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

// mergeSources reads the value of a merge key: one mapping or a list.
func mergeSources(v *yaml.Node, depth int) ([]Field, error) {
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
		fs, _ := val.([]Field)
		for _, f := range fs {
			if lookupField(out, f.Key) == nil {
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// lookupField returns the field called key, or nil.
func lookupField(fs []Field, key string) *Field {
	for i := range fs {
		if fs[i].Key == key {
			return &fs[i]
		}
	}
	return nil
}

// fieldsOf returns v as an ordered mapping, or nil.
func fieldsOf(v any) []Field {
	fs, _ := v.([]Field)
	return fs
}

// plainValue turns ordered mappings back into map[string]any, for
// blocks whose order does not matter (the model decodes them as maps).
func plainValue(v any) any {
	switch x := v.(type) {
	case []Field:
		m := make(map[string]any, len(x))
		for _, f := range x {
			m[f.Key] = plainValue(f.Value)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainValue(e)
		}
		return out
	}
	return v
}
