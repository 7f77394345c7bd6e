package cloudflared

import (
	"regexp"
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
func Shadows(a, b Match) bool {
	if !pathCovers(a.Path, b.Path) {
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
func pathCovers(a, b string) bool {
	switch {
	case a == "" || a == b:
		return true
	case b == "" || !isLiteral(a) || !isLiteral(b):
		return false
	}
	return strings.Contains(b, a)
}

// Overlap reports whether some request could match both a and b, so
// that their order decides where it goes. It errs on the side of
// overlap where the paths' expressions leave it open.
func Overlap(a, b Match) bool {
	return hostsMeet(a.Hostname, b.Hostname) && pathsMeet(a.Path, b.Path)
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
func pathsMeet(a, b string) bool {
	pa, oka := anchoredPrefix(a)
	pb, okb := anchoredPrefix(b)
	if !oka || !okb {
		return true
	}
	return strings.HasPrefix(pa, pb) || strings.HasPrefix(pb, pa)
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

// place is where a generated rule goes among the rules placed so far
// (fixed[i] says the i-th was written by hand): before the first rule
// written by hand that could take one of its requests, since a public
// hostname is the service's own, but after every rule it would hide
// (a hand-written ssh.example.com stays before a public *.example.com).
// Rules written by hand keep the order the user wrote.
func place(rules []Match, fixed []bool, g Match) int {
	pos := len(rules)
	for i, r := range rules {
		if fixed[i] && Overlap(r, g) && !Shadows(g, r) {
			pos = i
			break
		}
	}
	for i := len(rules) - 1; i >= pos; i-- {
		if Shadows(g, rules[i]) {
			return i + 1
		}
	}
	return pos
}
