package schema

import "strings"

// FillPlaceholders returns rule with every placeholder of pairs ("{name}",
// value, "{tier}", value, ...) replaced by its value, left to right, the
// replaced text not read again: what strings.NewReplacer(pairs...)
// .Replace(rule) returns for placeholders that start with '{', without
// building a replacer. Naming rules (container names, namespaces) are
// filled once per service, and a replacer costs more to build than to
// use on a rule of a few words.
func FillPlaceholders(rule string, pairs ...string) string {
	if !strings.Contains(rule, "{") {
		return rule
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(rule, '{')
		if i < 0 {
			b.WriteString(rule)
			return b.String()
		}
		b.WriteString(rule[:i])
		rule = rule[i:]
		matched := false
		for k := 0; k+1 < len(pairs); k += 2 {
			if pairs[k] != "" && strings.HasPrefix(rule, pairs[k]) {
				b.WriteString(pairs[k+1])
				rule = rule[len(pairs[k]):]
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte('{')
			rule = rule[1:]
		}
	}
}
