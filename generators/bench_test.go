package generators_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"portschema/generators"
	"portschema/generators/output"
	"portschema/schema"
	"portschema/schema/synthetic"
)

// benchSizes are the platform sizes every benchmark runs at: 10× steps,
// so that time per size shows whether the pipeline stays linear.
var benchSizes = []int{100, 1000, 10000}

// sourceAt writes a synthetic platform of n services into a fresh
// project root.
func sourceAt(b *testing.B, n int) string {
	b.Helper()
	root := b.TempDir()
	if err := synthetic.Write(root, n); err != nil {
		b.Fatal(err)
	}
	return root
}

func loadAt(b *testing.B, root string) *schema.Platform {
	b.Helper()
	p, err := schema.Load(root)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func eachSize(b *testing.B, f func(b *testing.B, n int)) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) { f(b, n) })
	}
}

// BenchmarkLoad times reading, evaluating, decoding and validating the
// source: everything before the generators.
func BenchmarkLoad(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		root := sourceAt(b, n)
		b.ReportAllocs()
		for b.Loop() {
			loadAt(b, root)
		}
	})
}

// BenchmarkGenerate times every generator on a loaded model.
func BenchmarkGenerate(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		p := loadAt(b, sourceAt(b, n))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := generators.Run(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWrite times writing every output into a clean out/.
func BenchmarkWrite(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		root := sourceAt(b, n)
		files, err := generators.Run(loadAt(b, root))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			cleanOut(b, root)
			b.StartTimer()
			if _, err := output.NewTree(root).Write(files); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(files)), "files")
	})
}

// BenchmarkRegen times the whole of regen from a clean out/: load,
// validate, every generator and the writes.
func BenchmarkRegen(b *testing.B) {
	eachSize(b, func(b *testing.B, n int) {
		root := sourceAt(b, n)
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			cleanOut(b, root)
			b.StartTimer()
			files, err := generators.Run(loadAt(b, root))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := output.NewTree(root).Write(files); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// cleanOut empties root's out/ by moving it beside root, where the
// benchmark's temporary directory is removed when the size is done.
// Deleting thousands of files just before creating as many makes the
// creates slow on ext4 without a journal (the allocator scans past the
// recently freed inodes), a cost of the harness that a clean tree
// never pays.
func cleanOut(b *testing.B, root string) {
	b.Helper()
	aside, err := os.MkdirTemp(filepath.Dir(root), "out-")
	if err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(filepath.Join(root, "out"), filepath.Join(aside, "out")); err != nil && !os.IsNotExist(err) {
		b.Fatal(err)
	}
}

// clusterSizes are the sizes of the cluster benchmarks.
var clusterSizes = []int{1000, 10000}

// BenchmarkGenerateLayouts times every generator on the same platform
// with its edge host a compose host, then a Kubernetes cluster running
// the same services: the cost of manifests beside that of a compose
// file, in time and allocations.
func BenchmarkGenerateLayouts(b *testing.B) {
	for _, n := range clusterSizes {
		for _, l := range []struct {
			name   string
			layout synthetic.Layout
		}{{"compose", synthetic.ComposeEdge}, {"cluster", synthetic.ClusterEdge}} {
			b.Run(fmt.Sprintf("services=%d/edge=%s", n, l.name), func(b *testing.B) {
				root := b.TempDir()
				if err := synthetic.WriteFor(root, n, l.layout); err != nil {
					b.Fatal(err)
				}
				p := loadAt(b, root)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := generators.Run(p); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
