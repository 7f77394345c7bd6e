package schema

import (
	"fmt"
	"strings"
)

// goneHint ends the message of a need on an unknown service. A close
// name is likely a typo (the did-you-mean, when there is one); with none
// the service is likely gone, and the variables of the needing service
// that share the need's variable's first word (MATRIX_ACCESS_TOKEN
// beside MATRIX_HOMESERVER_URL) are named, since they often went with
// it: a token, a room, a flag no other service sets.
func goneHint(s *Service, i int, didYouMean string) string {
	if didYouMean != "" {
		return didYouMean
	}
	n := s.Needs[i]
	if n.NoURL {
		return ""
	}
	word, _, ok := strings.Cut(n.EnvName(), "_")
	if !ok {
		return ""
	}
	prefix := word + "_"
	var related []string
	for j, sec := range s.Secrets {
		if strings.HasPrefix(sec.Env, prefix) {
			related = append(related, fmt.Sprintf("%s (secrets[%d])", sec.Env, j))
		}
	}
	for _, name := range sortedKeys(s.Env) {
		if strings.HasPrefix(name, prefix) {
			related = append(related, fmt.Sprintf("%s (env)", name))
		}
	}
	for j, other := range s.Needs {
		if j != i && !other.NoURL && strings.HasPrefix(other.EnvName(), prefix) {
			related = append(related, fmt.Sprintf("%s (needs[%d])", other.EnvName(), j))
		}
	}
	if len(related) == 0 {
		return ""
	}
	what := "this variable"
	if len(related) > 1 {
		what = "these variables"
	}
	return fmt.Sprintf("; if it is gone, %s may go with it: %s", what, strings.Join(related, ", "))
}
