package composeconfig

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func write(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// What docker compose would run differently is found, aspect by
// aspect; what it would run the same (short and long syntax, a
// variable and its value) is not.
func TestCompareFindsWhatDockerComposeRunsDifferently(t *testing.T) {
	dir := t.TempDir()
	in := write(t, dir, "app/compose.yml", `name: shop
services:
  db:
    image: postgres:${PG:-16}
    ports: ["127.0.0.1:5432:5432"]
    volumes: ["data:/var/lib/postgresql/data"]
    environment: [A=1]
    profiles: [db]
  api:
    image: api:1
    depends_on:
      db: {condition: service_healthy}
volumes:
  data: {}
`)
	out := write(t, dir, "out/compose.yml", `name: shop
services:
  db:
    image: postgres:16
    ports:
      - {target: 5432, published: "5432", protocol: tcp}
    volumes:
      - {type: volume, source: data, target: /var/lib/postgresql/data}
    environment: {A: "1"}
    profiles: [db]
  api:
    image: api:1
    container_name: api
    depends_on: [db]
volumes:
  data: {name: other}
`)
	a, err := Load([]string{in}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load([]string{out}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range Compare(a, b, "") {
		got = append(got, d.Key())
	}
	want := []string{"api.container_name", "api.depends_on", "db.ports", "db.volumes"}
	if !slices.Equal(got, want) {
		t.Errorf("differences %v, want %v", got, want)
	}
	if same := Compare(a, a, ""); len(same) != 0 {
		t.Errorf("a project differs from itself: %v", same)
	}
}

// The project is named as docker compose names it: COMPOSE_PROJECT_NAME,
// else name:, else the directory.
func TestProjectName(t *testing.T) {
	dir := t.TempDir()
	f := write(t, dir, "My App/compose.yml", "services:\n  a:\n    image: x\n")
	for env, want := range map[string]string{"": "myapp", "legacy": "legacy"} {
		p, err := Load([]string{f}, map[string]string{"COMPOSE_PROJECT_NAME": env})
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != want {
			t.Errorf("COMPOSE_PROJECT_NAME=%q: project %q, want %q", env, p.Name, want)
		}
	}
}
