package schema

import "testing"

// TestSecretRule: each value named is a secret, by its name or by its
// form; each nearest ordinary value is not.
func TestSecretRule(t *testing.T) {
	secret := []struct{ name, value string }{
		{"POSTGRES_PASSWORD", "hunter2"},
		{"PGPASSWORD", "hunter2"},
		{"SMTP_PWD", "hunter2"},
		{"smtpPassword", "hunter2"},
		{"db-passwd", "hunter2"},
		{"MAIL_PASS", "hunter2"},
		{"GITHUB_TOKEN", "abc"},
		{"apiKey", "abc"},
		{"STRIPE_SECRET_KEY", "abc"},
		{"GOOGLE_APPLICATION_CREDENTIALS", "{\"type\": \"service_account\"}"},
		{"SENTRY_DSN", "https://abc@sentry.example.com/1"},
		{"password", "hunter2"},
		{"OPENAI", "sk-live-4f9a8b7c6d5e4f3a2b1c"},
		{"OPENAI", "sk-proj-Abc123Def456Ghi789Jkl012"},
		{"AUTH", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"},
		{"HEADER", "Authorization: Bearer 4f9a8b7c6d5e4f3a"},
		{"HEADER", "Authorization: Basic dXNlcjpodW50ZXIy"},
		{"DATABASE_URL", "postgres://app:hunter2@db:5432/app"},
		{"X", "redis://:hunter2@redis:6379"},
		{"AWS", "AKIAIOSFODNN7EXAMPLE"},
		{"GH", "ghp_16C7e42F292c6912E7710c838347Ae178B4a"},
		{"SLACK", "xoxb-1234567890-abcdefghij"},
		{"HF", "hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"},
		{"RANDOM", "q8ZrT4vN2mXa7KpL9sWc3HdF6yJb1GtE"},
		{"KEY", "-----BEGIN OPENSSH PRIVATE KEY-----"},
		{"cmd", "redis-server --requirepass q8ZrT4vN2mXa7KpL9sWc3HdF6yJb1GtE"},
	}
	for _, c := range secret {
		if !LooksSecret(c.name, c.value) {
			t.Errorf("%s=%s is not taken for a secret", c.name, c.value)
		}
	}
	ordinary := []struct{ name, value string }{
		{"POSTGRES_PASSWORD", "${POSTGRES_PASSWORD}"},
		{"POSTGRES_PASSWORD", ""},
		{"POSTGRES_PASSWORD_FILE", "/run/secrets/db_password"},
		{"PASSWORD_MIN_LENGTH", "12"},
		{"TOKEN_TTL", "3600"},
		{"OAUTH_TOKEN_URL", "https://auth.example.com/token"},
		{"PWD", "/app"},
		{"BYPASS_CACHE", "true"},
		{"PASSPORT_STRATEGY", "local"},
		{"DATABASE_URL", "postgres://app:${DB_PASSWORD}@db:5432/app"},
		{"URL", "https://user@example.com/path"},
		{"IMAGE", "nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"},
		{"COMMIT", "4b825dc642cb6eb9a060e54bf8d69288fbee4904"},
		{"ID", "123e4567-e89b-12d3-a456-426614174000"},
		{"STORE", "/nix/store/4ax4hvfzzjb8mcbcdqspn5ka9nl2khxh-nginx-1.25.3"},
		{"GREETING", "SGVsbG8sIHRoaXMgaXMgYSBwbGFpbiBncmVldGluZyBmb3IgZXZlcnlvbmU="},
		{"DESCRIPTION", "Bearer tokens are checked by the gateway"},
		{"DESCRIPTION", "Basic authentication for the admin area"},
		{"CLASS", "org.example.platform.SearchIndexerConfiguration"},
		{"COMPONENT", "MyVeryLongComponentNameForTheSearchIndexer"},
		{"TASK", "desk-booking-service-with-a-long-name-v2"},
		{"PORT", "8080"},
	}
	for _, c := range ordinary {
		if LooksSecret(c.name, c.value) {
			t.Errorf("%s=%s is taken for a secret", c.name, c.value)
		}
	}
}

func TestSecretRuleNames(t *testing.T) {
	for _, n := range []string{"TOKENIZER_MODEL", "PASSPORT_STRATEGY", "KEYBOARD_LAYOUT", "MONKEY_MODE", "COMPASS_URL"} {
		if LooksSecret(n, "something") {
			t.Errorf("%s is taken for a secret name", n)
		}
	}
}

func TestSecretFlags(t *testing.T) {
	if sec, _ := secretIn("", "redis-server --requirepass hunter2"); sec.Why != "by the flag --requirepass before it" || sec.Text != "hunter2" {
		t.Errorf("a password after --requirepass: %+v", sec)
	}
	if sec, ok := secretIn("", "redis-server --requirepass ${REDIS_PASSWORD} --port 6379"); ok {
		t.Errorf("a reference after --requirepass: %+v", sec)
	}
	if sec, ok := secretIn("", "app --bypass-cache --workers 4"); ok {
		t.Errorf("ordinary flags: %+v", sec)
	}
}
