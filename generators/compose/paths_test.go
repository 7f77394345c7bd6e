package compose

import (
	"reflect"
	"testing"
)

func TestRootSeenFromTheFile(t *testing.T) {
	for output, want := range map[string]string{
		"docker-compose.yml": "", "out/docker-compose.a.yml": "..", "deploy/edge/compose.yml": "../..",
	} {
		if got := upFrom(output); got != want {
			t.Errorf("%s: %q, want %q", output, got, want)
		}
	}
}

// Every key compose resolves against the project directory is
// rewritten; named volumes, targets and everything else are not.
func TestEveryPathOfABlockMoves(t *testing.T) {
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
		"x-notes":    map[string]any{"build": "./not-a-path-either"},
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
		"x-notes":    map[string]any{"build": "./not-a-path-either"},
	}
	if got := movePaths(block, nil, "..", false); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if got := movePaths(map[string]any{"build": "."}, nil, "..", false); !reflect.DeepEqual(got, map[string]any{"build": ".."}) {
		t.Errorf("build: . became %v", got)
	}
	secrets := map[string]any{"db": map[string]any{"file": "./secrets/db.txt"}, "api": map[string]any{"environment": "API_KEY"}}
	movePaths(secrets, []string{"secrets"}, "..", true)
	if got := secrets["db"].(map[string]any)["file"]; got != "../secrets/db.txt" {
		t.Errorf("secret file %v", got)
	}
}
