package schema

import (
	"fmt"
	"strings"
)

// A CUE constraint failure names the constraint as the definitions
// write it (`out of bound =~"^[a-z][a-z0-9-]*$"`): a regular expression
// is no message for a person. ruleWords says each constraint of the
// definitions in words, keyed by the constraint as written there;
// TestEveryConstraintHasWords walks the definitions so that a new
// constraint without words fails.
func ruleWords() map[string]string {
	const (
		name     = "a name is lower-case letters, digits and dashes, starting with a letter"
		envName  = "an environment variable name is letters, digits and underscores, not starting with a digit"
		scheme   = "a URL scheme is lower-case letters, digits, +, . and -, starting with a letter (http, postgresql)"
		interval = "an interval is a whole number and a unit, ms, s, m or h (15s, 1m)"
		port     = "a port is a whole number from 1 to 65535"
	)
	return map[string]string{
		`=~"^[a-z][a-z0-9-]*$"`:        name,
		`strings.MaxRunes(63)`:         "a name is at most 63 characters",
		`=~"^[A-Za-z_][A-Za-z0-9_]*$"`: envName,
		`=~"^[\\pL\\pN_.\\[\\]-]+$"`:   "an environment name is letters, digits, underscores, dots, dashes and brackets (compose also reads names such as discovery.type)",
		`=~"^([0-9.]+|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*|\\$\\{[A-Za-z_][A-Za-z0-9_]*([:]?[-?][^}]*)?\\})$"`: "a host IP is an IPv4 or IPv6 address, or a variable that compose substitutes (dollar sign, then the name in braces)",
		`=~"^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$"`:                           "a hostname is lower-case labels of letters, digits and dashes joined by dots, ending in a top-level domain of letters (app.example.com), optionally starting with *. for a wildcard",
		`=~"^[^/]"`:                        "an output path is relative to the project root, so it does not start with /",
		`!~"(^|/)\\.\\.(/|$)"`:             "an output path stays inside the project root, so it has no .. in it",
		`strings.MinRunes(1)`:              "it cannot be empty",
		`strings.MinRunes(3)`:              "a reason takes a few words, at least 3 characters",
		`>=1`:                              port,
		`<=65535`:                          port,
		`>=from`:                           "a range's last port (to) is not below its first (from)",
		`>0`:                               "a share is above 0 and at most 1 (0.8 is 80%)",
		`<=1`:                              "a share is above 0 and at most 1 (0.8 is 80%)",
		`=~"^[A-Za-z0-9.:-]+$"`:            "an address is an IP address or a host name: letters, digits, dots, colons and dashes",
		`=~"^[a-z0-9][a-z0-9_-]*$"`:        "a compose project name is lower-case letters, digits, dashes and underscores, starting with a letter or digit",
		`=~"^[A-Za-z0-9._-]+$"`:            "a tunnel id is its UUID or name: letters, digits, dots, dashes and underscores",
		`=~"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"`: "a container name is letters, digits, dots, dashes and underscores, starting with a letter or digit",
		`=~"^[a-z][a-z0-9+.-]*$"`:          scheme,
		`=~"^/"`:                           "a path starts with /",
		`=~"^[0-9]+(ms|s|m|h)$"`:           interval,
		`=~"^[a-zA-Z_][a-zA-Z0-9_:-]*$"`:   "a job name is letters, digits, underscores, colons and dashes, not starting with a digit",
		`=~"^[a-zA-Z_][a-zA-Z0-9_]*$"`:     "a label name is letters, digits and underscores, not starting with a digit",
		`=~"^[/?]"`:                        "a URL path starts with / (or ? for a query alone)",
		`=~"^[A-Za-z0-9._~-]+$"`:           "a URL user is letters, digits, dots, underscores, tildes and dashes",
		`=~"^[a-z][a-z0-9_-]*$"`:           "a severity is lower-case letters, digits, dashes and underscores, starting with a letter",
		`=~"^([0-9]+(ms|s|m|h|d|w|y))+$"`:  "a duration is whole numbers with units ms, s, m, h, d, w or y (30s, 1m, 1h30m)",
		`=~"^[a-zA-Z_:][a-zA-Z0-9_:]*$"`:   "a recorded metric name is letters, digits, underscores and colons, not starting with a digit",
		`=~"^[1-9][0-9]*(Ki|Mi|Gi|Ti)$"`:   "a volume size is a whole number and a binary unit, Ki, Mi, Gi or Ti (512Mi, 10Gi)",
	}
}

// inWords rewrites a CUE error about the value at path into the rule
// it breaks, in words. format and args are the error's (see
// cueerrors.Error.Msg). It returns "" for an error that says nothing
// the others at the same place do not say better (a default that lost
// to the user's value), and CUE's own text for an error it does not
// know.
func inWords(shape *Shape, path []string, format string, args []any) string {
	field := shapeAt(shape, path)
	where := strings.Join(path, ".")
	text := func(a any) string { return fmt.Sprint(a) }
	switch format {
	case "invalid value %v (out of bound %s)", "invalid value %s (does not satisfy %s)":
		bound := text(args[1])
		words, ok := ruleWords()[bound]
		if !ok && strings.HasPrefix(bound, ">=") && len(path) > 0 && path[len(path)-1] == "to" {
			words, ok = ruleWords()[">=from"]
		}
		if ok {
			return fmt.Sprintf("%s: %s; got %s", where, words, text(args[0]))
		}
	case "field not allowed":
		return unknownField(shape, path)
	case "conflicting values %s and %s (mismatched types %s and %s)":
		return fmt.Sprintf("%s: expected %s, got %s", where, kindWords(text(args[3])), text(args[0]))
	case "conflicting values %s and %s", "conflicting values %s and %s (alone)":
		if field != nil && field.Shape != nil && len(field.Shape.Enum) > 0 {
			got := text(args[1])
			if strings.Contains(strings.Join(quoteAll(field.Shape.Enum), " "), got) {
				got = text(args[0])
			}
			return fmt.Sprintf("%s: must be %s; got %s%s", where, strings.Join(quoteAll(field.Shape.Enum), " or "), got,
				suggest(strings.Trim(got, `"`), field.Shape.Enum))
		}
		if strings.HasSuffix(format, "(alone)") {
			return fmt.Sprintf("%s: %s conflicts with %s", where, text(args[1]), text(args[0]))
		}
		return "" // the user's value against a default: the constraint's error says why
	}
	return where + ": " + fmt.Sprintf(format, args...)
}

// unknownField names a field the definitions do not allow at path, the
// fields they allow, and the closest of them.
func unknownField(shape *Shape, path []string) string {
	name := path[len(path)-1]
	where := strings.Join(path[:len(path)-1], ".")
	parent := shapeAt(shape, path[:len(path)-1])
	var s *Shape
	if parent != nil {
		s = parent.Shape
	} else if len(path) == 1 {
		s = shape
	}
	for s != nil && (s.Kind == List || s.Kind == Map) {
		s = s.Elem
	}
	if parent != nil && parent.Shape != nil && parent.Shape.Kind == Map {
		if words, ok := keyWords()[parent.Name]; ok {
			return fmt.Sprintf("%s: %q is not allowed as a name here: %s", where, name, words)
		}
	}
	if s == nil || s.Kind != Struct {
		return fmt.Sprintf("%s: %s is not allowed here", where, name)
	}
	var known []string
	for _, f := range s.Fields {
		known = append(known, f.Name)
	}
	return fmt.Sprintf("%s: unknown field %q%s; allowed: %s", where, name, suggest(name, known), strings.Join(known, ", "))
}

// shapeAt is the field of the source's shape at an error's path, whose
// map keys and list indexes step into elements; nil when the path
// leaves the shape.
func shapeAt(shape *Shape, path []string) *FieldShape {
	s := shape
	var f *FieldShape
	for _, name := range path {
		if s == nil {
			return nil
		}
		if s.Kind == List || s.Kind == Map {
			s = s.Elem
			f = &FieldShape{Name: name, Shape: s}
			continue
		}
		if f = s.Field(name); f == nil {
			return nil
		}
		s = f.Shape
	}
	return f
}

// kindWords names a CUE kind for a person.
func kindWords(kind string) string {
	switch kind {
	case "string":
		return "a string (in double quotes)"
	case "int":
		return "a whole number"
	case "number", "float":
		return "a number"
	case "bool":
		return "true or false"
	case "struct":
		return "a block {...}"
	case "list":
		return "a list [...]"
	}
	return kind
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// fieldsInWords rewrites the unknown and missing fields CUE and the
// shape checks report in CUE's wording ("x.prot: field not allowed",
// "x: missing required field port") into words, with the fields
// allowed and a did-you-mean; a missing field that an unknown field of
// the same entity is a typo of goes without saying (`prot` for `port`
// is one error, not two).
func fieldsInWords(shape *Shape, ds Diagnostics) Diagnostics {
	typoOf := map[string]bool{} // "services.x\x00port"
	for i, d := range ds {
		where, ok := strings.CutSuffix(d.Message, ": field not allowed")
		if !ok {
			continue
		}
		path := splitPath(where)
		ds[i].Message = unknownField(shape, path)
		parent := shapeAt(shape, path[:len(path)-1])
		var s *Shape
		if parent != nil {
			s = parent.Shape
		}
		if s != nil && s.Kind == Struct {
			var known []string
			for _, f := range s.Fields {
				known = append(known, f.Name)
			}
			if m := suggest(path[len(path)-1], known); m != "" {
				typoOf[strings.Join(path[:len(path)-1], ".")+"\x00"+strings.Trim(strings.TrimSuffix(strings.TrimPrefix(m, " (did you mean "), "?)"), `"`)] = true
			}
		}
	}
	out := ds[:0]
	said := map[string]bool{}
	for _, d := range ds {
		if key := fmt.Sprint(d.Pos.File, d.Pos.Line, d.Message); strings.Contains(d.Message, ": unknown field ") {
			if said[key] {
				continue // CUE and the shape checks both report it, a few columns apart
			}
			said[key] = true
		}
		where, field, ok := strings.Cut(d.Message, ": missing required field ")
		if ok {
			if typoOf[where+"\x00"+field] {
				continue
			}
			d.Message = fmt.Sprintf("%s: %s is required", where, field)
			if f := shapeAt(shape, append(splitPath(where), field)); f != nil && f.Doc != "" {
				d.Message += " (" + strings.ReplaceAll(f.Doc, "\n", " ") + ")"
			}
		}
		out = append(out, d)
	}
	return out
}

// keyWords says the rule of the names of each map of the source whose
// names the definitions constrain, by the map's field name.
func keyWords() map[string]string {
	words := ruleWords()
	return map[string]string{
		"env":    words[`=~"^[\\pL\\pN_.\\[\\]-]+$"`],
		"ports":  words[`=~"^[a-z][a-z0-9-]*$"`],
		"probes": words[`=~"^[a-z][a-z0-9-]*$"`],
		"labels": words[`=~"^[a-zA-Z_][a-zA-Z0-9_]*$"`],
	}
}

// splitPath splits a path as CUE prints it (services.a.env."A=B") into
// its labels, unquoting the quoted ones.
func splitPath(path string) []string {
	var out []string
	for path != "" {
		if path[0] == '"' {
			end := strings.Index(path[1:], `"`)
			if end < 0 {
				return append(out, path)
			}
			out = append(out, path[1:end+1])
			path = strings.TrimPrefix(path[end+2:], ".")
			continue
		}
		label, rest, _ := strings.Cut(path, ".")
		out = append(out, label)
		path = rest
	}
	return out
}
