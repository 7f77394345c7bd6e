package compose

import "testing"

// BenchmarkGenerate times the compose files of the project's own
// platform (some seventy services on one compose host).
func BenchmarkGenerate(b *testing.B) {
	if !hasProjectSource() {
		b.Skip("the project's own platform source is not there")
	}
	p := loadPlatform(b, projectRoot)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Generate(p); err != nil {
			b.Fatal(err)
		}
	}
}
