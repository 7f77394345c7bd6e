package env

import (
	"strings"
	"unicode"

	"portschema/schema"
)

// Quote renders a literal value as the right-hand side of `NAME=value`,
// so that a dotenv parser (compose's, which the tests use) returns it
// unchanged, whatever it holds.
//
// Plain words stay bare, as people write them. Anything else goes in
// double quotes, the one dotenv form that can hold every string: single
// quotes cannot hold a single quote, nor end in a backslash, and bare
// values lose `#` comments and surrounding spaces. Inside double quotes
// dotenv reads escapes and expands variables, so `\`, `"` and `$` are
// escaped, and line breaks are written as `\n` and `\r` to keep one
// assignment per line.
func Quote(value string) string {
	if isBare(value) {
		return value
	}
	return `"` + escape(value) + `"`
}

// quoteValue renders a value that may carry one secret reference: the
// text around it is literal, the reference stays a live `${NAME}` that
// dotenv fills in from the variables above it or the environment.
func quoteValue(v schema.SecretURL) string {
	if v.Secret == "" {
		return Quote(v.Head + v.Tail)
	}
	return `"` + escape(v.Head) + "${" + v.Secret + "}" + escape(v.Tail) + `"`
}

// isBare reports whether a value reads the same unquoted: only
// characters that neither start a comment, a quote, an escape or a
// variable, nor are trimmed as space.
func isBare(value string) bool {
	for i := 0; i < len(value); i++ {
		c := value[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("_-.,/:@%+=", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// escape writes a string for the inside of dotenv double quotes. It
// works on bytes, so that invalid UTF-8 passes through as it came.
func escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '$':
			b.WriteString(`\$`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// comment turns text from the source (a description, a title) into the
// body of one comment line: every run of space or control characters
// becomes one space, so no line break can end the comment and start an
// assignment.
func comment(text string) string {
	if isOneLine(text) {
		return text
	}
	return joinFields(text)
}

// joinFields is comment without its shortcut for text already on one
// line.
func joinFields(text string) string {
	return strings.Join(strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	}), " ")
}

// isOneLine reports whether comment leaves text as it is: printable
// ASCII with single spaces between words and none around them.
func isOneLine(text string) bool {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == ' ':
			if i == 0 || i == len(text)-1 || text[i+1] == ' ' {
				return false
			}
		case c < ' ' || c > '~':
			return false
		}
	}
	return true
}
