package compose

import (
	"maps"
	"testing"
)

// Each variable read without a default gets a stand-in of the kind its
// place asks for; one with a default is left to compose's default.
func TestValidationEnv(t *testing.T) {
	doc := map[string]any{
		"services": map[string]any{
			"db": map[string]any{
				"image":   "postgres:${PG_TAG}",
				"volumes": []any{"${DATA_DIR}:/var/lib/postgresql/data", "${LOGS:-./logs}:/logs"},
				"build":   map[string]any{"context": "${CTX}"},
				"environment": map[string]any{
					"PASSWORD": "${DB_PASSWORD:?set it}",
					"ESCAPED":  "$${NOT_READ}",
				},
			},
			"app": map[string]any{
				"volumes": []any{map[string]any{"type": "bind", "source": "${APP_DIR}", "target": "/app"}},
			},
		},
		"secrets": map[string]any{"token": map[string]any{"file": "${SECRETS}/token"}},
	}
	want := map[string]string{"PG_TAG": "1", "DATA_DIR": "/data_dir", "CTX": "/ctx", "DB_PASSWORD": "1",
		"APP_DIR": "/app_dir", "SECRETS": "/secrets"}
	if got := validationEnv(doc); !maps.Equal(got, want) {
		t.Errorf("validationEnv = %v, want %v", got, want)
	}
}
