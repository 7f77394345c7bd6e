package kubernetes

import (
	"bytes"
	"encoding/json"

	"go.yaml.in/yaml/v2"

	"portschema/generators/output"
)

// document is one generated file of a cluster: typed objects written as
// a YAML stream, or a text already rendered (the secrets templates).
type document struct {
	path    string
	objects []any
	text    []byte
}

// render is the file's bytes: the generated-file header, then each
// object after a "---" line.
func (d document) render() ([]byte, error) {
	if d.objects == nil {
		return d.text, nil
	}
	var b bytes.Buffer
	b.WriteString(output.Header(output.HashComment))
	for _, o := range d.objects {
		data, err := marshalObject(o)
		if err != nil {
			return nil, err
		}
		b.WriteString("---\n")
		b.Write(data)
	}
	return b.Bytes(), nil
}

// marshalObject writes an object as YAML with keys sorted, leaving out
// what the typed structs cannot omit themselves and that says nothing:
// the status, which the cluster writes; null fields (creationTimestamp);
// and empty mappings (resources: {}), except an emptyDir, whose empty
// mapping is the volume. The object goes through JSON, as
// sigs.k8s.io/yaml takes it (the API types say how they marshal there),
// and its tree is written with the YAML encoder that sigs.k8s.io/yaml
// writes with, without a second trip through JSON.
func marshalObject(o any) ([]byte, error) {
	data, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, err
	}
	if m, ok := tree.(map[string]any); ok {
		delete(m, "status")
	}
	return yaml.Marshal(prune(tree))
}

// prune removes null values and empty mappings below v, in place, and
// turns JSON numbers into Go numbers, integers staying integers.
func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			child = prune(child)
			if m, ok := child.(map[string]any); (ok && len(m) == 0 && k != "emptyDir") || child == nil {
				delete(x, k)
				continue
			}
			x[k] = child
		}
	case []any:
		for i, child := range x {
			x[i] = prune(child)
		}
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	}
	return v
}
