package handwritten

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v4"
)

// maxAliasDepth bounds alias and merge-key chains so that a hostile file
// cannot send the readers into deep recursion.
const maxAliasDepth = 32

// yamlDoc is one parsed YAML file: its root mapping and its name for
// positions.
type yamlDoc struct {
	name string
	root *yaml.Node // nil for an empty document
}

// parseYAML parses the first document of data. It rejects duplicate keys
// (as the tools reading these files do) and a top level that is not a
// mapping, naming the line.
func parseYAML(kind, name string, data []byte) (*yamlDoc, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(kind, name, data, err)
	}
	d := &yamlDoc{name: name}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return d, nil
	}
	root := resolve(doc.Content[0])
	if root == nil || isNull(root) {
		return d, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s %s:%d: the top level is %s, not a mapping", kind, name, root.Line, kindName(root))
	}
	if err := checkTree(kind, name, &doc, nil); err != nil {
		return nil, err
	}
	d.root = root
	return d, nil
}

// checkTree walks the tree once (aliases are not followed, so an alias
// bomb costs nothing) and reports the first key written twice in one
// mapping, and any alias to a node that contains it: such a cycle has no
// meaning, and compose-go's loader spends seconds expanding it before it
// gives up.
func checkTree(kind, name string, n *yaml.Node, ancestors []*yaml.Node) error {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.AliasNode {
		for _, a := range ancestors {
			if n.Alias == a {
				return fmt.Errorf("%s %s:%d: alias *%s refers to a node that contains it", kind, name, n.Line, n.Value)
			}
		}
		return nil
	}
	if n.Kind == yaml.MappingNode {
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.ScalarNode && k.Value != "<<" {
				if line, dup := seen[k.Value]; dup {
					return fmt.Errorf("%s %s:%d: key %q is already defined at line %d", kind, name, k.Line, k.Value, line)
				}
				seen[k.Value] = k.Line
			}
		}
	}
	ancestors = append(ancestors, n)
	for _, c := range n.Content {
		if err := checkTree(kind, name, c, ancestors); err != nil {
			return err
		}
	}
	return nil
}

// pos is the position of node n in the document.
func (d *yamlDoc) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{}
	}
	return Pos{File: d.name, Line: n.Line}
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		if i == maxAliasDepth {
			return nil
		}
		n = n.Alias
	}
	return n
}

// isNull reports whether n is an explicit or implicit YAML null.
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return "a scalar"
	}
	return "empty"
}

// field is one key of a mapping with its value, aliases resolved.
type field struct {
	key   string
	keyN  *yaml.Node
	value *yaml.Node
}

// fields lists the keys of mapping n in file order. Merge keys (`<<: *x`,
// `<<: [*x, *y]`) contribute the merged mapping's keys unless n writes them
// itself, as YAML 1.1 merge semantics say. A non-mapping gives nothing.
func fields(n *yaml.Node) []field {
	return mergedFields(resolve(n), map[*yaml.Node]bool{})
}

// mergedFields reads one mapping; visited makes each mapping contribute
// once, so merge chains cost linear time however they fan out.
func mergedFields(n *yaml.Node, visited map[*yaml.Node]bool) []field {
	if n == nil || n.Kind != yaml.MappingNode || visited[n] {
		return nil
	}
	visited[n] = true
	var own, merged []field
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0 {
			merged = append(merged, mergeSources(v, visited)...)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			continue
		}
		own = append(own, field{key: k.Value, keyN: k, value: resolve(v)})
	}
	if len(merged) == 0 {
		return own
	}
	written := map[string]bool{}
	for _, f := range own {
		written[f.key] = true
	}
	out := own
	for _, f := range merged {
		if !written[f.key] {
			written[f.key] = true
			out = append(out, f)
		}
	}
	return out
}

// mergeSources expands the value of a merge key: one mapping or a list of
// them, earlier ones winning.
func mergeSources(v *yaml.Node, visited map[*yaml.Node]bool) []field {
	v = resolve(v)
	if v == nil {
		return nil
	}
	if v.Kind == yaml.SequenceNode {
		var out []field
		for _, item := range v.Content {
			out = append(out, mergedFields(resolve(item), visited)...)
		}
		return out
	}
	return mergedFields(v, visited)
}

// lookup finds key in mapping n; nil when absent.
func lookup(n *yaml.Node, key string) *field {
	for _, f := range fields(n) {
		if f.key == key {
			return &f
		}
	}
	return nil
}

// scalar is the text of a scalar node; "" for null, lists and mappings.
func scalar(n *yaml.Node) string {
	n = resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) {
		return ""
	}
	return n.Value
}

// items lists the elements of sequence n, aliases resolved; nil otherwise.
func items(n *yaml.Node) []*yaml.Node {
	n = resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, c := range n.Content {
		if c = resolve(c); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// scalarList reads a list of scalars, or a single scalar as a list of one.
func scalarList(n *yaml.Node) []string {
	n = resolve(n)
	if n == nil {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if isNull(n) {
			return nil
		}
		return []string{n.Value}
	}
	var out []string
	for _, c := range items(n) {
		if c.Kind == yaml.ScalarNode && !isNull(c) {
			out = append(out, c.Value)
		}
	}
	return out
}

// flatten renders a mapping of scalars (nested mappings joined with ".")
// into a map, for option blocks the readers pass through as written.
func flatten(n *yaml.Node) map[string]string {
	out := map[string]string{}
	flattenInto(out, "", n, 0)
	if len(out) == 0 {
		return nil
	}
	return out
}

func flattenInto(out map[string]string, prefix string, n *yaml.Node, depth int) {
	if depth > maxAliasDepth {
		return
	}
	for _, f := range fields(n) {
		key := f.key
		if prefix != "" {
			key = prefix + "." + key
		}
		switch {
		case f.value == nil:
		case f.value.Kind == yaml.MappingNode:
			flattenInto(out, key, f.value, depth+1)
		case f.value.Kind == yaml.SequenceNode:
			out[key] = strings.Join(scalarList(f.value), ",")
		default:
			out[key] = scalar(f.value)
		}
	}
}

// hasTag reports whether any node of the document carries one of the
// tags (aliases are not followed: their targets are visited where they
// are written).
func (d *yamlDoc) hasTag(tags ...string) bool {
	var walk func(n *yaml.Node) bool
	walk = func(n *yaml.Node) bool {
		if n == nil || n.Kind == yaml.AliasNode {
			return false
		}
		if slices.Contains(tags, n.Tag) {
			return true
		}
		return slices.ContainsFunc(n.Content, walk)
	}
	return d != nil && walk(d.root)
}
