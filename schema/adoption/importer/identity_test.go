package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"

	"portschema/generators/compose"
	"portschema/generators/compose/composeconfig"
	"portschema/schema/adoption/handwritten"
)

// The platform of the fixtures runs as project manacore-monorepo (its
// env example pins COMPOSE_PROJECT_NAME). Imported with that env file
// and regenerated, the compose file docker compose loads keeps the
// project name and every container, volume and network name: deploying
// it starts no container, database or network anew.
func TestManaKeepsItsIdentity(t *testing.T) {
	for _, commit := range []string{"before", "after"} {
		t.Run(commit, func(t *testing.T) {
			dir := fixtureDir(t, commit)
			in := filepath.Join(dir, "docker-compose.macmini.yml")
			envFile := filepath.Join(dir, "env.macmini.example")
			root, _ := importInto(t, handwritten.Inputs{Compose: []string{in}, EnvFiles: []string{envFile}})
			generated, ok := findOutput(regenerate(t, root), "docker-compose")
			if !ok {
				t.Fatal("no compose file generated")
			}
			outPath := filepath.Join(root, generated.Path)
			if err := os.MkdirAll(filepath.Dir(outPath), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(outPath, generated.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(envFile)
			if err != nil {
				t.Fatal(err)
			}
			env, err := dotenv.UnmarshalBytesWithLookup(data, nil)
			if err != nil {
				t.Fatal(err)
			}
			// The generated file names the project itself: loaded without
			// the pinned name, it must still run as manacore-monorepo.
			outEnv := map[string]string{}
			for k, v := range env {
				if k != "COMPOSE_PROJECT_NAME" {
					outEnv[k] = v
				}
			}
			before, err := composeconfig.Load([]string{in}, env)
			if err != nil {
				t.Fatal(err)
			}
			after, err := composeconfig.Load([]string{outPath}, outEnv)
			if err != nil {
				t.Fatal(err)
			}
			if before.Name != "manacore-monorepo" || after.Name != before.Name {
				t.Errorf("project %q runs as %q after regen", before.Name, after.Name)
			}
			for _, d := range composeconfig.Compare(before, after, compose.LabelPrefix) {
				switch {
				case d.Aspect == "container_name", d.Aspect == "networks", d.Aspect == "present":
					t.Errorf("identity changed: %s", d)
				case d.Aspect == "volumes" && volumeNames(d.In) != volumeNames(d.Out):
					t.Errorf("volume names changed: %s", d)
				}
			}
			t.Logf("project %s: %d services, %d named volumes, %d networks compared", after.Name, len(before.Services), len(before.Volumes), len(before.Networks))
			if len(before.Services) == 0 || len(before.Volumes) == 0 {
				t.Fatalf("the fixture should have services and named volumes: %d, %d", len(before.Services), len(before.Volumes))
			}
		})
	}
}

// volumeNames keeps the docker volume names of a rendered volumes
// aspect (entries "volume NAME:/target ...").
func volumeNames(rendered string) string {
	var names []string
	for _, e := range strings.Split(strings.Trim(rendered, "[]"), ", ") {
		if _, rest, ok := strings.Cut(e, "volume "); ok {
			name, _, _ := strings.Cut(rest, ":")
			names = append(names, name)
		}
	}
	return strings.Join(names, ",")
}
