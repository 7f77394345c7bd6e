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
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
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
