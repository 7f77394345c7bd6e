package handwritten

import "testing"

func TestParseAddress(t *testing.T) {
	for in, want := range map[string]Address{
		"http://mana-credits:3061":             {Scheme: "http", Host: "mana-credits", Port: 3061, PortWritten: true},
		"https://Auth.Mana.how/health":         {Scheme: "https", Host: "auth.mana.how", Port: 443, Path: "/health"},
		"redis://:pw@redis:6379/1":             {Scheme: "redis", HasPassword: true, Host: "redis", Port: 6379, PortWritten: true, Path: "/1"},
		"postgresql://u:p@postgres/db?ssl=off": {Scheme: "postgresql", User: "u", HasPassword: true, Host: "postgres", Port: 5432, Path: "/db?ssl=off"},
		"api:3001":                             {Host: "api", Port: 3001, PortWritten: true},
		"192.168.178.11:3025":                  {Host: "192.168.178.11", Port: 3025, PortWritten: true},
		"ssh://localhost":                      {Scheme: "ssh", Host: "localhost", Port: 22},
	} {
		got, ok := ParseAddress(in)
		if !ok || got != want {
			t.Errorf("ParseAddress(%q) = %+v, %v; want %+v", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "${URL}", "http://", "http://h:99999", "/just/a/path", "a b:1", "h:x"} {
		if a, ok := ParseAddress(bad); ok {
			t.Errorf("ParseAddress(%q) = %+v, want failure", bad, a)
		}
	}
}

func TestExpandDefaults(t *testing.T) {
	for in, want := range map[string]struct {
		out      string
		complete bool
	}{
		"plain":                 {"plain", true},
		"${A:-x}":               {"x", true},
		"${A-x}:1":              {"x:1", true},
		"${A:-${B:-nested}}":    {"nested", true},
		"http://h:${P:-3000}/p": {"http://h:3000/p", true},
		"${A}":                  {"", false},
		"$A/b":                  {"/b", false},
		"$$HOME":                {"$HOME", true},
		"${A:?required}":        {"", false},
		"${unterminated":        {"${unterminated", false},
		"price: 5$":             {"price: 5$", true},
	} {
		out, complete := ExpandDefaults(in)
		if out != want.out || complete != want.complete {
			t.Errorf("ExpandDefaults(%q) = %q, %v; want %q, %v", in, out, complete, want.out, want.complete)
		}
	}
}
