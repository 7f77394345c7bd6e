package yamlout

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"portschema/generators/output"
)

func TestMarshalStartsWithHeaderAndKeepsWholeNumbers(t *testing.T) {
	block := map[string]any{
		"sample_limit": float64(1000000),
		"ratio":        0.5,
		"nested":       []any{map[string]any{"count": float64(3)}},
	}
	data, err := Marshal(PassThrough(block))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if !strings.HasPrefix(text, output.Header(output.HashComment)) {
		t.Errorf("no header first:\n%s", text)
	}
	for _, want := range []string{"sample_limit: 1000000\n", "ratio: 0.5\n", "  - count: 3\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	var back map[string]any
	if err := yaml.Unmarshal(data, &back); err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	if back["sample_limit"] != 1000000 {
		t.Errorf("sample_limit read back as %#v", back["sample_limit"])
	}
}

func TestMarshalIsDeterministic(t *testing.T) {
	m := map[string]any{}
	for _, k := range strings.Fields("q w e r t y u i o p a s d f g h j k l") {
		m[k] = k
	}
	first, _ := Marshal(m)
	for range 20 {
		if again, _ := Marshal(m); string(again) != string(first) {
			t.Fatalf("output changed between runs:\n%s\n---\n%s", first, again)
		}
	}
}
