package importer

import (
	"os"
	"path/filepath"
	"testing"
)

// fixtureDir is where the real platform's hand-written files live,
// relative to this package; tests skip when it is absent.
func fixtureDir(t *testing.T, which string) string {
	t.Helper()
	for _, dir := range []string{"../../../shared/fixtures/mana", "../../shared/fixtures/mana", "../../../../shared/fixtures/mana"} {
		if _, err := os.Stat(filepath.Join(dir, which)); err == nil {
			abs, _ := filepath.Abs(filepath.Join(dir, which))
			return abs
		}
	}
	if env := os.Getenv("PORTSCHEMA_FIXTURES"); env != "" {
		return filepath.Join(env, "mana", which)
	}
	t.Skip("fixtures/mana not found")
	return ""
}

// manaInputs names the fixture files of one commit.
func manaInputs(dir string) Inputs {
	return Inputs{
		Compose:     []string{filepath.Join(dir, "docker-compose.macmini.yml")},
		Cloudflared: []string{filepath.Join(dir, "cloudflared-config.yml")},
		Prometheus:  filepath.Join(dir, "prometheus.yml"),
		Doc:         filepath.Join(dir, "PORT_SCHEMA.md"),
	}
}

// importInto imports into <tmp>/schema and returns the project root.
func importInto(t *testing.T, in Inputs) (string, Report) {
	t.Helper()
	root := t.TempDir()
	rep, err := Import(in, filepath.Join(root, "schema"))
	if err != nil {
		t.Fatal(err)
	}
	return root, rep
}

func TestImportManaDebug(t *testing.T) {
	root, rep := importInto(t, manaInputs(fixtureDir(t, "after")))
	for _, f := range rep.Findings {
		t.Log(f)
	}
	if os.Getenv("IMPORT_DUMP") != "" {
		os.RemoveAll(os.Getenv("IMPORT_DUMP"))
		os.CopyFS(os.Getenv("IMPORT_DUMP"), os.DirFS(filepath.Join(root, "schema")))
	}
}
