package schema

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// FillPlaceholders gives what a strings.Replacer of the same pairs gives,
// on rules made of placeholders, their pieces, braces and words, with
// values that hold placeholders themselves (which must not be filled
// again).
func TestFillPlaceholdersIsReplacer(t *testing.T) {
	pieces := []string{"{name}", "{tier}", "{project}", "{", "}", "{na", "me}", "{{name}}", "-", "web", "{tier", "x{", ""}
	values := []string{"", "api", "{name}", "{project}-x", "a{b", "{"}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(from []string) string { return from[r.IntN(len(from))] }
	for range 20000 {
		var rule strings.Builder
		for range r.IntN(6) {
			rule.WriteString(pick(pieces))
		}
		pairs := []string{"{name}", pick(values), "{tier}", pick(values), "{project}", pick(values)}
		if r.IntN(2) == 0 { // another order of the same pairs
			pairs = append(pairs[2:], pairs[:2]...)
		}
		want := strings.NewReplacer(pairs...).Replace(rule.String())
		if got := FillPlaceholders(rule.String(), pairs...); got != want {
			t.Fatalf("FillPlaceholders(%q, %q) = %q, want %q", rule.String(), pairs, got, want)
		}
	}
}
