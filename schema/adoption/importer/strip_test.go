package importer

import (
	"strings"
	"testing"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// TestStripperLeavesNoSecret: every kind of pass-through value loses
// its secret and keeps the rest; compose values get references.
func TestStripperLeavesNoSecret(t *testing.T) {
	in := map[string]any{
		"command":     []any{"serve", "--requirepass", "hunter2", "--port", "80"},
		"labels":      []handwritten.Field{{Key: "admin-password", Value: "hunter2"}, {Key: "team", Value: "core"}},
		"healthcheck": map[string]any{"test": []any{"CMD-SHELL", "redis-cli --pass hunter2 ping"}},
		"entrypoint":  []any{"https://admin:hunter2@registry.example.com"},
	}
	st := &stripper{prefix: "api", interpolated: true}
	out := st.value(in, "compose").(map[string]any)
	got := render(out)
	if strings.Contains(got, "hunter2") {
		t.Fatalf("a secret is left:\n%s", got)
	}
	for _, want := range []string{"${API_REQUIREPASS}", "--port 80", "${API_ADMIN_PASSWORD}", "team=core", "redis-cli --pass ${API_PASS} ping", "https://admin:${API_ENTRYPOINT_SECRET}@registry.example.com"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
	if len(st.removed) != 4 {
		t.Errorf("removed %d secrets, want 4: %+v", len(st.removed), st.removed)
	}

	st = &stripper{}
	job := st.value(map[string]any{"basic_auth": map[string]any{"username": "u", "password": "hunter2"}}, "jobs[0]").(map[string]any)
	if got := render(job); strings.Contains(got, "hunter2") || !strings.Contains(got, "username=u") {
		t.Errorf("a file that reads no environment keeps the rest and drops the secret:\n%s", got)
	}
}

// render writes a value's leaves as path=value lines, joined with spaces.
func render(v any) string {
	var b strings.Builder
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(e, k)
			}
		case []handwritten.Field:
			for _, f := range x {
				walk(f.Value, f.Key)
			}
		case []any:
			for _, e := range x {
				walk(e, path)
			}
		default:
			b.WriteString(path + "=")
			b.WriteString(strings.TrimSpace(strings.ReplaceAll(renderScalar(x), "\n", " ")))
			b.WriteString("\n")
		}
	}
	walk(v, "")
	return strings.ReplaceAll(b.String(), "test=", "") + " " + flat(v)
}

func renderScalar(v any) string {
	s, _ := v.(string)
	return s
}

// flat joins a list's strings as a command line reads.
func flat(v any) string {
	var parts []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case string:
			parts = append(parts, x)
		}
	}
	walk(v)
	return strings.Join(parts, " ")
}

// FuzzStripSecrets: whatever a value holds, once stripped it holds no
// secret the source's rule would find, and stripping never panics.
func FuzzStripSecrets(f *testing.F) {
	f.Add("password", "hunter2")
	f.Add("cmd", "redis-server --requirepass hunter2")
	f.Add("url", "postgres://u:p4ss@db/x")
	f.Add("note", "Bearer abcdefgh12345678")
	f.Add("content", "A=1\nDB_PASSWORD=x\nTOKEN=y z")
	f.Add("x", "sk-proj-${X}abcdefghijklmnop0123")
	f.Fuzz(func(t *testing.T, key, value string) {
		for _, interpolated := range []bool{true, false} {
			st := &stripper{prefix: "svc", interpolated: interpolated}
			out := st.value(map[string]any{key: value, "list": []any{"--" + key, value}}, "compose").(map[string]any)
			for k, v := range out {
				if s, ok := v.(string); ok {
					if sec, found := schema.SecretIn(k, s); found {
						t.Fatalf("%q: %q still holds a secret (%s)", k, s, sec.Why)
					}
				}
			}
		}
	})
}
