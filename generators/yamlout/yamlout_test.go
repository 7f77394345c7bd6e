package yamlout

import (
	"slices"
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

// Map keys come out sorted, whatever order the map iterates in, so the
// same model always gives the same bytes.
func TestMarshalSortsMapKeys(t *testing.T) {
	keys := strings.Fields("q w e r t u i o p a s d f g h j k l z")
	m := map[string]any{}
	for _, k := range keys {
		m[k] = k
	}
	data, err := Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	want := output.Header(output.HashComment)
	for _, k := range keys {
		want += k + ": " + k + "\n"
	}
	if string(data) != want {
		t.Errorf("got:\n%s\nwant:\n%s", data, want)
	}
}
