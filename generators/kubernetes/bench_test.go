package kubernetes

import (
	"fmt"
	"testing"

	"portschema/schema"
	"portschema/schema/synthetic"
)

// BenchmarkGenerate measures the manifests of a synthetic platform
// whose edge host is a cluster (a quarter of the services), load
// excluded: Check, as the pipeline runs it, then Generate.
func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			root := b.TempDir()
			if err := synthetic.WriteFor(root, n, synthetic.ClusterEdge); err != nil {
				b.Fatal(err)
			}
			p, err := schema.Load(root)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if ds := check(p); len(ds) > 0 {
					b.Fatal(ds)
				}
				if _, err := generate(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
