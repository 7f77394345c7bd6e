package cloudflared

import (
	"container/heap"
	"regexp"
	"slices"
	"strings"
)

// cloudflared sends a request to the first ingress rule that matches
// it: the hostname (exact, "*.suffix" for any name ending in .suffix,
// empty or "*" for every name) and the path, a regular expression found
// anywhere in the request path. The order of the rules is therefore part
// of the configuration. The functions here decide it for regen and tell
// import which orders regen keeps.

// Match is what an ingress rule matches on.
type Match struct {
	Hostname string
	Path     string
}

// Shadows reports whether a, placed before b, matches every request b
// matches, so that b is never used. Paths are compared as cloudflared
// finds them: a literal path also matches every path that contains it.
func Shadows(a, b Match) bool { return shadows(factsOf(a), factsOf(b)) }

// Overlap reports whether some request could match both a and b, so
// that their order decides where it goes. It errs on the side of
// overlap where the paths' expressions leave it open.
func Overlap(a, b Match) bool { return overlap(factsOf(a), factsOf(b)) }

// matchFacts is a Match with what the comparisons need to know of its
// path, worked out once: a tunnel's rules are compared pairwise, and
// working them out per pair (a regular expression compiled for every
// anchored path) made ordering a large tunnel's rules slow.
type matchFacts struct {
	Match
	// literal: the path is plain text, no expression.
	literal bool
	// anchored: the path is a "^..." expression that compiles; prefix
	// is the literal text it starts with.
	anchored bool
	prefix   string
}

func factsOf(m Match) matchFacts {
	f := matchFacts{Match: m, literal: isLiteral(m.Path)}
	f.prefix, f.anchored = anchoredPrefix(m.Path)
	return f
}

func factsOfAll(rules []Match) []matchFacts {
	out := make([]matchFacts, len(rules))
	for i, m := range rules {
		out[i] = factsOf(m)
	}
	return out
}

func shadows(a, b matchFacts) bool {
	if !pathCovers(a, b) {
		return false
	}
	if a.Hostname == "" || a.Hostname == "*" {
		return true
	}
	if strings.HasPrefix(a.Hostname, "*.") {
		return strings.HasSuffix(b.Hostname, a.Hostname[1:])
	}
	return a.Hostname == b.Hostname
}

// pathCovers reports whether every request path matched by b is matched
// by a: a matches all paths, or both are the same expression, or a is
// a literal that b, a literal too, contains.
func pathCovers(a, b matchFacts) bool {
	switch {
	case a.Path == "" || a.Path == b.Path:
		return true
	case b.Path == "" || !a.literal || !b.literal:
		return false
	}
	return strings.Contains(b.Path, a.Path)
}

func overlap(a, b matchFacts) bool {
	return hostsMeet(a.Hostname, b.Hostname) && pathsMeet(a, b)
}

func hostsMeet(a, b string) bool {
	switch {
	case a == "" || a == "*" || b == "" || b == "*" || a == b:
		return true
	case strings.HasPrefix(a, "*.") && strings.HasSuffix(b, a[1:]):
		return true
	case strings.HasPrefix(b, "*.") && strings.HasSuffix(a, b[1:]):
		return true
	}
	return false
}

// pathsMeet: unanchored expressions can both be found in one path (the
// two written one after the other); two expressions anchored at the
// start by literal prefixes meet only when one prefix starts the other.
func pathsMeet(a, b matchFacts) bool {
	if !a.anchored || !b.anchored {
		return true
	}
	return strings.HasPrefix(a.prefix, b.prefix) || strings.HasPrefix(b.prefix, a.prefix)
}

// anchoredPrefix is the literal text a "^..." expression starts with.
func anchoredPrefix(expr string) (string, bool) {
	if !strings.HasPrefix(expr, "^") {
		return "", false
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return "", false
	}
	prefix, _ := re.LiteralPrefix()
	return prefix, true
}

func isLiteral(expr string) bool { return regexp.QuoteMeta(expr) == expr }

// Before orders the rules regen generates from public hostnames, most
// specific first, so that none hides another: exact hostnames, then
// wildcards (deeper suffixes first), then rules for every hostname; for
// one hostname, rules with a path before the one without, longer paths
// before shorter.
func Before(a, b Match) bool {
	ka, kb := hostClass(a.Hostname), hostClass(b.Hostname)
	if ka != kb {
		return ka < kb
	}
	if ka == 1 {
		if da, db := strings.Count(a.Hostname, "."), strings.Count(b.Hostname, "."); da != db {
			return da > db
		}
	}
	if (a.Path == "") != (b.Path == "") {
		return a.Path != ""
	}
	return len(a.Path) > len(b.Path)
}

// hostClass: 0 an exact name, 1 a wildcard, 2 every name.
func hostClass(h string) int {
	switch {
	case h == "" || h == "*":
		return 2
	case strings.HasPrefix(h, "*."):
		return 1
	}
	return 0
}

// order arranges the rules of a tunnel, given as the hand-written ones
// (fixed[i]) in the order written followed by the generated ones in
// Before's order, and returns the new order as indexes. It keeps, in
// this order of strength:
//
//   - the hand-written rules in the order the user wrote them;
//   - a rule that would hide another after it;
//   - a generated rule before a hand-written one that could take some
//     of its requests (a public hostname is its service's own);
//   - of two generated rules that could take the same request, the
//     more specific first (Before);
//
// and otherwise the order given. When the user's rules leave no order
// that keeps them all (a public hostname that would hide one
// hand-written rule and must precede an earlier one), the order given
// decides and the hidden rule is reported where the file is checked.
func order(matches []Match, fixed []bool) []int {
	rules := factsOfAll(matches)
	hosts := indexHosts(rules)
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
	// Only rules whose hostnames meet can hide one another or take the
	// same request.
	for i := range n {
		for _, j := range hosts.meeting(i) {
			if fixed[i] && fixed[j] {
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
	ready := &indexHeap{}
	for i := range n {
		if incoming[i] == 0 {
			heap.Push(ready, i)
		}
	}
	firstLeft := 0
	for len(out) < n {
		next := -1
		for ready.Len() > 0 && next < 0 {
			if i := heap.Pop(ready).(int); !done[i] {
				next = i
			}
		}
		if next < 0 {
			for done[firstLeft] {
				firstLeft++
			}
			next = firstLeft
		}
		done[next] = true
		out = append(out, next)
		for _, j := range after[next] {
			if incoming[j]--; incoming[j] == 0 && !done[j] {
				heap.Push(ready, j)
			}
		}
	}
	return out
}

// indexHeap is a min-heap of rule indexes: the rules ready to go next,
// the first in the order given on top.
type indexHeap []int

func (h indexHeap) Len() int           { return len(h) }
func (h indexHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h indexHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *indexHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *indexHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// hostIndex finds, for a rule, the rules whose hostnames meet its own
// (see hostsMeet) without comparing it with every rule of the tunnel: a
// large tunnel's rules are nearly all for hostnames of their own.
type hostIndex struct {
	rules     []matchFacts
	universal []int            // rules for every hostname ("" or "*")
	byName    map[string][]int // rules by hostname as written
	bySuffix  map[string][]int // rules by every ".suffix" their hostname ends with
	wildcards map[string][]int // "*.suffix" rules by their ".suffix"
}

func indexHosts(rules []matchFacts) *hostIndex {
	x := &hostIndex{rules: rules, byName: map[string][]int{}, bySuffix: map[string][]int{}, wildcards: map[string][]int{}}
	for i, r := range rules {
		h := r.Hostname
		if h == "" || h == "*" {
			x.universal = append(x.universal, i)
			continue
		}
		x.byName[h] = append(x.byName[h], i)
		if strings.HasPrefix(h, "*.") {
			x.wildcards[h[1:]] = append(x.wildcards[h[1:]], i)
		}
		for k := range len(h) {
			if h[k] == '.' {
				x.bySuffix[h[k:]] = append(x.bySuffix[h[k:]], i)
			}
		}
	}
	return x
}

// meeting returns, in the order given, the other rules whose hostnames
// meet rule i's: exactly those for which hostsMeet holds.
func (x *hostIndex) meeting(i int) []int {
	h := x.rules[i].Hostname
	if h == "" || h == "*" {
		all := make([]int, 0, len(x.rules)-1)
		for j := range x.rules {
			if j != i {
				all = append(all, j)
			}
		}
		return all
	}
	seen := map[int]bool{i: true}
	var out []int
	add := func(js []int) {
		for _, j := range js {
			if !seen[j] {
				seen[j] = true
				out = append(out, j)
			}
		}
	}
	add(x.universal)
	add(x.byName[h])
	if strings.HasPrefix(h, "*.") {
		add(x.bySuffix[h[1:]])
	}
	for k := range len(h) {
		if h[k] == '.' {
			add(x.wildcards[h[k:]])
		}
	}
	slices.Sort(out)
	return out
}
