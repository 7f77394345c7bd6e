package handwritten

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "My App")
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const projectBase = `services:
  api:
    image: api:1
    ports: ["127.0.0.1:3000:3000"]
    environment:
      LOG_LEVEL: info
      REQUIRED: ${API_KEY:?set API_KEY}
    volumes: ["${DATA_DIR:-./data}:/data"]
`

const projectOverlay = `services:
  api:
    environment:
      LOG_LEVEL: debug
    ports: !override
      - "127.0.0.1:3001:3000"
    profiles: [debug]
`

// Files named as one project merge as docker compose merges them; the
// values keep their variables and the positions point at the files.
func TestReadComposeProjectMergesWithComposeGo(t *testing.T) {
	dir := writeFiles(t, map[string]string{"base.yml": projectBase, "overlay.yml": projectOverlay, ".env": "COMPOSE_PROJECT_NAME=legacy\n"})
	base, overlay := filepath.Join(dir, "base.yml"), filepath.Join(dir, "overlay.yml")
	f, err := ReadComposeProject([]string{base, overlay}, []string{filepath.Join(dir, ".env")})
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "legacy" {
		t.Errorf("project name %q, want legacy from COMPOSE_PROJECT_NAME", f.Name)
	}
	api := f.Service("api")
	if api == nil || len(api.Ports) != 1 || api.Ports[0].Published != 3001 || api.Ports[0].HostIP != "127.0.0.1" {
		t.Fatalf("api ports %+v, want the overlay's 127.0.0.1:3001:3000 only (!override)", api)
	}
	if api.Ports[0].Pos != (Pos{overlay, 6}) {
		t.Errorf("port at %v, want %s:6", api.Ports[0].Pos, overlay)
	}
	if e, _ := api.Env("LOG_LEVEL"); e.Value != "debug" || e.Pos != (Pos{overlay, 4}) {
		t.Errorf("LOG_LEVEL %+v, want the overlay's debug at its line", e)
	}
	if e, _ := api.Env("REQUIRED"); e.Value != "${API_KEY:?set API_KEY}" {
		t.Errorf("REQUIRED = %q, want the required variable kept", e.Value)
	}
	vols, _ := api.Model["volumes"].([]any)
	if len(vols) != 1 || vols[0].(map[string]any)["type"] != "bind" || vols[0].(map[string]any)["source"] != "${DATA_DIR:-./data}" {
		t.Errorf("volumes %v, want a bind mount from ${DATA_DIR:-./data}", vols)
	}
	if len(api.Profiles) != 1 || api.Profiles[0] != "debug" {
		t.Errorf("profiles %v, want [debug]", api.Profiles)
	}
}

// An overlay alone is refused with what to do instead.
func TestAnOverlayAloneSaysSo(t *testing.T) {
	dir := writeFiles(t, map[string]string{"overlay.yml": projectOverlay})
	_, err := readComposeEntry(filepath.Join(dir, "overlay.yml"), nil)
	if err == nil || !contains(err.Error(), "only makes sense as an overlay") {
		t.Errorf("error %v, want the overlay explained", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// A file alone is read as compose reads it: its include and extends are
// followed, an included file's relative paths are rebased to its own
// directory (also when the file is named by a relative path), and each
// service points at the file and line that define it.
func TestReadComposeProjectFollowsIncludeAndExtends(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"app/compose.yml": `include:
  - sub/compose.yml
services:
  web:
    extends: {file: lib/common.yml, service: base}
    image: web:1
`,
		"app/sub/compose.yml": `services:
  db:
    image: postgres:16
    volumes: ["./data:/var/lib/postgresql/data"]
`,
		"app/lib/common.yml": `services:
  base:
    volumes: ["./conf:/conf"]
`,
	})
	t.Chdir(dir)
	f, err := ReadComposeProject([]string{filepath.Join("app", "compose.yml")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	db, web := f.Service("db"), f.Service("web")
	if db == nil || web == nil {
		t.Fatalf("services %v, want db from the include and web", f.Services)
	}
	if db.Pos != (Pos{filepath.Join("app", "sub", "compose.yml"), 2}) || web.Pos != (Pos{filepath.Join("app", "compose.yml"), 4}) {
		t.Errorf("db at %v, web at %v: want each at its own file's line", db.Pos, web.Pos)
	}
	source := func(s *ComposeService) any {
		vols, _ := s.Model["volumes"].([]any)
		if len(vols) != 1 {
			return vols
		}
		return vols[0].(map[string]any)["source"]
	}
	if got := source(db); got != "sub/data" {
		t.Errorf("db mounts %v, want sub/data: the included file's ./data, seen from the main file", got)
	}
	if got := source(web); got != "lib/conf" {
		t.Errorf("web mounts %v, want lib/conf: the extended file's ./conf", got)
	}
	if web.Model["extends"] != nil {
		t.Errorf("extends is left in the merged service: %v", web.Model)
	}
}

// A file that neither includes, extends nor resets is kept as written,
// in its own syntax.
func TestReadComposeProjectKeepsAFileThatStandsAlone(t *testing.T) {
	dir := writeFiles(t, map[string]string{"compose.yml": projectBase})
	f, err := ReadComposeProject([]string{filepath.Join(dir, "compose.yml")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if api := f.Service("api"); api == nil || len(api.Ports) != 1 || api.Ports[0].Raw != "127.0.0.1:3000:3000" {
		t.Errorf("api %+v, want its port in the short syntax written", api)
	}
}
