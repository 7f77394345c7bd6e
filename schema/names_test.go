package schema

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// Near answers as the full distance does, for names of every length
// (past the rows kept on the stack too), sharing starts and ends, over
// an alphabet small enough that most pairs are near.
func TestNearIsTheDistanceWithinK(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteByte("AB_C"[r.IntN(4)])
		}
		return b.String()
	}
	for range 200000 {
		a := word(r.IntN(12))
		b := a
		for range r.IntN(4) { // a few edits of a
			i := r.IntN(len(b) + 1)
			switch r.IntN(3) {
			case 0:
				b = b[:i] + word(1) + b[i:]
			case 1:
				if i < len(b) {
					b = b[:i] + b[i+1:]
				}
			default:
				if i < len(b) {
					b = b[:i] + word(1) + b[i+1:]
				}
			}
		}
		if r.IntN(4) == 0 {
			b = word(r.IntN(12))
		}
		if r.IntN(50) == 0 { // longer than the rows on the stack, past what both start and end with
			long := word(70)
			a, b = word(1)+long+a, word(1)+long+b
		}
		k := r.IntN(4)
		if got, want := Near(a, b, k), distance(a, b) <= k; got != want {
			t.Fatalf("Near(%q, %q, %d) = %v, distance %d", a, b, k, got, distance(a, b))
		}
	}
}
