package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// fixtureDir is where the real platform's hand-written files live
// (testdata/fixtures at the repository root).
func fixtureDir(t *testing.T, which string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "testdata", "fixtures", "mana", which))
	if err == nil {
		_, err = os.Stat(dir)
	}
	if err != nil {
		t.Fatalf("the mana fixtures are missing: %v", err)
	}
	return dir
}

// manaInputs names the fixture files of one commit.
func manaInputs(dir string) handwritten.Inputs {
	return handwritten.Inputs{
		Compose:     []string{filepath.Join(dir, "docker-compose.macmini.yml")},
		Cloudflared: []string{filepath.Join(dir, "cloudflared-config.yml")},
		Prometheus:  filepath.Join(dir, "prometheus.yml"),
		Doc:         filepath.Join(dir, "PORT_SCHEMA.md"),
	}
}

// importInto imports into <tmp>/schema and returns the project root.
func importInto(t *testing.T, in handwritten.Inputs) (string, Report) {
	t.Helper()
	root := t.TempDir()
	rep, err := Import(in, filepath.Join(root, "schema"), false)
	if err != nil {
		t.Fatal(err)
	}
	return root, rep
}

// TestImportManaResolvesDisagreements checks the documented
// disagreements of the real files: each is resolved toward what the
// service listens on, commented at the line, and reported.
func TestImportManaResolvesDisagreements(t *testing.T) {
	root, rep := importInto(t, manaInputs(fixtureDir(t, "after")))
	p, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	llm := p.Service("mana-llm")
	if llm == nil || llm.ContainerPort != 3025 || llm.Metrics == nil || llm.Metrics.Port != "" {
		t.Fatalf("mana-llm should be scraped on the port it listens on (3025), got %+v", llm)
	}
	auth := p.Service("mana-auth")
	if url, err := p.NeedURL(p.HomeVantage(auth), needNamed(auth, "MANA_CREDITS_URL")); err != nil || url != "http://mana-credits:3002" {
		t.Errorf("MANA_CREDITS_URL = %q (%v), want the port credits listens on", url, err)
	}
	if db, err := p.NeedURL(p.HomeVantage(auth), needNamed(auth, "DATABASE_URL")); err != nil ||
		db != "postgresql://postgres:${POSTGRES_PASSWORD}@postgres:5432/mana_platform" {
		t.Errorf("DATABASE_URL = %q (%v)", db, err)
	}
	memoro, builder := p.Service("memoro-server"), p.Service("mana-landing-builder")
	if memoro.Port == builder.Port || builder.Port != 3015 || memoro.ContainerPort != 3015 {
		t.Errorf("host port 3015: landing-builder %d, memoro-server %d:%d; the first keeps it, the second moves", builder.Port, memoro.Port, memoro.ContainerPort)
	}
	for _, s := range p.Services {
		for _, sec := range s.Secrets {
			if sec.Env == "POSTGRES_PASSWORD" && s.Name != "postgres" {
				t.Errorf("%s: unexpected secret %+v", s.Name, sec)
			}
		}
	}
	text := readAll(t, filepath.Join(root, "schema"))
	for _, want := range []string{
		"was http://mana-credits:3061, but mana-credits listens on 3002",
		"Prometheus scraped mana-llm:3020, but mana-llm listens on 3025",
		"compose published 3015, which mana-landing-builder already publishes on macmini",
		"the port doc says 5000-5059, which overlaps playground-dev-tools (5050-5059)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no comment %q in the imported source", want)
		}
	}
	if strings.Contains(text, "mana123") || strings.Contains(text, "redis123") {
		t.Error("a default value of a secret was copied into the source")
	}
	kinds := map[string]bool{}
	for _, f := range rep.Findings {
		kinds[f.Kind] = true
	}
	for _, k := range []string{"port-mismatch", "host-port-collision", "range-overlap", "secret-default", "host-inferred"} {
		if !kinds[k] {
			t.Errorf("no %s finding in the report", k)
		}
	}
}

// needNamed returns the need that fills variable env.
func needNamed(s *schema.Service, env string) schema.Need {
	for _, n := range s.Needs {
		if n.EnvName() == env {
			return n
		}
	}
	return schema.Need{}
}

// readAll concatenates the .cue files of dir.
func readAll(t *testing.T, dir string) string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(dir, "*.cue"))
	var b strings.Builder
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	return b.String()
}
