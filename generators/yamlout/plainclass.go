package yamlout

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The classes of strings a Block writes, kept narrow on purpose: wide
// enough for every generated name, host:port, URL, path and duration,
// narrow enough that yaml.v4's choice for them is simple to state and
// is checked against yaml.v4 itself (block_test.go).

// plainValue reports whether yaml.v4 writes s as a plain scalar: a
// string of printable ASCII without blanks that plainSafe accepts.
// yaml.v4 quotes a string that it or a YAML 1.1 reader would resolve
// to another type (which readsAsOther covers) and one its emitter
// cannot write plain: a leading indicator, a leading or trailing blank,
// ": " or " #", a trailing colon, a document marker (which plainSafe
// covers), a line break or any character outside printable ASCII
// (which this class leaves out). In a flow sequence (flow), where the
// emitter also quotes any of ,?[]{}: it leaves those out as well.
func plainValue(s string, flow bool) bool {
	for i := range len(s) {
		c := s[i]
		if c <= ' ' || c > '~' || flow && strings.IndexByte(",?[]{}:", c) >= 0 {
			return false
		}
	}
	return plainSafe(s)
}

// decimalDigits reports whether s is one or more digits 0-9, a string
// yaml.v4 resolves to an int (or, where it overflows or has a leading 0
// that is not octal, a float), and so writes double-quoted.
func decimalDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// plainKey reports whether yaml.v4 writes key as a plain simple key and
// sorts it among the others of its map in Go's string order: lower case
// letters and underscores (yaml.v4 compares digits as numbers and puts
// letters after other characters), no word a reader takes for a boolean
// or null, and at most 128 bytes (longer keys are written as "? key").
func plainKey(key string) bool {
	if len(key) > 128 {
		return false
	}
	for i := range len(key) {
		if c := key[i]; !(c >= 'a' && c <= 'z' || c == '_') {
			return false
		}
	}
	return plainSafe(key)
}

// printableLine reports whether yaml.v4 writes text, as a comment, as it
// is after "# ": one line of printable characters, with no blank at
// either end.
func printableLine(text string) bool {
	if text == "" || text[0] == ' ' || text[len(text)-1] == ' ' {
		return false
	}
	for _, r := range text {
		if !unicode.IsPrint(r) || r == utf8.RuneError {
			return false
		}
	}
	return true
}
