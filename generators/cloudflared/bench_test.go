package cloudflared

import (
	"testing"

	"portschema/generators/prepared"
	"portschema/schema"
)

// BenchmarkGenerate measures the tunnel files of the project's own
// platform (about seventy services), load excluded.
func BenchmarkGenerate(b *testing.B) {
	p, err := schema.Load("../..")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := prepared.Generate(Prepare, p); err != nil {
			b.Fatal(err)
		}
	}
}
