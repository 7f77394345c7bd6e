package compose

import (
	"testing"

	"portschema/schema"
	"portschema/schema/memo"
)

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

// BenchmarkCheckBlocks times compose-go's check of what the project's
// own platform writes for its compose hosts, with no verdicts kept (a
// cold run).
func BenchmarkCheckBlocks(b *testing.B) {
	if !hasProjectSource() {
		b.Skip("the project's own platform source is not there")
	}
	p := loadPlatform(b, projectRoot)
	v := newValidator()
	v.verdicts = verdicts{store: memo.At("", "")}
	b.ResetTimer()
	for b.Loop() {
		for _, h := range p.Hosts {
			if h.Kind != schema.KindCompose {
				continue
			}
			if err := v.validate(p, h); err != nil {
				b.Fatal(err)
			}
		}
	}
}
