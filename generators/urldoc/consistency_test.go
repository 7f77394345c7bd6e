package urldoc

import (
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"go.yaml.in/yaml/v4"

	"portschema/generators/compose"
	"portschema/generators/env"
	"portschema/generators/gentest"
	"portschema/generators/prepared"
	"portschema/schema"
)

// The document and the generated files read one model: the URL of each
// need in a service's .env file (a laptop) is the target's Laptop cell,
// and in its compose environment the target's cell for the compose
// network of the service's host; a need read from the internet is the
// target's first Internet URL. Each side is parsed from the generated
// bytes: the dotenv file by compose-go's parser, the compose file as
// YAML, the document by goldmark.
func TestURLsAgreeWithTheEnvAndComposeFiles(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	tables := parseTables(t, generate(t, p))
	envFiles, err := prepared.Generate(env.Prepare, p)
	if err != nil {
		t.Fatal(err)
	}
	dotenvs := map[string]map[string]string{}
	for _, f := range envFiles {
		vars, err := dotenv.UnmarshalBytesWithLookup(f.Data, nil)
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		dotenvs[f.Path] = vars
	}
	composeEnv := composeEnvironments(t, p)
	checked := 0
	for _, s := range p.Services {
		for _, n := range s.Needs {
			if n.NoURL || n.User != "" || n.Password != "" || n.Path != "" || n.Scheme != "" || n.Port != "" {
				continue // the URL carries more than where the target is
			}
			laptop, network := "Laptop", "Compose network of "+s.Host
			if n.From == schema.Internet {
				laptop, network = "Laptop", "Internet"
			}
			wantEnv := firstURL(cellOf(t, tables, n.Service, laptop))
			if got := dotenvs["out/env/"+s.Name+".env"][n.EnvName()]; got != wantEnv {
				t.Errorf("%s.env: %s=%q, the document's %s cell of %s is %q", s.Name, n.EnvName(), got, laptop, n.Service, wantEnv)
			}
			want := firstURL(cellOf(t, tables, n.Service, network))
			if got := composeEnv[s.Name][n.EnvName()]; got != want {
				t.Errorf("compose %s: %s=%q, the document's %s cell of %s is %q", s.Name, n.EnvName(), got, network, n.Service, want)
			}
			checked++
		}
	}
	if checked < 6 {
		t.Errorf("only %d needs checked; the fixture no longer proves much", checked)
	}
}

func firstURL(cell string) string {
	first, _, _ := strings.Cut(cell, "\n")
	return first
}

// composeEnvironments reads each service's environment from the
// generated compose files.
func composeEnvironments(t *testing.T, p *schema.Platform) map[string]map[string]string {
	t.Helper()
	files, err := compose.Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, f := range files {
		var doc struct {
			Services map[string]struct {
				Environment map[string]string `yaml:"environment"`
			} `yaml:"services"`
		}
		if err := yaml.Unmarshal(f.Data, &doc); err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		for name, s := range doc.Services {
			out[name] = s.Environment
		}
	}
	return out
}
