package cloudflared

import (
	"math/rand/v2"
	"slices"
	"testing"

	"portschema/schema"
)

// The hostname index finds exactly the pairs of rules hostsMeet
// accepts, so ordering and the hidden-rule check give what comparing
// every pair gives: tried on random tunnels of exact, wildcard and
// catch-all hostnames, nested and not, with and without paths, hand-
// written and generated.
func TestIndexedOrderIsTheOrderOfEveryPair(t *testing.T) {
	names := []string{"", "*", "a.example.com", "b.example.com", "x.a.example.com", "*.example.com",
		"*.a.example.com", "*.com", "example.com", "*.", "other.org", "*.other.org", "a.other.org", "*foo.com"}
	paths := []string{"", "", "/api", "/api/v1", "^/api", "^/api/v1", "^/adm(in)?", "/health", "v1"}
	rng := rand.New(rand.NewPCG(7, 11))
	for run := range 3000 {
		n := 1 + rng.IntN(14)
		rules := make([]ingressRule, n)
		fixed := make([]bool, n)
		for i := range n {
			rules[i] = ingressRule{Hostname: names[rng.IntN(len(names))], Path: paths[rng.IntN(len(paths))]}
			fixed[i] = rng.IntN(3) == 0
		}
		ms := matches(rules)
		if got, want := order(ms, fixed), naiveOrder(ms, fixed); !slices.Equal(got, want) {
			t.Fatalf("run %d: %v with fixed %v: order %v, every pair gives %v", run, ms, fixed, got, want)
		}
		facts := factsOfAll(ms)
		hosts := indexHosts(facts)
		for i := range n {
			var want []int
			for j := range n {
				if j != i && hostsMeet(facts[i].Hostname, facts[j].Hostname) {
					want = append(want, j)
				}
			}
			if got := hosts.meeting(i); !slices.Equal(got, want) {
				t.Fatalf("run %d: rules meeting %q: %v, want %v (%v)", run, facts[i].Hostname, got, want, ms)
			}
		}
		at := make([]schema.Pos, n)
		h := &schema.Host{Name: "h"}
		if got, want := shadowed(h, rules, at), naiveShadowed(h, rules, at); len(got) != len(want) || (len(got) > 0 && got.Error() != want.Error()) {
			t.Fatalf("run %d: hidden rules %v, every pair gives %v", run, got, want)
		}
	}
}

// naiveShadowed is shadowed comparing every pair.
func naiveShadowed(h *schema.Host, rules []ingressRule, at []schema.Pos) schema.Diagnostics {
	var diags schema.Diagnostics
	facts := factsOfAll(matches(rules))
	for j := range rules {
		for i := range j {
			if shadows(facts[i], facts[j]) {
				d := errorAt(at[j], "tunnel on %s: the route of %s%s is never used: an earlier rule for %s%s matches first",
					h.Name, rules[j].Hostname, rules[j].Path, rules[i].Hostname, rules[i].Path)
				d.Related = []schema.Pos{at[i]}
				diags = append(diags, d)
				break
			}
		}
	}
	return diags
}

// naiveOrder is order comparing every pair, and finding the next rule
// by a scan from the first.
func naiveOrder(matches []Match, fixed []bool) []int {
	rules := factsOfAll(matches)
	n := len(rules)
	after := make([][]int, n) // after[i]: rules that must come after i
	incoming := make([]int, n)
	edge := func(first, then int) {
		after[first] = append(after[first], then)
		incoming[then]++
	}
	prevFixed := -1
	for i := range n {
		if fixed[i] {
			if prevFixed >= 0 {
				edge(prevFixed, i)
			}
			prevFixed = i
		}
	}
	for i := range n {
		for j := range n {
			if i == j || (fixed[i] && fixed[j]) {
				continue
			}
			switch {
			case shadows(rules[j], rules[i]) && !shadows(rules[i], rules[j]):
				edge(i, j) // j hides i: i first
			case !fixed[i] && fixed[j] && overlap(rules[i], rules[j]) && !shadows(rules[i], rules[j]):
				edge(i, j)
			case !fixed[i] && !fixed[j] && i < j && overlap(rules[i], rules[j]) && !shadows(rules[i], rules[j]) && !shadows(rules[j], rules[i]):
				edge(i, j)
			}
		}
	}
	// Kahn's algorithm, taking the first ready rule in the order given;
	// if constraints conflict, the first rule left goes next.
	out := make([]int, 0, n)
	done := make([]bool, n)
	for len(out) < n {
		next := -1
		for i := range n {
			if !done[i] && incoming[i] == 0 {
				next = i
				break
			}
		}
		if next < 0 {
			for i := range n {
				if !done[i] {
					next = i
					break
				}
			}
		}
		done[next] = true
		out = append(out, next)
		for _, j := range after[next] {
			incoming[j]--
		}
	}
	return out
}
