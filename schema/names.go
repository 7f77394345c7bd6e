package schema

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"sync"
)

var nameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9-]*$`) })

// checkNames catches names the CUE pattern constraints let through
// unconstrained ([#Name]: only applies to names that match).
func checkNames(c *collector, p *Platform) {
	check := func(kind, name string, pos Pos) {
		if len(name) > 63 {
			c.errorf(pos, nil, "%s name %q is %d characters long; at most 63 are allowed (the length of a DNS label)", kind, name, len(name))
			return
		}
		if !nameRE().MatchString(name) {
			c.errorf(pos, nil, "%s name %q must be lower-case letters, digits and dashes, starting with a letter", kind, name)
		}
	}
	for _, r := range p.Ranges {
		check("range", r.Name, r.At(""))
	}
	for _, h := range p.Hosts {
		check("host", h.Name, h.At(""))
	}
	for _, s := range p.Services {
		check("service", s.Name, s.At(""))
	}
}

// Suggest returns ` (did you mean "x"?)` for the name among known
// closest to name, or "" when none is close: for the rules of outputs.
func Suggest(name string, known []string) string { return suggest(name, known) }

// Distance is the number of letters to insert, delete or change to turn
// one name into the other.
func Distance(a, b string) int { return distance(a, b) }

// Near reports whether a and b are at most k edits apart, as
// Distance(a, b) <= k would, looking only at what can be within k: the
// letters both share at the start and the end are set aside, and the
// rest compared along the diagonal, stopping at the first row already
// further apart. Rules that compare every name with every other (a
// host's variables) mostly meet names far apart, which this answers in
// a few letters and no allocation.
func Near(a, b string, k int) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > k {
		return false
	}
	for len(a) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	if len(a) == 0 {
		return len(b) <= k
	}
	const short = 64 // letters, of names whose rows stay on the stack
	var rows [2 * (short + 1)]int
	var prev, cur []int
	if len(b) <= short {
		prev, cur = rows[:len(b)+1], rows[short+1:short+1+len(b)+1]
	} else {
		prev, cur = make([]int, len(b)+1), make([]int, len(b)+1)
	}
	far := k + 1 // any distance above k: the cells outside the diagonal
	for j := range prev {
		prev[j] = min(j, far)
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-k), min(len(b), i+k)
		cur[0] = min(i, far)
		if lo > 1 {
			cur[lo-1] = far
		}
		nearest := far
		for j := lo; j <= hi; j++ {
			d := prev[j-1]
			if a[i-1] != b[j-1] {
				d++
			}
			d = min(d, prev[j]+1, cur[j-1]+1, far)
			cur[j] = d
			nearest = min(nearest, d)
		}
		if hi < len(b) {
			cur[hi+1] = far
		}
		if nearest > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(b)] <= k
}

// suggest returns ` (did you mean "x"?)` for the closest known name.
func suggest(name string, known []string) string {
	best, bestD := "", len(name)/2+1
	for _, k := range known {
		if d := distance(name, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", strconv.Quote(best))
}

// distance is the Levenshtein distance of two short names.
func distance(a, b string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func hostNames(p *Platform) []string {
	out := make([]string, len(p.Hosts))
	for i, h := range p.Hosts {
		out[i] = h.Name
	}
	return out
}

func rangeNames(p *Platform) []string {
	out := make([]string, len(p.Ranges))
	for i, r := range p.Ranges {
		out[i] = r.Name
	}
	return out
}

func serviceNames(p *Platform) []string {
	out := make([]string, len(p.Services))
	for i, s := range p.Services {
		out[i] = s.Name
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
