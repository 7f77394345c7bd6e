package handwritten

import "strings"

// ExpandDefaults resolves compose-style variables as compose would with
// no variable set: `${VAR:-default}` and `${VAR-default}` become the
// default (recursively, so `${A:-${B:-x}}` gives x), `$$` becomes `$`.
// complete is false when a variable without a default (`${VAR}`, `$VAR`,
// `${VAR:?err}`) was met: the value then depends on the environment and
// the expanded text holds "" in its place.
func ExpandDefaults(s string) (expanded string, complete bool) {
	var b strings.Builder
	complete = true
	for i := 0; i < len(s); {
		c := s[i]
		if c != '$' || i+1 == len(s) {
			b.WriteByte(c)
			i++
			continue
		}
		switch next := s[i+1]; {
		case next == '$':
			b.WriteByte('$')
			i += 2
		case next == '{':
			end := matchingBrace(s, i+1)
			if end < 0 {
				b.WriteString(s[i:])
				return b.String(), false
			}
			value, ok := expandBraced(s[i+2 : end])
			b.WriteString(value)
			complete = complete && ok
			i = end + 1
		case isNameByte(next, true):
			j := i + 1
			for j < len(s) && isNameByte(s[j], false) {
				j++
			}
			complete = false
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), complete
}

// expandBraced resolves the inside of ${...}.
func expandBraced(inner string) (string, bool) {
	for j := 0; j < len(inner); j++ {
		if !isNameByte(inner[j], j == 0) {
			rest := inner[j:]
			switch {
			case strings.HasPrefix(rest, ":-"):
				return ExpandDefaults(rest[2:])
			case strings.HasPrefix(rest, "-"):
				return ExpandDefaults(rest[1:])
			}
			return "", false
		}
	}
	return "", false
}

// matchingBrace finds the } closing the { at open, counting nesting.
func matchingBrace(s string, open int) int {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

func isNameByte(c byte, first bool) bool {
	switch {
	case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		return true
	case c >= '0' && c <= '9':
		return !first
	}
	return false
}
