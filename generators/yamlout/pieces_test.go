package yamlout

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// listDoc is a document whose bulk is one list, as MarshalList writes it.
type listDoc struct {
	Name  string         `yaml:"name,omitempty"`
	Extra map[string]any `yaml:"extra,omitempty"`
	Items []listItem     `yaml:"items"`
}

type listHead struct {
	Name  string         `yaml:"name,omitempty"`
	Extra map[string]any `yaml:"extra,omitempty"`
}

type listItem struct {
	Job  string `yaml:"job_name"`
	Text string `yaml:"text,omitempty"`
	List []any  `yaml:"list,omitempty"`
}

// Written a batch at a time, a list has the bytes of one encoder call:
// with and without a head, empty, shorter and longer than a batch, with
// items of awkward strings (block scalars, empty lines, quotes).
func TestMarshalListIsOneEncoderCall(t *testing.T) {
	for _, n := range []int{0, 1, pieceSize, pieceSize + 1, 1000} {
		for _, head := range []listHead{{}, {Name: "demo", Extra: map[string]any{"b": 1, "a": []any{"x"}}}} {
			doc := listDoc{Name: head.Name, Extra: head.Extra, Items: []listItem{}}
			for i := range n {
				item := listItem{Job: fmt.Sprintf("job-%d", i), Text: tricky[i%len(tricky)]}
				for j := range i % 4 {
					item.List = append(item.List, tricky[(i+j)%len(tricky)], j)
				}
				doc.Items = append(doc.Items, item)
			}
			got, err := MarshalList(head, "items", doc.Items)
			if err != nil {
				t.Fatal(err)
			}
			want, err := Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%d items, head %v: batches differ from one call:\n%s", n, head, firstDifference(got, want))
			}
		}
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
