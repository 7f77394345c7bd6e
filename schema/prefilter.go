package schema

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// A prefiltered regexp knows, from its own syntax, strings one of
// which every match holds: a value holding none cannot match and costs
// a few substring searches instead of a run of the regexp. The secret
// rule runs its regexps on every value of the source, nearly all of
// which hold none of their literals.
type prefiltered struct {
	*regexp.Regexp
	// literals are the strings one of which every match holds; nil
	// when some match need hold none, and every value is tried.
	literals []mustHold
}

// mustHold is a string a match holds, in any case when fold is set
// (stored in lower case then).
type mustHold struct {
	text string
	fold bool
}

// prefilter compiles expr and finds its literals.
func prefilter(expr string) prefiltered {
	p := prefiltered{Regexp: regexp.MustCompile(expr)}
	if re, err := syntax.Parse(expr, syntax.Perl); err == nil {
		p.literals = requiredLiterals(re)
	}
	return p
}

// mayMatch reports whether s holds one of the literals, as every match
// does: false means the regexp does not match s.
func (p prefiltered) mayMatch(s string) bool {
	if p.literals == nil {
		return true
	}
	for _, l := range p.literals {
		if l.fold && containsFold(s, l.text) || !l.fold && strings.Contains(s, l.text) {
			return true
		}
	}
	return false
}

// requiredLiterals returns strings one of which every match of re
// holds, or nil when it cannot tell: a literal of a sequence, or one
// of each alternative.
func requiredLiterals(re *syntax.Regexp) []mustHold {
	switch re.Op {
	case syntax.OpLiteral:
		fold := re.Flags&syntax.FoldCase != 0
		text := string(re.Rune)
		if fold {
			text = strings.ToLower(text)
		}
		return []mustHold{{text, fold}}
	case syntax.OpCapture, syntax.OpPlus:
		return requiredLiterals(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min > 0 {
			return requiredLiterals(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []mustHold
		for _, sub := range re.Sub {
			if lits := requiredLiterals(sub); lits != nil && (best == nil || shortest(lits) > shortest(best)) {
				best = lits
			}
		}
		return best
	case syntax.OpAlternate:
		var all []mustHold
		for _, sub := range re.Sub {
			lits := requiredLiterals(sub)
			if lits == nil {
				return nil
			}
			all = append(all, lits...)
		}
		return all
	}
	return nil
}

// shortest is the length of the shortest literal: the longer, the
// fewer values hold one by chance.
func shortest(lits []mustHold) int {
	n := len(lits[0].text)
	for _, l := range lits[1:] {
		n = min(n, len(l.text))
	}
	return n
}

// containsFold reports whether s holds lower, an ASCII-lower-case
// string, in any case.
func containsFold(s, lower string) bool {
	if len(lower) == 0 {
		return true
	}
	for i := 0; i+len(lower) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(lower)], lower) {
			return true
		}
	}
	// A rune that folds to another width (K, the Kelvin sign) may
	// match with fewer or more bytes: let the regexp decide then.
	return !isASCII(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
