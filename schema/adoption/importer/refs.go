package importer

import (
	"strings"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// varRef is one compose interpolation in a value: `${NAME}`,
// `${NAME:-default}` (and the other operators) or `$NAME`.
type varRef struct {
	Start, End int // byte offsets of the whole reference in the value
	Name       string
	// Op is the operator (":-", "-", ":?", "?", ":+", "+") or "".
	Op string
	// Default is the raw text after the operator; it may hold refs.
	Default string
}

// HasDefault reports whether the reference carries a fallback value.
func (r varRef) HasDefault() bool { return r.Op == ":-" || r.Op == "-" }

// findRefs returns the interpolations in s, skipping `$$` (a literal
// dollar to compose). Malformed references (no closing brace) are not
// references: compose would reject them, import keeps them as text.
func findRefs(s string) []varRef {
	var refs []varRef
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			continue
		}
		next := s[i+1]
		switch {
		case next == '$':
			i++
		case next == '{':
			if r, ok := parseBraced(s, i); ok {
				refs = append(refs, r)
				i = r.End - 1
			}
		case isNameStart(next):
			j := i + 1
			for j < len(s) && isNameChar(s[j]) {
				j++
			}
			refs = append(refs, varRef{Start: i, End: j, Name: s[i+1 : j]})
			i = j - 1
		}
	}
	return refs
}

// parseBraced reads `${NAME[op default]}` starting at s[start] == '$'.
func parseBraced(s string, start int) (varRef, bool) {
	j := start + 2
	for j < len(s) && isNameChar(s[j]) {
		j++
	}
	name := s[start+2 : j]
	if name == "" || !isNameStart(name[0]) {
		return varRef{}, false
	}
	r := varRef{Start: start, Name: name}
	for _, op := range []string{":-", ":?", ":+", "-", "?", "+"} {
		if strings.HasPrefix(s[j:], op) {
			r.Op = op
			j += len(op)
			break
		}
	}
	depth, k := 1, j
	for ; k < len(s); k++ {
		switch {
		case s[k] == '$' && k+1 < len(s) && s[k+1] == '{':
			depth++
			k++
		case s[k] == '}':
			depth--
		}
		if depth == 0 {
			break
		}
	}
	if depth != 0 || (r.Op == "" && k != j) {
		return varRef{}, false
	}
	r.Default = s[j:k]
	r.End = k + 1
	return r, true
}

func isNameStart(c byte) bool { return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }
func isNameChar(c byte) bool  { return isNameStart(c) || c >= '0' && c <= '9' }

// wholeRef returns the reference when it is the entire value.
func wholeRef(s string) (varRef, bool) {
	refs := findRefs(s)
	if len(refs) == 1 && refs[0].Start == 0 && refs[0].End == len(s) {
		return refs[0], true
	}
	return varRef{}, false
}

// secretName reports whether a variable name holds a credential.
func secretName(name string) bool { return schema.LooksSecret(name, "x") }

// StripSecretDefaults removes the default values of references to
// secret-looking variables, `${DB_PASSWORD:-hunter2}` becoming
// `${DB_PASSWORD}`: a default of a secret is a credential written in
// the file, and import never copies one. It returns the new text and
// whether anything was removed.
func StripSecretDefaults(s string) (string, bool) {
	refs := findRefs(s)
	if len(refs) == 0 {
		return s, false
	}
	var b strings.Builder
	changed, last := false, 0
	for _, r := range refs {
		if !r.HasDefault() || !secretName(r.Name) {
			continue
		}
		b.WriteString(s[last:r.Start])
		b.WriteString("${" + r.Name + "}")
		last = r.End
		changed = true
	}
	if !changed {
		return s, false
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// stripAllSecretDefaults applies StripSecretDefaults to every string in
// a decoded value, reporting whether any was changed.
func stripAllSecretDefaults(v any) (any, bool) {
	switch x := v.(type) {
	case string:
		return StripSecretDefaults(x)
	case []any:
		changed := false
		out := make([]any, len(x))
		for i, e := range x {
			var c bool
			out[i], c = stripAllSecretDefaults(e)
			changed = changed || c
		}
		return out, changed
	case []handwritten.Field:
		changed := false
		out := make([]handwritten.Field, len(x))
		for i, f := range x {
			var c bool
			out[i].Key = f.Key
			out[i].Value, c = stripAllSecretDefaults(f.Value)
			changed = changed || c
		}
		return out, changed
	case map[string]any:
		changed := false
		out := make(map[string]any, len(x))
		for k, e := range x {
			var c bool
			out[k], c = stripAllSecretDefaults(e)
			changed = changed || c
		}
		return out, changed
	}
	return v, false
}
