package handwritten

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v4"
)

// orderedNode turns the merged model, whose mappings have no order, into
// a YAML tree whose keys come in the order the files wrote them (the
// first file that writes a key places it), then the keys no file wrote
// as such (those of compose's canonical form), sorted. The source import
// writes then follows the user's order, and the same files always give
// the same bytes.
func orderedNode(v any, guides [][]Field) (*yaml.Node, error) {
	switch x := v.(type) {
	case map[string]any:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range orderedKeys(x, guides) {
			var sub [][]Field
			for _, g := range guides {
				if fs := FieldsOf(ValueOf(g, k)); fs != nil {
					sub = append(sub, fs)
				}
			}
			val, err := orderedNode(x[k], sub)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, val)
		}
		return n, nil
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range x {
			val, err := orderedNode(e, nil)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, val)
		}
		return n, nil
	}
	n := &yaml.Node{}
	if err := n.Encode(v); err != nil {
		return nil, fmt.Errorf("value %v: %w", v, err)
	}
	return n, nil
}

// orderedKeys are m's keys, those the guides write first in their order.
func orderedKeys(m map[string]any, guides [][]Field) []string {
	var out []string
	for _, g := range guides {
		for _, f := range g {
			if _, ok := m[f.Key]; ok && !slices.Contains(out, f.Key) {
				out = append(out, f.Key)
			}
		}
	}
	var rest []string
	for k := range m {
		if !slices.Contains(out, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}
