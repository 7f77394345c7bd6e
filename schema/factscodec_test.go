package schema

import (
	"reflect"
	"testing"

	"portschema/schema/synthetic"
)

// Kept facts come back from the memo as bytes that may be anything (an
// entry is sealed, but the decoder must not rely on it): decoding never
// panics, and what decodes is facts that keep and decode to the same.
func FuzzFactsDecode(f *testing.F) {
	root := f.TempDir()
	if err := synthetic.Write(root, 30); err != nil {
		f.Fatal(err)
	}
	abs, src, shape := sourceAndShape(f, root)
	for _, file := range parsePlain(src)[1:] {
		learnt := factsOf(abs, file, shape)
		f.Add(marshalFacts(&learnt))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := unmarshalFacts(data)
		if err != nil {
			return
		}
		again, err := unmarshalFacts(marshalFacts(&facts))
		if err != nil || !reflect.DeepEqual(again, facts) {
			t.Fatalf("decoded facts do not keep: %v\n%+v\n%+v", err, facts, again)
		}
	})
}
