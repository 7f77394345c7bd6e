package kubernetes

import (
	"slices"
	"strings"
	"testing"
)

// FuzzInterpolation: any compose string either splits into text and
// references or is refused, without panicking; what splits, written
// back in compose's syntax, splits the same again.
func FuzzInterpolation(f *testing.F) {
	for _, s := range []string{"", "plain", "$$HOME", "${A}", "$A-b", "a ${B:?set it} c", "${C:-x}", "$", "${", "$${D}", "x$1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		pieces, err := splitInterpolation(s)
		if err != nil {
			return
		}
		var again strings.Builder
		for _, p := range pieces {
			if p.ref != "" {
				again.WriteString("${" + p.ref + "}")
				continue
			}
			again.WriteString(strings.ReplaceAll(p.text, "$", "$$"))
		}
		twice, err := splitInterpolation(again.String())
		if err != nil || !slices.Equal(merged(pieces), merged(twice)) {
			t.Fatalf("%q splits into %v; written back as %q it splits into %v, %v", s, pieces, again.String(), twice, err)
		}
	})
}

// merged joins adjacent text pieces, which two spellings of one string
// may cut differently.
func merged(pieces []piece) []piece {
	var out []piece
	for _, p := range pieces {
		if n := len(out); n > 0 && p.ref == "" && out[n-1].ref == "" {
			out[n-1].text += p.text
			continue
		}
		out = append(out, p)
	}
	return out
}
