package schema

import (
	"math/rand/v2"
	"regexp/syntax"
	"strings"
	"testing"
)

// The secret rule's regexps all have literals, so that a value holding
// none skips them.
func TestSecretRegexpsArePrefiltered(t *testing.T) {
	for name, p := range map[string]prefiltered{
		"secretWords": secretWords(), "secretForm": secretForm(), "urlPassword": urlPassword(),
		"basicAuth": basicAuth(), "reference": reference(),
	} {
		if p.literals == nil {
			t.Errorf("%s has no literals: every value runs it", name)
		}
	}
}

// requiredLiterals finds what every match holds, and nothing where a
// match need hold nothing.
func TestRequiredLiterals(t *testing.T) {
	for expr, want := range map[string]string{
		`abc`:                    "abc",
		`a?bc`:                   "bc",
		`(?:ab)*cd`:              "cd",
		`x+yz|w`:                 "yz w",
		`AKIA|ASIA`:              "KIA SIA",
		`(?i:\bbearer)`:          "bearer(any case)",
		`\b[rs]k_(?:live|test)_`: "live test",
		`x|y?`:                   "",
		`[a-z]+`:                 "",
		`(ab){2,}c?`:             "ab",
		`(ab){0,2}`:              "",
	} {
		re, err := syntax.Parse(expr, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range requiredLiterals(re) {
			if l.fold {
				l.text += "(any case)"
			}
			got = append(got, l.text)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: literals %q, want %q", expr, got, want)
		}
	}
}

// A value the prefilter turns away never matches the regexp: tried on
// many values made of the regexps' own literals (whole, cut, in other
// cases), of runes that fold to them from outside ASCII, and of the
// characters around them in real values.
func TestPrefilterNeverTurnsAMatchAway(t *testing.T) {
	exprs := []prefiltered{secretWords(), secretForm(), urlPassword(), basicAuth(), reference(),
		prefilter(`(?i)kelvin|ſecret`), prefilter(`a?b{2,}|c+d`)}
	var pieces []string
	for _, p := range exprs {
		for _, l := range p.literals {
			pieces = append(pieces, l.text, strings.ToUpper(l.text), l.text[:len(l.text)/2], l.text[len(l.text)/2:])
		}
	}
	pieces = append(pieces, " ", "  ", ":", "@", "//", "://", "$", "{", "}", "=", "_", "-", ".", "/", "\n",
		"K", "ſ", "é", "0", "7", "a", "b", "c", "d", "k", "s", "abcdefgh", "ABCDEFGH", "12345678", "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lz",
		"eyJhbGciOiJIUzI1NiJ9", "dXNlcjpodW50ZXIy", "4f9a8b7c6d5e4f3a2b1c")
	rng := rand.New(rand.NewPCG(1, 2))
	values := []string{""}
	for range 200000 {
		var b strings.Builder
		for range 1 + rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		values = append(values, b.String())
	}
	matched := 0
	for _, p := range exprs {
		for _, v := range values {
			if p.MatchString(v) {
				matched++
				if !p.mayMatch(v) {
					t.Fatalf("%s matches %q, which the prefilter turns away", p, v)
				}
			}
		}
	}
	if matched < 10000 {
		t.Errorf("only %d of the values match: the test tries too few matches", matched)
	}
}
