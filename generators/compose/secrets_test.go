package compose

import (
	"slices"
	"testing"
)

// TestInterpolationsAreTheHostsVariables: what compose reads from the
// host's environment, with the path of the value that reads it; not
// `$${X}` (the container's); a variable with a default is optional
// (compose needs no value for it).
func TestInterpolationsAreTheHostsVariables(t *testing.T) {
	block := map[string]any{
		"command": "serve --key ${KEY} --home $${HOME} --log ${LOG:-info} ${REQUIRED:?set it} $BARE ${EMPTY:-}",
		"healthcheck": map[string]any{
			"test": []any{"CMD", "probe", "${PROBE_TOKEN}"},
		},
		"labels": map[string]any{"a": "${ON:+yes}"},
	}
	var got []string
	interpolations(block, "compose", func(name, path string, optional bool) {
		if optional {
			name += " (optional)"
		}
		got = append(got, path+" "+name)
	})
	want := []string{
		"compose.command BARE",
		"compose.command EMPTY",
		"compose.command KEY",
		"compose.command LOG (optional)",
		"compose.command REQUIRED",
		"compose.healthcheck.test[2] PROBE_TOKEN",
		"compose.labels.a ON (optional)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestNearNames: one name misspelt, not two names that share a part.
func TestNearNames(t *testing.T) {
	for _, c := range []struct {
		a, b string
		near bool
	}{
		{"REDIS_PASS", "REDIS_PASSWORD", true},
		{"SESION_KEY", "SESSION_KEY", true},
		{"API_TOKN", "API_TOKEN", true},
		{"JWT_SECRET", "JWT_SECRETS", true},
		{"POSTGRES_PASSWORD", "REDIS_PASSWORD", false},
		{"AZURE_OPENAI_KEY", "AZURE_OPENAI_API_KEY", false},
		{"MANA_SERVICE_KEY", "MEMORO_SERVICE_KEY", false},
		{"GROQ_API_KEY", "GOOGLE_API_KEY", false},
		{"API_KEY", "GROQ_API_KEY", false},
		{"DB", "DB_PASSWORD", false},
		{"AZURE_SPEECH_KEY", "AZURE_SPEECH_KEY_1", true},
		{"APITOKN", "API_TOKEN", true},
		{"API_TOKEN", "APITOKN", true},
		{"APTOKN", "API_TOKEN", false},
	} {
		if got := nearName(c.a, c.b); got != c.near {
			t.Errorf("nearName(%s, %s) = %v, want %v", c.a, c.b, got, c.near)
		}
	}
}
