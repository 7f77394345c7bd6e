package audit

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"portschema/generators/output/golden"
	"portschema/schema/adoption/handwritten"
)

// fixtureRoot is the folder holding before/ and after/, the real files of
// the mana platform at two commits (testdata/fixtures at the repository
// root).
func fixtureRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", "..", "..", "testdata", "fixtures", "mana"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(root); err != nil {
		t.Fatalf("the fixtures the goldens judge are missing: %v", err)
	}
	return root
}

// fixtureInputs names one commit's files relative to the fixture root, so
// golden files read "after/prometheus.yml:131", not a machine's path.
func fixtureInputs(commit string) handwritten.Inputs {
	return handwritten.Inputs{
		Compose:     []string{filepath.Join(commit, "docker-compose.macmini.yml")},
		Cloudflared: []string{filepath.Join(commit, "cloudflared-config.yml")},
		Prometheus:  filepath.Join(commit, "prometheus.yml"),
		Doc:         filepath.Join(commit, "PORT_SCHEMA.md"),
		Docs:        []string{filepath.Join(commit, "URL_SCHEMA.md")},
		Env:         []string{filepath.Join(commit, "env.macmini.example")},
		Alerts:      []string{filepath.Join(commit, "alerts.yml")},
		Logs:        []string{filepath.Join(commit, "promtail-config.yaml")},
	}
}

func TestAuditOfTheFixturesMatchesGolden(t *testing.T) {
	root := fixtureRoot(t)
	for _, commit := range []string{"before", "after"} {
		for _, format := range []struct {
			suffix string
			format Format
		}{{".golden", Human}, {".json.golden", JSON}} {
			t.Run(commit+format.suffix, func(t *testing.T) {
				goldenPath, err := filepath.Abs(filepath.Join("testdata", commit+format.suffix))
				if err != nil {
					t.Fatal(err)
				}
				t.Chdir(root)
				findings, err := Audit(fixtureInputs(commit))
				if err != nil {
					t.Fatal(err)
				}
				var got bytes.Buffer
				if err := Write(&got, findings, format.format); err != nil {
					t.Fatal(err)
				}
				compareGolden(t, goldenPath, got.Bytes())
			})
		}
	}
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Check(t, path, got)
}
