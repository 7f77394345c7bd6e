package yamlout

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// AppendString appends s as a YAML scalar that every YAML reader, 1.1 or
// 1.2, reads back as the string s: plain where nothing in it could be
// read otherwise, single-quoted where only its shape is the problem
// (a leading blank, ": ", a leading indicator), double-quoted where it
// would be read as another type (true, 10008, null, 2024-01-01) or
// holds characters a quoted style cannot carry as they are (a line
// break, a tab). It never writes a block scalar; see LiteralSafe.
func AppendString(b []byte, s string) []byte {
	switch {
	case plainSafe(s):
		return append(b, s...)
	case readsAsOther(s) || !singleQuotable(s):
		return strconv.AppendQuote(b, s) // Go's escapes are YAML double-quoted escapes
	default:
		b = append(b, '\'')
		b = append(b, strings.ReplaceAll(s, "'", "''")...)
		return append(b, '\'')
	}
}

// LiteralSafe reports whether s, a string with a line break, can be
// written as a literal block scalar (|) and read back unchanged: every
// character printable, no line ending in a blank (editors strip them),
// and a first line with text that does not start with a blank (which
// would need an indentation indicator).
func LiteralSafe(s string) bool {
	// The first line with text sets the block's indentation.
	if text := strings.Trim(s, "\n"); text == "" || !strings.Contains(s, "\n") || text[0] == ' ' || text[0] == '\t' {
		return false
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.HasSuffix(line, " ") || strings.HasSuffix(line, "\t") {
			return false
		}
		for _, r := range line {
			if r != '\t' && !unicode.IsPrint(r) || r == utf8.RuneError || r == '\uFEFF' {
				return false
			}
		}
	}
	return true
}

// LiteralHeader is the block scalar header that keeps s's trailing line
// breaks: | for exactly one, |- for none, |+ for more.
func LiteralHeader(s string) string {
	switch {
	case strings.HasSuffix(s, "\n\n"):
		return "|+"
	case strings.HasSuffix(s, "\n"):
		return "|"
	}
	return "|-"
}

// plainSafe reports whether s can be written without quotes: a string
// of printable characters without the blanks, indicators and sequences
// (": ", " #") that give plain text another meaning, and that no reader
// resolves to anything but a string.
func plainSafe(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || readsAsOther(s) ||
		strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") ||
		strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	switch s[0] {
	case '!', '&', '*', '|', '>', '\'', '"', '%', '@', '`', '#', ',', '[', ']', '{', '}':
		return false
	case '-', '?', ':':
		if len(s) == 1 || s[1] == ' ' {
			return false
		}
	}
	return printable(s)
}

// printable reports whether every character of s is printable, a
// space included, and none is U+FFFD or a byte order mark: for ASCII
// without a call per character.
func printable(s string) bool {
	for _, r := range s {
		if r < utf8.RuneSelf {
			if r < ' ' || r == 0x7f {
				return false
			}
			continue
		}
		if !unicode.IsPrint(r) || r == utf8.RuneError || r == '\uFEFF' {
			return false
		}
	}
	return true
}

// singleQuotable reports whether s can be single-quoted: one line of
// printable characters (single quotes cannot escape anything else).
func singleQuotable(s string) bool { return printable(s) }

// readsAsOther reports whether a YAML 1.1 or 1.2 reader would resolve s,
// written plain, to something other than a string: null, a boolean, a
// number (in any base, with underscores, base 60, inf and nan), a
// timestamp, or the merge key.
func readsAsOther(s string) bool {
	switch s {
	case "", "~", "null", "Null", "NULL", "<<", "=",
		"true", "True", "TRUE", "false", "False", "FALSE",
		"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
		"on", "On", "ON", "off", "Off", "OFF":
		return true
	}
	if c := s[0]; !(c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.') {
		return false
	}
	if len(s) >= len("0000-0-0") && s[4] == '-' && timestamp.MatchString(s) {
		return true
	}
	// Neither YAML's numbers nor Go's parsers (see below) take a text
	// with a byte no number, inf or nan has: most such values are
	// durations, sizes and host:port pairs, and each regexp run or
	// failed parse costs.
	if strings.IndexFunc(s, notInNumber) >= 0 {
		return false
	}
	if number.MatchString(s) {
		return true
	}
	// What Go's parsers take for a number, as Go YAML readers resolve
	// them: any base prefix in either case, underscores, hex floats.
	digits := strings.ReplaceAll(s, "_", "")
	_, ierr := strconv.ParseInt(digits, 0, 64)
	_, uerr := strconv.ParseUint(digits, 0, 64)
	_, ferr := strconv.ParseFloat(digits, 64)
	return ierr == nil || uerr == nil || ferr == nil || errors.Is(ierr, strconv.ErrRange) || errors.Is(ferr, strconv.ErrRange)
}

// notInNumber reports whether r appears in no text that the number
// regexp matches or strconv's ParseInt, ParseUint or ParseFloat accepts
// or finds out of range: digits, signs, the point, underscores, base
// 60's colons, base prefixes and hex digits, exponents (e, p), and the
// letters of inf, infinity and nan.
func notInNumber(r rune) bool {
	switch {
	case r >= '0' && r <= '9', r == '+', r == '-', r == '.', r == '_', r == ':':
		return false
	}
	switch unicode.ToLower(r) {
	case 'a', 'b', 'c', 'd', 'e', 'f', 'x', 'o', 'p', 'i', 'n', 't', 'y':
		return false
	}
	return true
}

var (
	number = regexp.MustCompile(`^[-+]?(` +
		`0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|` + // bases
		`[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?|` + // base 60
		`(\.[0-9_]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|` + // decimal, float
		`\.(inf|Inf|INF)|\.(nan|NaN|NAN))$`)
	timestamp = regexp.MustCompile(`^[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?`)
)
