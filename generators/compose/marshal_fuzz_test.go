package compose

import (
	"encoding/json"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v4"
)

// FuzzMarshalDocument writes arbitrary JSON values (what a compose block
// of the source can hold) as an extension key of a service and reads
// the file back with a YAML parser: every value must come back as it
// was, whatever its nesting, empty maps and lists, strings of several
// lines or keys that need quoting.
func FuzzMarshalDocument(f *testing.F) {
	for _, seed := range []string{
		`{"a": 1, "b": [1, 2.5, "x"], "c": {"d": null, "e": true}}`,
		`{"": "", "k: v": ["- x", "#c", "yes", "22:22"], "multi": "line\nbreak\n", "deep": [[], {}, [["x"]], [{"a": "b\n\nc"}]]}`,
		`{"list": [{"a": 1, "b": [{"c": "d"}]}, "tail"], "n": -0.001, "big": 123456789012}`,
		`[" lead", "trail ", "\tindented\n  more", "\n\nx", "é", "${X} $$Y"]`,
		`"just a string"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var value any
		if json.Unmarshal(data, &value) != nil {
			return
		}
		value = passThrough(value)
		doc := map[string]any{"name": "fuzz", "services": map[string]any{"a": map[string]any{"image": "a:1", "x-data": value}}}
		text, err := marshalDocument(doc)
		if err != nil {
			t.Fatal(err)
		}
		var back map[string]any
		if err := yaml.Unmarshal(text, &back); err != nil {
			t.Fatalf("the file does not parse: %v\n%s", err, text)
		}
		got := back["services"].(map[string]any)["a"].(map[string]any)["x-data"]
		if !reflect.DeepEqual(normalize(got), normalize(value)) {
			t.Fatalf("%#v\nwritten as\n%s\nreads back as %#v", value, text, got)
		}
	})
}

// normalize makes the numbers of both sides one type: YAML decodes
// whole numbers to int and others to float64, as passThrough leaves them.
func normalize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = normalize(e)
		}
		return out
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case uint64:
		return float64(v)
	}
	return v
}
