package kubernetes

import (
	"bytes"
	"encoding/json"

	"sigs.k8s.io/yaml"

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
// mapping is the volume.
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
	prune(tree)
	if data, err = json.Marshal(tree); err != nil {
		return nil, err
	}
	return yaml.JSONToYAML(data)
}

// prune removes null values and empty mappings below v, in place.
func prune(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			prune(child)
			if m, ok := child.(map[string]any); (ok && len(m) == 0 && k != "emptyDir") || child == nil {
				delete(x, k)
			}
		}
	case []any:
		for _, child := range x {
			prune(child)
		}
	}
}
