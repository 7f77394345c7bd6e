package compose

import (
	"reflect"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

func TestMovePath(t *testing.T) {
	cases := []struct {
		kind    PathKind
		dir, in string
		want    string
	}{
		// From the root to a file in out/ or deeper.
		{PathValue, "..", ".", ".."},
		{PathValue, "..", "./docker/nginx", "../docker/nginx"},
		{PathValue, "..", "services/api", "../services/api"},
		{PathValue, "..", "../sibling", "../../sibling"},
		{PathValue, "../..", "./conf", "../../conf"},
		// From a file in deploy/ to the root.
		{PathValue, "deploy", "./conf", "deploy/conf"},
		{PathValue, "deploy", "../shared", "shared"},
		{PathValue, "deploy", ".", "deploy"},
		{PathValue, ".", "./conf", "./conf"},
		{PathValue, "", "./conf", "./conf"},
		// Short volumes: only a source that is a path moves.
		{ShortVolume, "..", "./conf:/etc/conf:ro", "../conf:/etc/conf:ro"},
		{ShortVolume, "deploy", "./conf:/etc/conf:ro", "./deploy/conf:/etc/conf:ro"},
		{ShortVolume, "deploy", "../conf:/etc/conf", "./conf:/etc/conf"},
		{ShortVolume, "..", "data:/data", "data:/data"},
		{ShortVolume, "..", "/srv:/srv", "/srv:/srv"},
		{ShortVolume, "..", "./anonymous", "./anonymous"},
		// A variable's default that is a relative path moves; the
		// variable, whose value is the user's, stays.
		{PathValue, "..", "${DATA_DIR:-./data}", "${DATA_DIR:-../data}"},
		{PathValue, "deploy", "${DATA_DIR-./data}/pg", "${DATA_DIR-./deploy/data}/pg"},
		{ShortVolume, "..", "${DATA_DIR:-./data}:/var/lib/data", "${DATA_DIR:-../data}:/var/lib/data"},
		{ShortVolume, "deploy", "${DATA_DIR:-../data}:/data", "${DATA_DIR:-./data}:/data"},
		{ShortVolume, "..", "${DATA_DIR:-data}:/data", "${DATA_DIR:-data}:/data"},
		{ShortVolume, "..", "${DATA_DIR:?set it}:/data", "${DATA_DIR:?set it}:/data"},
		{ShortVolume, "..", "${DATA_DIR:-/srv/data}:/data", "${DATA_DIR:-/srv/data}:/data"},
		{PathValue, "..", "${A:-${B}}", "${A:-${B}}"},
		{PathValue, "..", "$PWD/conf", "$PWD/conf"},
		// Not relative local paths.
		{PathValue, "..", "/srv/data", "/srv/data"},
		{PathValue, "..", "~/data", "~/data"},
		{PathValue, "..", `C:\data`, `C:\data`},
		{PathValue, "..", "https://github.com/org/repo.git#main", "https://github.com/org/repo.git#main"},
		{PathValue, "..", "git@github.com:org/repo.git", "git@github.com:org/repo.git"},
		{PathValue, "..", "service:base", "service:base"},
		{PathValue, "..", "docker-image://alpine", "docker-image://alpine"},
		{PathValue, "..", "${DATA_DIR}/x", "${DATA_DIR}/x"},
		{NotAPath, "..", "./not-a-path", "./not-a-path"},
	}
	for _, c := range cases {
		if got := MovePath(c.kind, c.dir, c.in); got != c.want {
			t.Errorf("%q moved by %q: %q, want %q", c.in, c.dir, got, c.want)
		}
	}
}

func TestWhichStringsArePaths(t *testing.T) {
	none := func(string) any { return nil }
	bind := func(k string) any { return map[string]any{"type": "bind"}[k] }
	for _, c := range []struct {
		keys    []string
		sibling func(string) any
		want    PathKind
	}{
		{[]string{"build"}, none, PathValue},
		{[]string{"build", "context"}, none, PathValue},
		{[]string{"build", "dockerfile"}, none, NotAPath}, // relative to the context
		{[]string{"build", "additional_contexts", "base"}, none, PathValue},
		{[]string{"volumes", "[]"}, none, ShortVolume},
		{[]string{"volumes", "[]", "source"}, bind, PathValue},
		{[]string{"volumes", "[]", "source"}, none, NotAPath}, // a named volume
		{[]string{"volumes", "[]", "target"}, bind, NotAPath},
		{[]string{"env_file"}, none, PathValue},
		{[]string{"env_file", "[]"}, none, PathValue},
		{[]string{"env_file", "[]", "path"}, none, PathValue},
		{[]string{"label_file", "[]"}, none, PathValue},
		{[]string{"extends", "file"}, none, PathValue},
		{[]string{"develop", "watch", "[]", "path"}, none, PathValue},
		{[]string{"develop", "watch", "[]", "target"}, none, NotAPath},
		{[]string{"image"}, none, NotAPath},
		{[]string{"command", "[]"}, none, NotAPath},
	} {
		if got := ServicePathKind(c.keys, c.sibling); got != c.want {
			t.Errorf("%v: %v, want %v", c.keys, got, c.want)
		}
	}
	if TopLevelPathKind([]string{"secrets", "db", "file"}) != PathValue || TopLevelPathKind([]string{"volumes", "db", "name"}) != NotAPath {
		t.Error("top-level files")
	}
}

// Every key path ServicePathKind finds a path at starts with a key
// servicePathsUnder names: the keys a service block can have (compose-go's
// own), each with sub-keys that hold paths somewhere, down four levels.
func TestPathsOnlyUnderTheKeysLookedAt(t *testing.T) {
	var top []string
	var keysOf func(reflect.Type)
	keysOf = func(st reflect.Type) {
		for i := range st.NumField() {
			f := st.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			switch {
			case f.Anonymous && f.Type.Kind() == reflect.Struct:
				keysOf(f.Type) // inlined: its keys are the service's
			case name != "" && name != "-" && !strings.HasPrefix(name, "#"):
				top = append(top, name)
			}
		}
	}
	keysOf(reflect.TypeFor[types.ServiceConfig]())
	if len(top) < 50 {
		t.Fatalf("only %d service keys found in compose-go's types", len(top))
	}
	below := []string{"[]", "context", "path", "file", "source", "watch", "additional_contexts", "x", "target", "type"}
	bind := func(key string) any {
		if key == "type" {
			return "bind"
		}
		return nil
	}
	below = append(below, "")
	for _, k := range top {
		for _, a := range below {
			for _, b := range below {
				for _, c := range below {
					keys := []string{k}
					for _, more := range []string{a, b, c} {
						if more != "" {
							keys = append(keys, more)
						}
					}
					if ServicePathKind(keys, bind) != NotAPath && !servicePathsUnder(k) {
						t.Errorf("%s holds a path, but servicePathsUnder(%q) is false", strings.Join(keys, "."), k)
					}
				}
			}
		}
	}
}
