// Package yamlout renders the YAML outputs (prometheus.yml, cloudflared
// ingress) the same way: the generated-file header first, then the value
// marshalled with go.yaml.in/yaml/v4 at an indent of two spaces. The
// items of their long lists that a Block can write, it writes with
// yaml.v4's bytes and without its cost (see MarshalList and ListItem).
//
// Marshalling is deterministic: struct fields come out in declaration
// order and map keys sorted, so the same model gives the same bytes.
// PassThrough prepares the blocks both copy from the source (Prometheus'
// global, alerting and extra jobs, cloudflared's originRequest); compose
// has its own, which also readies its blocks for compose-go's loader.
package yamlout

import (
	"bytes"
	"fmt"
	"math"

	"go.yaml.in/yaml/v4"

	"portschema/generators/output"
)

// Marshal returns the header line followed by v as YAML.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(output.Header(output.HashComment))
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("marshalling yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("marshalling yaml: %w", err)
	}
	return buf.Bytes(), nil
}

// PassThrough prepares a block copied from the source for marshalling.
// The model holds pass-through blocks as decoded from JSON, where every
// number is a float64; YAML would print 1000000 as 1e+06, which the
// reading tool then rejects where it wants an integer. Whole numbers
// become int64; everything else is copied unchanged.
func PassThrough(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = PassThrough(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = PassThrough(e)
		}
		return out
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return int64(v)
		}
	}
	return v
}
