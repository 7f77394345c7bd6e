package importer

import (
	"testing"
)

func TestSanitizeName(t *testing.T) {
	cases := map[string]string{
		"mana-auth":     "mana-auth",
		"My_Service.v2": "my-service-v2",
		"1start":        "x-1start",
		"Grüße":         "grusse",
		"__":            "fallback",
		"a--b":          "a-b",
		"-x-":           "x",
	}
	for in, want := range cases {
		if got := SanitizeName(in, "fallback"); got != want || !IsName(got) {
			t.Errorf("SanitizeName(%q) = %q, want %q", in, got, want)
		}
	}
	long := SanitizeName("a"+repeat("b", 100), "x")
	if !IsName(long) {
		t.Errorf("long name %q is not valid", long)
	}
	ns := nameSet{}
	if a, b := ns.claim("web"), ns.claim("web"); a != "web" || b != "web-2" {
		t.Errorf("claims: %s, %s", a, b)
	}
}

func repeat(s string, n int) string {
	out := ""
	for i := 0; i < n; i++ {
		out += s
	}
	return out
}

func TestStripSecretDefaults(t *testing.T) {
	cases := map[string]string{
		"${DB_PASSWORD:-hunter2}":                         "${DB_PASSWORD}",
		"postgres://u:${DB_PASSWORD:-x}@db/app":           "postgres://u:${DB_PASSWORD}@db/app",
		"${AUTH_SECRET:-${JWT_SECRET:-changeme}}":         "${AUTH_SECRET}",
		"${OLLAMA_MODEL:-gemma3:12b}":                     "${OLLAMA_MODEL:-gemma3:12b}",
		"$${DB_PASSWORD:-shell-level}":                    "$${DB_PASSWORD:-shell-level}",
		"redis-server --requirepass ${REDIS_PASSWORD-r1}": "redis-server --requirepass ${REDIS_PASSWORD}",
		"${UNCLOSED_TOKEN:-x":                             "${UNCLOSED_TOKEN:-x",
	}
	for in, want := range cases {
		if got, _ := StripSecretDefaults(in); got != want {
			t.Errorf("StripSecretDefaults(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseServiceURL(t *testing.T) {
	u, ok := parseServiceURL("postgresql://postgres:${POSTGRES_PASSWORD}@postgres:5432/db?sslmode=disable")
	if !ok || u.Scheme != "postgresql" || u.User != "postgres" || u.Password != "POSTGRES_PASSWORD" ||
		u.Host != "postgres" || u.Port != 5432 || u.Path != "/db?sslmode=disable" {
		t.Errorf("postgres URL: %+v %v", u, ok)
	}
	u, ok = parseServiceURL("http://mana-auth:3001/api/v1/auth/jwks")
	if !ok || u.Host != "mana-auth" || u.Port != 3001 || u.Path != "/api/v1/auth/jwks" || u.HasUser {
		t.Errorf("http URL: %+v %v", u, ok)
	}
	for _, bad := range []string{
		"postgres://u:literal@db:5432/x", // a literal password is a secret, not a need
		"redis://:${PW}@redis:6379",      // no user: a need cannot say so
		"https://a.example,https://b.example",
		"not a url",
		"http://host:99999",
	} {
		if u, ok := parseServiceURL(bad); ok {
			t.Errorf("parseServiceURL(%q) = %+v, want no need", bad, u)
		}
	}
}
