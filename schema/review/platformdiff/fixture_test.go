package platformdiff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portschema/generators"
	"portschema/generators/output/golden"
	"portschema/schema"
	"portschema/schema/adoption/handwritten"
	"portschema/schema/adoption/importer"
)

// importFixture imports one commit of the mana fixtures (the real files
// before and after the commit that removed the Matrix stack) into a new
// project root and loads it with its generated files.
func importFixture(t *testing.T, commit string) Side {
	t.Helper()
	fixtures, err := filepath.Abs(filepath.Join("..", "..", "..", "testdata", "fixtures", "mana"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	wd, _ := os.Getwd()
	t.Chdir(filepath.Join(fixtures, commit))
	_, err = importer.Import(handwritten.Inputs{
		Compose:     []string{"docker-compose.macmini.yml"},
		Cloudflared: []string{"cloudflared-config.yml"},
		Prometheus:  "prometheus.yml",
		Doc:         "PORT_SCHEMA.md",
	}, filepath.Join(root, schema.SourceDir), false)
	if err != nil {
		t.Fatalf("importing %s: %v", commit, err)
	}
	t.Chdir(wd)
	p, err := schema.Load(root)
	if err != nil {
		t.Fatalf("loading the import of %s: %v", commit, err)
	}
	files, err := generators.Run(p)
	if err != nil {
		t.Fatal(err)
	}
	return Side{Platform: p, Files: files}
}

func identity(path string) string { return path }

// TestFixtureRemoval replays the commit that removed the Matrix stack,
// on the sources imported from the files before and after it.
func TestFixtureRemoval(t *testing.T) {
	d := Compare(importFixture(t, "before"), importFixture(t, "after"))
	if !strings.HasPrefix(d.Headline(), "removed one stack: 4 services, 3 hostnames, ") {
		t.Errorf("headline: %s", d.Headline())
	}
	golden.Check(t, "testdata/mana-removal.txt", d.Text(identity))
	golden.Check(t, "testdata/mana-removal.md", d.Markdown(identity))
}
