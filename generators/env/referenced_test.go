package env

import (
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/compose-spec/compose-go/v2/template"
)

// referencedIn names the variables compose-go finds in the whole block,
// on blocks of nested maps and lists whose strings reference variables
// every way compose writes them, escaped ones and non-strings among them.
func TestReferencedInIsComposeGos(t *testing.T) {
	texts := []string{"plain", "${A}", "$B", "$$C", "x${D:-d}y", "${E:?must}", "${F:+set}", "$${G}", "${H-${I}}", "$", "${}", "a$J b", "${K_1}"}
	r := rand.New(rand.NewPCG(5, 6))
	var value func(depth int) any
	value = func(depth int) any {
		switch n := r.IntN(6); {
		case depth > 2 || n < 3:
			if n == 0 {
				return float64(r.IntN(9))
			}
			return texts[r.IntN(len(texts))] + texts[r.IntN(len(texts))]
		case n < 5:
			m := map[string]any{}
			for range r.IntN(4) {
				m[texts[r.IntN(len(texts))]] = value(depth + 1)
			}
			return m
		default:
			var l []any
			for range r.IntN(4) {
				l = append(l, value(depth+1))
			}
			return l
		}
	}
	for range 2000 {
		block, _ := value(0).(map[string]any)
		if block == nil {
			continue
		}
		want := template.ExtractVariables(block, nil)
		delete(want, "COMPOSE_PROJECT_NAME")
		if got := referencedIn(block); !slices.Equal(got, slices.Sorted(maps.Keys(want))) {
			t.Fatalf("referencedIn(%v) = %v, want %v", block, got, slices.Sorted(maps.Keys(want)))
		}
	}
}
