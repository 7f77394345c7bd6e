package env_test

import (
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"

	"portschema/generators"
	"portschema/generators/env"
	"portschema/generators/output"
	"portschema/generators/prepared"
	"portschema/schema"
)

// leakMark starts every value the test puts in the environment.
const leakMark = "LEAKED-VALUE-"

// TestNoSecretValueReachesAnOutput sets a value in the process
// environment for every secret name of the source (the variables
// services read, the host secrets they come from, need passwords, and
// every variable a host's compose file reads), then runs every generator
// and checks that no output and no error message holds any of them.
func TestNoSecretValueReachesAnOutput(t *testing.T) {
	sources := []string{"testdata/platform", projectRoot}
	for _, dir := range sources {
		p, err := schema.Load(dir)
		if err != nil {
			t.Fatalf("loading %s: %v", dir, err)
		}
		for _, name := range secretNames(t, p) {
			t.Setenv(name, leakMark+name+"-$x \"y\" #z")
		}
	}
	for _, dir := range sources {
		p, err := schema.Load(dir) // after the environment is set
		if err != nil {
			t.Fatalf("loading %s: %v", dir, err)
		}
		for _, g := range generators.All() {
			files, err := g.Generate(p)
			if err != nil {
				t.Errorf("%s on %s: %v", g.Name, dir, err)
			}
			for _, f := range files {
				if i := strings.Index(string(f.Data), leakMark); i >= 0 {
					t.Errorf("%s on %s: %s holds a secret value: %q", g.Name, dir, f.Path, f.Data[i:min(len(f.Data), i+60)])
				}
			}
		}
	}
	// Errors too: a source the env generator rejects, one Load rejects.
	for _, dir := range []string{"testdata/conflict", "../../schema/testdata/vantage/unreachable"} {
		p, err := schema.Load(dir)
		if err == nil {
			_, err = prepared.Generate(env.Prepare, p)
		}
		if err == nil {
			t.Errorf("%s: want an error", dir)
		} else if strings.Contains(err.Error(), leakMark) {
			t.Errorf("%s: the error holds a secret value: %v", dir, err)
		}
	}
}

// secretNames are every secret name of a source: what services read
// their secrets as, the host secrets, need passwords, and every variable
// a secrets template lists.
func secretNames(t *testing.T, p *schema.Platform) []string {
	t.Helper()
	var names []string
	for _, s := range p.Services {
		for _, sec := range s.Secrets {
			names = append(names, sec.Env, sec.From)
		}
		for _, n := range s.Needs {
			if n.Password != "" {
				names = append(names, n.Password)
			}
		}
	}
	files, err := prepared.Generate(env.Prepare, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range p.Hosts {
		if h.Compose == nil {
			continue
		}
		for _, f := range files {
			if f.Path == env.SecretsPath(h) {
				names = append(names, templateNames(t, f)...)
			}
		}
	}
	if len(names) == 0 {
		t.Fatal("the source has no secret")
	}
	return names
}

func templateNames(t *testing.T, f output.File) []string {
	t.Helper()
	vars, err := dotenv.UnmarshalBytesWithLookup(f.Data, nil)
	if err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	var names []string
	for name := range vars {
		names = append(names, name)
	}
	return names
}
