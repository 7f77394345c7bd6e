package compose

import (
	"bytes"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"

	"portschema/schema"
)

// TestLoadingTheDocumentIsLoadingItsYAML holds the loader's input to
// what a file would give it: the document handed over as maps must make
// the same project as the document written as YAML and parsed back. A
// value of a type YAML decoding never produces (an int64, a float64 for
// a whole number) fails here or passes the schema where the file would
// not.
func TestLoadingTheDocumentIsLoadingItsYAML(t *testing.T) {
	eachDocument(t, func(name string, p *schema.Platform, h *schema.Host, doc map[string]any) {
		content, err := yaml.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		fromYAML := loadContent(t, h, content)
		fromMaps, err := loadProject(h, doc)
		if err != nil {
			t.Fatalf("%s: host %s: loading the document: %v", name, h.Name, err)
		}
		want, got := marshal(t, fromYAML), marshal(t, fromMaps)
		if !bytes.Equal(want, got) {
			t.Errorf("%s: host %s: the document loads as\n%s\nits YAML as\n%s", name, h.Name, got, want)
		}
	})
}

// eachDocument calls f with the compose document of every compose host
// of the test platforms.
func eachDocument(t *testing.T, f func(name string, p *schema.Platform, h *schema.Host, doc map[string]any)) {
	t.Helper()
	for name, p := range platforms(t) {
		for _, h := range p.Hosts {
			if h.Kind != schema.KindCompose {
				continue
			}
			doc, err := document(p, h)
			if err != nil {
				t.Fatalf("%s: host %s: %v", name, h.Name, err)
			}
			f(name, p, h, doc)
		}
	}
}

// loadContent loads a host's compose file from YAML.
func loadContent(t *testing.T, h *schema.Host, content []byte) *types.Project {
	t.Helper()
	project, err := loadFile(h, types.ConfigFile{Filename: OutputPath(h), Content: content}, nil)
	if err != nil {
		t.Fatalf("host %s: loading the document's YAML: %v", h.Name, err)
	}
	return project
}

func marshal(t *testing.T, project *types.Project) []byte {
	t.Helper()
	data, err := project.MarshalYAML()
	if err != nil {
		t.Fatal(err)
	}
	return data
}
