package yamlout

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// tricky are strings YAML readers are known to take for something else,
// or that need quoting for their shape or characters.
var tricky = []string{
	"", " ", "plain", "two words", " lead", "trail ", "a: b", "a:b", "http://x:1/y", "#c", "a #c", "a#c",
	"- x", "-x", "-", "?", "? x", ":9001", ":", "a:", "---", "...", "--- x", "[a]", "{a}", "a,b", "1,3",
	"!tag", "&anchor", "*alias", "|", ">", "'", "\"", "it's", "say \"hi\"", "%x", "@x", "`x`",
	"true", "True", "FALSE", "yes", "No", "on", "OFF", "y", "N", "null", "Null", "~", "<<", "=",
	"0", "10008", "-1", "+1", "1.5", "1e3", "1E+3", ".5", "1.", "0x1F", "0o17", "017", "0b101", "1_000",
	"22:22", "190:20:30", "1:2", ".inf", "-.Inf", ".nan", "2024-01-01", "2024-1-1 10:00", "1.2.3",
	"tab\there", "line\nbreak", "ends\n", "\n", "\n\nx", "x\n\n", "a\r\nb", "nul\x00", "bell\a",
	"é ü ß", "東京", "🚀", "\u00a0nbsp", "zero\u200bwidth", "\ufeffbom", "${X} $$Y", "a\\b",
	"multi\nline\n", "multi\n\nwith empty\n", "  indented\nfirst\n", "trailing \nspace", "x\n  y\n",
	strings.Repeat("long words ", 40),
}

// readBack parses text as a YAML mapping and returns the value of k.
func readBack(t *testing.T, text string) any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(text), &m); err != nil {
		t.Fatalf("%q does not parse: %v", text, err)
	}
	return m["k"]
}

// writeString is how a generator writes a string value at one level of
// nesting: a literal block where LiteralSafe says so, else AppendString.
func writeString(s string) string {
	if LiteralSafe(s) {
		var b strings.Builder
		b.WriteString("k: " + LiteralHeader(s) + "\n")
		lines := strings.Split(s, "\n")
		if lines[len(lines)-1] == "" {
			lines = lines[:len(lines)-1]
		}
		for _, line := range lines {
			if line != "" {
				b.WriteString("  " + line)
			}
			b.WriteString("\n")
		}
		return b.String() + "next: 1\n"
	}
	return "k: " + string(AppendString(nil, s)) + "\nnext: 1\n"
}

func checkString(t *testing.T, s string) {
	t.Helper()
	text := writeString(s)
	if got := readBack(t, text); got != s {
		t.Errorf("%q written as\n%s\nreads back as %#v", s, text, got)
	}
	// As a key, and under YAML 1.1 eyes: a plain scalar is never one a
	// 1.1 reader resolves to another type.
	key := string(AppendString(nil, s))
	var m map[string]any
	if err := yaml.Unmarshal([]byte(key+": 1\n"), &m); err != nil || len(m) != 1 || m[s] != 1 {
		t.Errorf("%q as a key, written %s, reads back as %v (%v)", s, key, m, err)
	}
	if plainSafe(s) && readsAsOther(s) {
		t.Errorf("%q is written plain though a reader takes it for another type", s)
	}
}

func TestStringsReadBackAsWritten(t *testing.T) {
	for _, s := range tricky {
		checkString(t, s)
	}
}

// Strings no reader could take for anything else stay plain, so a
// generated file reads like a hand-written one.
func TestOrdinaryStringsArePlain(t *testing.T) {
	for _, s := range []string{"plain", "two words", "http://x:1/y", "a#c", "-x", ":9001", "1,3", "1.2.3",
		"redis-server --requirepass ${REDIS_PASSWORD}", "fetch('http://127.0.0.1:3001/health')", "CMD-SHELL", "é ü ß"} {
		if got := string(AppendString(nil, s)); got != s {
			t.Errorf("%q written as %s", s, got)
		}
	}
}

func FuzzString(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8Valid(s) {
			return // the model's strings come from JSON: valid UTF-8
		}
		checkString(t, s)
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// printable is unicode.IsPrint on every character, without U+FFFD and
// the byte order mark, for every ASCII byte and a sample beyond.
func TestPrintableIsIsPrint(t *testing.T) {
	want := func(s string) bool {
		for _, r := range s {
			if !unicode.IsPrint(r) || r == utf8.RuneError || r == '\uFEFF' {
				return false
			}
		}
		return true
	}
	var cases []string
	for b := range 256 {
		cases = append(cases, string([]byte{'a', byte(b), 'z'}))
	}
	for _, r := range []rune{0x85, 0xa0, 0xad, 0x2028, 0xfeff, 0xfffd, 0x1f600, 'é'} {
		cases = append(cases, "x"+string(r))
	}
	for _, s := range cases {
		if printable(s) != want(s) {
			t.Errorf("printable(%q) = %v", s, printable(s))
		}
	}
}

// notInNumber never turns away a text the number regexp matches or one
// of Go's number parsers takes or finds out of range: checked on every
// text of up to three bytes over an alphabet of everything a number may
// hold and some that none does, and on longer numbers of every shape.
func TestNotInNumberKeepsEveryNumber(t *testing.T) {
	parses := func(s string) bool {
		_, ierr := strconv.ParseInt(s, 0, 64)
		_, uerr := strconv.ParseUint(s, 0, 64)
		_, ferr := strconv.ParseFloat(s, 64)
		return number.MatchString(s) || ierr == nil || uerr == nil || ferr == nil ||
			errors.Is(ierr, strconv.ErrRange) || errors.Is(uerr, strconv.ErrRange) || errors.Is(ferr, strconv.ErrRange)
	}
	alphabet := "0159+-._:eEpPxXoObBaAfFiInNtTyYsmkg/ Z"
	var cases []string
	var grow func(prefix string)
	grow = func(prefix string) {
		cases = append(cases, prefix)
		if len(prefix) == 3 {
			return
		}
		for _, c := range alphabet {
			grow(prefix + string(c))
		}
	}
	grow("")
	cases = append(cases, "Infinity", "-infinity", "+INF", "NaN", "0x1.8p1", "0X1P-2", "1e400", "-0b1_01",
		"0o17", "18446744073709551616", "1_000.5", "0x_1f", "9e9999999999", ".5e-3",
		"190:20:30", "1:2", "-.Inf", ".NAN", "0b1_0", "12_3:45.6")
	for _, s := range cases {
		if parses(s) && strings.IndexFunc(s, notInNumber) >= 0 {
			t.Errorf("%q is a number to strconv, but notInNumber turns it away", s)
		}
	}
}
