package yamlout

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// wholeEncoding is the encoder's output for n in one call.
func wholeEncoding(t *testing.T, n *yaml.Node) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// awkward are strings whose YAML spelling depends on where they stand:
// block scalars with empty lines, leading and trailing blanks, quotes,
// and strings other YAML readers take for numbers or booleans.
var awkward = []string{
	"plain", "", " lead", "trail ", "a: b", "#c", "- x", "multi\nline", "multi\n\nwith empty\n",
	"  indented\n  first\n", "tab\there", "yes", "22:22", "10008", "null", "\"quoted\"", "it's",
	strings.Repeat("long words ", 30), "ends with newlines\n\n\n", "é ü ß", "${X} $$Y",
}

// document builds a document of n services, each a block of awkward
// values, under a plain key beside small keys, so that the services are
// written in pieces and everything else whole.
func document(n int) *yaml.Node {
	var doc map[string]any
	services := map[string]any{}
	for i := range n {
		block := map[string]any{"image": fmt.Sprintf("svc-%d:1", i), "command": awkward[i%len(awkward)]}
		list := []any{}
		for j := range i % 5 {
			list = append(list, awkward[(i+j)%len(awkward)], i*j)
		}
		block["list"] = list
		block["nested"] = map[string]any{"a": map[string]any{"deep": awkward[(i*7)%len(awkward)]}, "empty": map[string]any{}}
		services[fmt.Sprintf("svc-%04d", i)] = block
	}
	long := []any{}
	for i := range 3 * n {
		long = append(long, map[string]any{"job_name": fmt.Sprintf("job-%d", i), "text": awkward[i%len(awkward)]})
	}
	doc = map[string]any{"name": "demo", "services": services, "jobs": long, "yes": long, "small": []any{1, 2}}
	var node yaml.Node
	if err := node.Encode(doc); err != nil {
		panic(err)
	}
	return &node
}

// Written in pieces or in one call, a document has the same bytes.
func TestEncodeNodeIsOneEncoderCall(t *testing.T) {
	for _, n := range []int{0, 1, 64, 65, 200, 1000} {
		doc := document(n)
		got, err := EncodeNode(doc)
		if err != nil {
			t.Fatal(err)
		}
		if want := wholeEncoding(t, doc); !bytes.Equal(got, want) {
			t.Errorf("%d services: pieces differ from one call:\n%s", n, firstDifference(got, want))
		}
	}
}

// The document of 1000 services is really written in pieces: its
// services mapping and job list qualify, and a key YAML would quote
// ("yes") keeps its list whole.
func TestLargeCollectionsAreSplit(t *testing.T) {
	doc := document(1000)
	var keys []string
	for i := 0; i < len(doc.Content); i += 2 {
		if large(doc.Content[i+1]) {
			if key, ok := plainKey(doc.Content[i]); ok {
				keys = append(keys, key)
			}
		}
	}
	if strings.Join(keys, ",") != "jobs,services" {
		t.Errorf("split keys %v, want jobs and services", keys)
	}
}

func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}
