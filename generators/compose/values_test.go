package compose

import (
	"strings"
	"testing"
)

// Compose's schema takes any string for restart; compose itself refuses
// all but its four policies when it creates the container.
func TestRestartPolicies(t *testing.T) {
	for _, tc := range []struct {
		value, problem string
	}{
		{"no", ""},
		{"always", ""},
		{"unless-stopped", ""},
		{"on-failure", ""},
		{"on-failure:3", ""},
		{"on-failure:0", ""},
		{"sometimes", "compose restarts a container on no, always"},
		{"alway", `(did you mean "always"?)`},
		{"always:3", "only on-failure takes a number of retries"},
		{"on-failure:x", `got "x"`},
		{"on-failure:-1", `got "-1"`},
		{"", "compose restarts a container on"},
	} {
		got := restartProblem(tc.value)
		if (tc.problem == "") != (got == "") || !strings.Contains(got, tc.problem) {
			t.Errorf("restartProblem(%q) = %q, want %q", tc.value, got, tc.problem)
		}
	}
}
