// Package gentest holds what the generators' tests share: loading a
// platform that a test keeps under testdata, and the promtool that
// proves Prometheus files valid. It is imported by tests only.
package gentest

import (
	"os"
	"os/exec"
	"testing"

	"portschema/schema"
)

// Load loads the platform whose project root is root, failing t if it
// does not load. Each call loads afresh, so a test may change the model.
func Load(t testing.TB, root string) *schema.Platform {
	t.Helper()
	p, err := schema.Load(root)
	if err != nil {
		t.Fatalf("loading %s: %v", root, err)
	}
	return p
}

// RequirePromtoolEnv is set to 1 where promtool must be present (CI).
const RequirePromtoolEnv = "PORTSCHEMA_REQUIRE_PROMTOOL"

// Promtool returns promtool's path. Without it the test is skipped,
// unless RequirePromtoolEnv is 1, where its absence is a failure: a CI
// that silently skipped the only proof of validity would prove nothing.
func Promtool(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv(RequirePromtoolEnv) == "1" {
			t.Fatalf("promtool not found and %s=1 (install Debian's prometheus package)", RequirePromtoolEnv)
		}
		t.Skipf("promtool not found (install Debian's prometheus package); set %s=1 to fail instead", RequirePromtoolEnv)
	}
	return path
}

// EachString calls f with every string of at most maxLen pieces of
// alphabet, the empty one first: the whole space of short inputs, for a
// shortcut that must give what the full transformation gives.
func EachString(alphabet []string, maxLen int, f func(s string)) {
	var walk func(s string, depth int)
	walk = func(s string, depth int) {
		f(s)
		if depth == 0 {
			return
		}
		for _, c := range alphabet {
			walk(s+c, depth-1)
		}
	}
	walk("", maxLen)
}
