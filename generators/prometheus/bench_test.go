package prometheus

import (
	"testing"

	"portschema/schema"
)

// BenchmarkGenerate measures prometheus.yml from the project's own
// platform (about seventy services), load excluded.
func BenchmarkGenerate(b *testing.B) {
	p, err := schema.Load("../..")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := generateFiles(p); err != nil {
			b.Fatal(err)
		}
	}
}
