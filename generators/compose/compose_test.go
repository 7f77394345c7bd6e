package compose

import (
	"context"
	"errors"
	"path"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"portschema/generators/output"
	"portschema/schema"
	"portschema/schema/synthetic"
)

// labRoot is a small platform written for these tests: two compose
// hosts, a LAN host and an unreachable one, and services that use every
// part of the generator.
const labRoot = "testdata/lab"

// projectRoot is this project's own platform source (the mana platform).
const projectRoot = "../.."

// loadPlatform loads a platform source and fails the test on any error.
func loadPlatform(t testing.TB, root string) *schema.Platform {
	t.Helper()
	p, err := schema.Load(root)
	if err != nil {
		t.Fatalf("schema.Load(%s): %v", root, err)
	}
	return p
}

// generate runs the generator and returns the files by path.
func generate(t testing.TB, p *schema.Platform) map[string][]byte {
	t.Helper()
	files, err := Generate(p)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		if _, dup := out[f.Path]; dup {
			t.Fatalf("Generate returned %s twice", f.Path)
		}
		out[f.Path] = f.Data
	}
	return out
}

// platforms are the sources every property test runs on: the lab, the
// project's own source and a synthetic platform of many services.
func platforms(t *testing.T) map[string]*schema.Platform {
	t.Helper()
	many := t.TempDir()
	if err := synthetic.Write(many, 120); err != nil {
		t.Fatal(err)
	}
	return map[string]*schema.Platform{
		"lab":       loadPlatform(t, labRoot),
		"mana":      loadPlatform(t, projectRoot),
		"synthetic": loadPlatform(t, many),
	}
}

// hasProjectSource reports whether the project's own platform source
// has service files, so the benchmark can say why it has nothing to
// measure in a tree without one.
func hasProjectSource() bool {
	matches, _ := filepath.Glob(filepath.Join(projectRoot, schema.SourceDir, "services_*.cue"))
	return len(matches) > 0
}

// secretValue is what every variable of the host's environment holds in
// these tests, so a test can tell where a reference was filled in.
func secretValue(name string) string { return "value-of-" + name }

// loadAsDocker loads a compose file as docker compose does on the host:
// checked against the compose JSON schema and for consistency, with the
// host's environment interpolated (each variable NAME holding
// secretValue(NAME)) and only the given profiles active.
func loadAsDocker(t testing.TB, name string, data []byte, profiles ...string) (*types.Project, error) {
	t.Helper()
	details := types.ConfigDetails{
		WorkingDir:  t.TempDir(),
		ConfigFiles: []types.ConfigFile{{Filename: name, Content: data}},
	}
	return loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.Interpolate.LookupValue = func(key string) (string, bool) { return secretValue(key), true }
		o.ResolvePaths = false
		o.SkipResolveEnvironment = true
		o.Profiles = profiles
	})
}

// loadAsWritten loads a compose file without interpolation, so `${X}`
// and `$$` stay as the file has them, with every profile active.
func loadAsWritten(t testing.TB, name string, data []byte) *types.Project {
	t.Helper()
	return loadFrom(t, filepath.Join(t.TempDir(), name), data, false)
}

// loadResolved loads a compose file as loadAsWritten does, from dir
// (which need not exist), with its relative paths resolved from there.
func loadResolved(t testing.TB, data []byte, dir string) *types.Project {
	t.Helper()
	return loadFrom(t, path.Join(dir, "docker-compose.yml"), data, true)
}

func loadFrom(t testing.TB, file string, data []byte, resolvePaths bool) *types.Project {
	t.Helper()
	details := types.ConfigDetails{
		WorkingDir:  filepath.Dir(file),
		ConfigFiles: []types.ConfigFile{{Filename: file, Content: data}},
	}
	p, err := loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName("compared", false)
		o.SkipInterpolation = true
		o.SkipNormalization = true
		o.ResolvePaths = resolvePaths
		o.SkipResolveEnvironment = true
		o.Profiles = []string{"*"}
	})
	if err != nil {
		t.Fatalf("loading %s: %v", file, err)
	}
	return p
}

// labFile is the lab's compose file of host nas, loaded as docker
// compose would with every profile active.
func labFile(t *testing.T) (*schema.Platform, *types.Project) {
	t.Helper()
	p := loadPlatform(t, labRoot)
	data := generate(t, p)["out/docker-compose.nas.yml"]
	project, err := loadAsDocker(t, "nas.yml", data, "*")
	if err != nil {
		t.Fatal(err)
	}
	return p, project
}

func TestOneFilePerComposeHostAtItsPath(t *testing.T) {
	files := generate(t, loadPlatform(t, labRoot))
	want := []string{"deploy/edge.yml", "out/docker-compose.nas.yml"}
	if len(files) != len(want) {
		t.Fatalf("got %d files, want %v", len(files), want)
	}
	for _, path := range want {
		data, ok := files[path]
		if !ok {
			t.Fatalf("no file %s", path)
		}
		if header := output.Header(output.HashComment); string(data[:len(header)]) != header {
			t.Errorf("%s does not start with the header:\n%s", path, data[:80])
		}
	}
}

func TestEveryFileLoadsWithSchemaAndConsistencyChecks(t *testing.T) {
	for name, p := range platforms(t) {
		for path, data := range generate(t, p) {
			// As deployed (not-deployed services off), and with every
			// service on, so their blocks are checked too.
			for _, profiles := range [][]string{nil, {"*"}} {
				if _, err := loadAsDocker(t, path, data, profiles...); err != nil {
					t.Errorf("%s: %s with profiles %v: %v", name, path, profiles, err)
				}
			}
		}
	}
}

func TestNoHostPortPublishedTwice(t *testing.T) {
	for name, p := range platforms(t) {
		for path, data := range generate(t, p) {
			project, err := loadAsDocker(t, path, data, "*")
			if err != nil {
				t.Fatal(err)
			}
			taken := map[string]string{}
			for _, svc := range project.Services {
				for _, port := range svc.Ports {
					key := port.HostIP + ":" + port.Published + "/" + port.Protocol
					if other, ok := taken[key]; ok {
						t.Errorf("%s: %s: host port %s published by %s and %s", name, path, key, other, svc.Name)
					}
					taken[key] = svc.Name
				}
			}
			if len(taken) == 0 {
				t.Errorf("%s: %s publishes no port at all", name, path)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	for name := range platforms(t) {
		root := labRoot
		if name == "mana" {
			root = projectRoot
		}
		first := generate(t, loadPlatform(t, root))
		second := generate(t, loadPlatform(t, root))
		for path, data := range first {
			if string(second[path]) != string(data) {
				t.Errorf("%s: %s differs between two runs", name, path)
			}
		}
	}
}

func TestOutputPath(t *testing.T) {
	p := loadPlatform(t, labRoot)
	if got := OutputPath(p.Host("nas")); got != "out/docker-compose.nas.yml" {
		t.Errorf("default path: got %s", got)
	}
	if got := OutputPath(p.Host("edge")); got != "deploy/edge.yml" {
		t.Errorf("path set in the source: got %s", got)
	}
}

// loadError loads a platform that must not load and returns its
// diagnostics as lines.
func loadError(t *testing.T, root string) []string {
	t.Helper()
	_, err := schema.Load(root)
	var ds schema.Diagnostics
	if !errors.As(err, &ds) {
		t.Fatalf("schema.Load(%s): want diagnostics, got %v", root, err)
	}
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return lines
}
