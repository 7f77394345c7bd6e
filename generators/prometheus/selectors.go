package prometheus

import (
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"
)

// jobMatcherRE finds label matchers on `job` in a PromQL expression:
// job="x", job=~"a|b" (and the negative forms, which select nothing and
// are skipped), with PromQL's three quote styles. Group 1 is `job`,
// group 2 the operator, group 3 the quoted value.
var jobMatcherRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile("(?:^|[{,\\s])(job)\\s*(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`)")
})

// jobMatcher is one positive selector of jobs in an expression.
type jobMatcher struct {
	// Text is the matcher as written, e.g. `job=~"a|b"`.
	Text string
	// Offset is the byte offset of Text in the expression.
	Offset int
	Regex  bool
	Value  string
}

// jobMatchers returns the positive job matchers of a PromQL expression.
func jobMatchers(expr string) []jobMatcher {
	var out []jobMatcher
	for _, m := range jobMatcherRE().FindAllStringSubmatchIndex(expr, -1) {
		op := expr[m[4]:m[5]]
		if op == "!=" || op == "!~" {
			continue
		}
		value, ok := unquotePromQL(expr[m[6]:m[7]])
		if !ok {
			continue
		}
		out = append(out, jobMatcher{Text: expr[m[2]:m[7]], Offset: m[2], Regex: op == "=~", Value: value})
	}
	return out
}

// unquotePromQL decodes a PromQL string literal: double- and
// single-quoted strings take Go's escapes, back-quoted ones none.
func unquotePromQL(q string) (string, bool) {
	if q[0] == '\'' {
		inner := strings.ReplaceAll(q[1:len(q)-1], `\'`, `'`)
		q = `"` + strings.ReplaceAll(inner, `"`, `\"`) + `"`
	}
	s, err := strconv.Unquote(q)
	return s, err == nil
}

// Alternatives splits a regular expression at its top-level `|`, so
// that each alternative of a job selector can be checked on its own:
// "a|b(c|d)" gives "a" and "b(c|d)". Audit and import read hand-written
// selectors with it too.
func Alternatives(re string) []string {
	var out []string
	depth, start, inClass := 0, 0, false
	for i := 0; i < len(re); i++ {
		switch c := re[i]; {
		case c == '\\':
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			// A ']' right after '[' or '[^' is a member, not the end.
			inClass = true
			if i+1 < len(re) && re[i+1] == '^' {
				i++
			}
			if i+1 < len(re) && re[i+1] == ']' {
				i++
			}
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '|' && depth == 0:
			out = append(out, re[start:i])
			start = i + 1
		}
	}
	return append(out, re[start:])
}

// literalOf returns the one string a regular expression matches, if it
// is a plain literal ("mana-auth", "mana\\.x"), and ok=false for a
// pattern (".*-backend", "a+").
func literalOf(re string) (string, bool) {
	parsed, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return "", false
	}
	switch {
	case parsed.Op == syntax.OpEmptyMatch:
		return "", true
	case parsed.Op == syntax.OpLiteral && parsed.Flags&syntax.FoldCase == 0:
		return string(parsed.Rune), true
	}
	return "", false
}

// anchored compiles a PromQL regular expression, which must match the
// whole label value.
func anchored(re string) (*regexp.Regexp, error) {
	return regexp.Compile("^(?:" + re + ")$")
}
