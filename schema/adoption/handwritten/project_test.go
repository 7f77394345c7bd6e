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
