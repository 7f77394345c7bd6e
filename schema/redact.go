package schema

import (
	"regexp"
	"strconv"
	"sync"
)

// quoted matches a double-quoted string as CUE's messages quote values.
var quoted = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`"(?:[^"\\]|\\.)*"`) })

// redactSecrets hides the values a message of CUE's quotes where they
// are secrets: every quoted value of a field whose name is secret-like
// (two conflicting POSTGRES_PASSWORD values), and any quoted value that
// is a secret by its form. A message names the field, never the value.
func redactSecrets(path []string, msg string) string {
	named := false
	for _, p := range path {
		if SecretName(p) {
			named = true
		}
	}
	return quoted().ReplaceAllStringFunc(msg, func(q string) string {
		v, err := strconv.Unquote(q)
		if err != nil {
			v = q
		}
		if (named && secretByName(path[len(path)-1], v)) || SecretForm(v) {
			return "(a value hidden as a secret)"
		}
		return q
	})
}
