package compose

import (
	"reflect"
	"testing"
)

func TestPathsAreRelativeToTheComposeFile(t *testing.T) {
	cases := []struct{ output, path, want string }{
		{"out/docker-compose.a.yml", ".", ".."},
		{"out/docker-compose.a.yml", "./docker/nginx", "../docker/nginx"},
		{"out/docker-compose.a.yml", "services/api", "../services/api"},
		{"out/docker-compose.a.yml", "../sibling", "../../sibling"},
		{"deploy/edge/compose.yml", "./conf", "../../conf"},
		{"docker-compose.yml", "./conf", "./conf"},
		// Not relative local paths: left alone.
		{"out/a.yml", "/srv/data", "/srv/data"},
		{"out/a.yml", "~/data", "~/data"},
		{"out/a.yml", "C:\\data", "C:\\data"},
		{"out/a.yml", "https://github.com/org/repo.git#main", "https://github.com/org/repo.git#main"},
		{"out/a.yml", "git@github.com:org/repo.git", "git@github.com:org/repo.git"},
		{"out/a.yml", "service:base", "service:base"},
		{"out/a.yml", "docker-image://alpine", "docker-image://alpine"},
		{"out/a.yml", "${DATA_DIR}/x", "${DATA_DIR}/x"},
	}
	for _, c := range cases {
		if got := newRebaser(c.output).path(c.path); got != c.want {
			t.Errorf("%s in %s: %q, want %q", c.path, c.output, got, c.want)
		}
	}
}

// Every key compose resolves against the project directory is
// rewritten; named volumes, targets and everything else are not.
func TestEveryPathOfABlockIsRebased(t *testing.T) {
	block := map[string]any{
		"build": map[string]any{"context": "services/api", "dockerfile": "Dockerfile",
			"additional_contexts": map[string]any{"base": "service:base", "assets": "./assets"}},
		"volumes": []any{"./conf:/etc/conf:ro", "data:/data", "/srv:/srv", "/anonymous",
			map[string]any{"type": "bind", "source": "./uploads", "target": "/uploads"},
			map[string]any{"type": "volume", "source": "cache", "target": "/cache"}},
		"env_file":   []any{"./common.env", map[string]any{"path": "./local.env", "required": false}},
		"label_file": "./labels",
		"extends":    map[string]any{"file": "./base.yml", "service": "base"},
		"develop":    map[string]any{"watch": []any{map[string]any{"path": "./src", "action": "sync", "target": "/app"}}},
		"image":      "./not-a-path",
	}
	want := map[string]any{
		"build": map[string]any{"context": "../services/api", "dockerfile": "Dockerfile",
			"additional_contexts": map[string]any{"base": "service:base", "assets": "../assets"}},
		"volumes": []any{"../conf:/etc/conf:ro", "data:/data", "/srv:/srv", "/anonymous",
			map[string]any{"type": "bind", "source": "../uploads", "target": "/uploads"},
			map[string]any{"type": "volume", "source": "cache", "target": "/cache"}},
		"env_file":   []any{"../common.env", map[string]any{"path": "../local.env", "required": false}},
		"label_file": "../labels",
		"extends":    map[string]any{"file": "../base.yml", "service": "base"},
		"develop":    map[string]any{"watch": []any{map[string]any{"path": "../src", "action": "sync", "target": "/app"}}},
		"image":      "./not-a-path",
	}
	r := newRebaser("out/docker-compose.a.yml")
	r.service(block)
	if !reflect.DeepEqual(block, want) {
		t.Errorf("got  %v\nwant %v", block, want)
	}
	short := map[string]any{"build": "."}
	r.service(short)
	if short["build"] != ".." {
		t.Errorf("build: . became %v", short["build"])
	}
	secrets := map[string]any{"db": map[string]any{"file": "./secrets/db.txt"}, "api": map[string]any{"environment": "API_KEY"}}
	r.fileBlocks(secrets)
	if got := secrets["db"].(map[string]any)["file"]; got != "../secrets/db.txt" {
		t.Errorf("secret file %v", got)
	}
}
