package explain

import (
	"strings"
	"testing"

	"portschema/generators"
	"portschema/generators/output"
	"portschema/generators/output/golden"
	"portschema/schema"
	"portschema/schema/review/derived"
)

// demo loads testdata/demo and generates its files in memory.
func demo(t *testing.T) (*schema.Platform, []output.File) {
	t.Helper()
	p, err := schema.Load("testdata/demo")
	if err != nil {
		t.Fatal(err)
	}
	files, err := generators.Run(p)
	if err != nil {
		t.Fatal(err)
	}
	return p, files
}

func identity(path string) string { return path }

// TestExplainGolden pins the whole explanation of each demo service.
func TestExplainGolden(t *testing.T) {
	p, files := demo(t)
	for _, name := range []string{"auth", "stt"} {
		e, err := Service(p, files, name)
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, "testdata/"+name+".golden", e.Text(identity))
	}
}

// TestExplainAuth checks the facts of one service one by one, each
// against what the generators wrote.
func TestExplainAuth(t *testing.T) {
	p, files := demo(t)
	e, err := Service(p, files, "auth")
	if err != nil {
		t.Fatal(err)
	}
	urls := map[string]string{}
	for _, u := range e.Ports[0].URLs {
		urls[u.Vantage] = u.URL + u.Unreachable
	}
	want := map[string]string{
		"compose network of mini": "http://auth:3001",
		"host of mini":            "http://localhost:3001",
		"LAN":                     "http://10.0.0.1:3001",
		"laptop":                  "http://localhost:3001",
		"internet":                "https://auth.example.com",
	}
	for v, u := range want {
		if urls[v] != u {
			t.Errorf("URL from %s = %q, want %q", v, urls[v], u)
		}
	}
	// The admin port is not published: nothing outside the network reaches it.
	if admin := e.Ports[1]; admin.Name != "admin" || admin.URLs[0].URL != "http://auth:3002" || admin.URLs[2].URL != "" {
		t.Errorf("admin port: %+v", admin)
	}
	if len(e.Needs) != 1 || e.Needs[0].URL != "postgresql://app:${DB_PASSWORD}@db:5432/app" || !e.Needs[0].StartsAfter {
		t.Errorf("needs: %+v", e.Needs)
	}
	if len(e.NeededBy) != 1 || e.NeededBy[0].Service != "web" || e.NeededBy[0].Env != "AUTH_URL" {
		t.Errorf("needed by: %+v", e.NeededBy)
	}
	if len(e.Routes) != 1 || e.Routes[0].Service != "http://localhost:3001" || !strings.HasPrefix(e.Routes[0].File, "out/cloudflared-") {
		t.Errorf("routes: %+v", e.Routes)
	}
	if len(e.Jobs) != 1 || e.Jobs[0].Name != "auth" || len(e.Probes) != 1 || e.Probes[0].Targets[0].Address != "https://auth.example.com/health" {
		t.Errorf("jobs %+v, probes %+v", e.Jobs, e.Probes)
	}
	var secrets []string
	for _, s := range e.Secrets {
		secrets = append(secrets, s.Env+"<"+s.From+" "+s.In)
	}
	if got := strings.Join(secrets, ", "); got != "SESSION_KEY<SESSION_KEY , MAIL_TOKEN<SMTP_TOKEN , DB_PASSWORD<DB_PASSWORD DATABASE_URL" {
		t.Errorf("secrets: %s", got)
	}
	// Each line named is in the file and mentions the service.
	byPath := map[string][]byte{}
	for _, f := range files {
		byPath[f.Path] = f.Data
	}
	marks := derived.Marks(p, p.Service("auth"))
	appears := map[string]bool{}
	for _, a := range e.Appears {
		appears[a.File] = true
		lines := strings.Split(string(byPath[a.File]), "\n")
		for _, n := range a.Lines {
			if !derived.Mentions(lines[n-1], marks) {
				t.Errorf("%s:%d does not mention auth: %q", a.File, n, lines[n-1])
			}
		}
	}
	for _, f := range []string{"out/docker-compose.mini.yml", "out/prometheus.yml", "out/cloudflared-mini.yml",
		"out/env/auth.env", "out/env/web.env", "out/PORT_SCHEMA.md", "out/env.mini.example"} {
		if !appears[f] {
			t.Errorf("auth does not appear in %s", f)
		}
	}
	for _, f := range []string{"out/env/stt.env", "out/env/db.env"} {
		if appears[f] {
			t.Errorf("auth appears in %s, which is not about it", f)
		}
	}
}

func TestExplainUnknownService(t *testing.T) {
	p, files := demo(t)
	if _, err := Service(p, files, "atuh"); err == nil || err.Error() != `unknown service "atuh" (did you mean "auth"?)` {
		t.Errorf("got %v", err)
	}
}
