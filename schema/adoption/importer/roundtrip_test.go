package importer

import (
	"context"
	"maps"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"portschema/generators"
	"portschema/generators/compose"
	"portschema/generators/output"
	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// regenerate loads an imported project and runs every registered
// generator on it, as `portschema regen` would.
func regenerate(t *testing.T, root string) map[string]output.File {
	t.Helper()
	p, err := schema.Load(root)
	if err != nil {
		t.Fatalf("imported source does not load: %v", err)
	}
	files, err := generators.Run(p)
	if err != nil {
		t.Fatalf("generators fail on the imported source: %v", err)
	}
	out := map[string]output.File{}
	for _, f := range files {
		out[f.Path] = f
	}
	return out
}

// findOutput returns the generated file whose path contains part.
func findOutput(files map[string]output.File, part string) (output.File, bool) {
	for _, path := range slices.Sorted(maps.Keys(files)) {
		if strings.Contains(path, part) {
			return files[path], true
		}
	}
	return output.File{}, false
}

// loadCompose loads a compose file with compose-go as written, its
// relative paths resolved from dir (below a root that need not exist):
// no interpolation, no normalization, nothing read from disk.
func loadCompose(t *testing.T, name string, data []byte, dir string) *types.Project {
	t.Helper()
	details := types.ConfigDetails{WorkingDir: path.Join("/project", dir), Environment: types.Mapping{},
		ConfigFiles: []types.ConfigFile{{Filename: name, Content: data}}}
	p, err := loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SkipInterpolation = true
		o.SkipNormalization = true
		o.SkipResolveEnvironment = true
		o.ResolvePaths = true
		o.SetProjectName("roundtrip", true)
	})
	if err != nil {
		t.Fatalf("compose-go rejects %s: %v", name, err)
	}
	return p
}

// passThrough is what import must carry over unchanged: compared after
// compose-go has loaded both files, so only meaning counts.
type passThrough struct {
	Image       string
	Build       *types.BuildConfig
	Command     types.ShellCommand
	Entrypoint  types.ShellCommand
	HealthCheck *types.HealthCheckConfig
	Volumes     []types.ServiceVolumeConfig
	Labels      types.Labels
	MemLimit    types.UnitBytes
	Restart     string
}

// passThroughOf picks the pass-through keys, without the labels
// portschema adds in its own namespace.
func passThroughOf(s types.ServiceConfig) passThrough {
	labels := types.Labels{}
	for k, v := range s.Labels {
		if !strings.HasPrefix(k, compose.LabelPrefix) {
			labels[k] = v
		}
	}
	return passThrough{Image: s.Image, Build: s.Build, Command: s.Command, Entrypoint: s.Entrypoint,
		HealthCheck: s.HealthCheck, Volumes: s.Volumes, Labels: labels, MemLimit: s.MemLimit, Restart: s.Restart}
}

// withoutSecretDefaults is the original file as import promises to
// carry it: defaults of secrets are never copied.
func withoutSecretDefaults(data []byte) []byte {
	out, _ := StripSecretDefaults(string(data))
	return []byte(out)
}

func TestImportRoundTrip(t *testing.T) {
	for _, commit := range []string{"before", "after"} {
		t.Run(commit, func(t *testing.T) {
			dir := fixtureDir(t, commit)
			root, rep := importInto(t, manaInputs(dir))
			files := regenerate(t, root)
			if len(files) == 0 {
				t.Fatal("the registry generated nothing")
			}
			moved := map[string]bool{}
			for _, f := range rep.Findings {
				if f.Kind == "host-port-collision" {
					moved[strings.SplitN(f.Message, ":", 2)[0]] = true
				}
			}
			checkCompose(t, readFile(t, filepath.Join(dir, "docker-compose.macmini.yml")), files, moved)
			checkTunnel(t, filepath.Join(dir, "cloudflared-config.yml"), files)
			checkPrometheus(t, filepath.Join(dir, "prometheus.yml"), files)
		})
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkCompose compares the regenerated compose file with the original
// after compose-go has loaded both.
func checkCompose(t *testing.T, data []byte, files map[string]output.File, moved map[string]bool) {
	t.Helper()
	gen, ok := findOutput(files, "docker-compose")
	if !ok {
		t.Error("no compose file was generated")
		return
	}
	// The original lies at the project root, the generated file where
	// its path says: paths compare once resolved from each one's place.
	orig := loadCompose(t, "original.yml", withoutSecretDefaults(data), ".")
	got := loadCompose(t, "generated.yml", gen.Data, path.Dir(gen.Path))
	for name, want := range orig.Services {
		have, ok := got.Services[name]
		if !ok {
			t.Errorf("service %s is missing from the generated compose file", name)
			continue
		}
		if w, h := passThroughOf(want), passThroughOf(have); !reflect.DeepEqual(w, h) {
			t.Errorf("service %s changed:\n want %+v\n have %+v", name, w, h)
		}
		if w, h := envKeys(want), envKeys(have); !reflect.DeepEqual(w, h) {
			t.Errorf("service %s: environment %v, generated %v", name, w, h)
		}
		if w, h := startConditions(want), startConditions(have); !reflect.DeepEqual(w, h) {
			t.Errorf("service %s: depends_on %v, generated %v", name, w, h)
		}
		if !reflect.DeepEqual(targets(want), targets(have)) {
			t.Errorf("service %s: container ports %v, generated %v", name, targets(want), targets(have))
		}
		if !moved[name] && !reflect.DeepEqual(published(want), published(have)) {
			t.Errorf("service %s: host ports %v, generated %v", name, published(want), published(have))
		}
	}
}

// envKeys are the variables a service's environment sets: import keeps
// each one and adds none.
func envKeys(s types.ServiceConfig) []string {
	return slices.Sorted(maps.Keys(s.Environment))
}

// startConditions are the services a service starts after, each with
// the condition compose waits for.
func startConditions(s types.ServiceConfig) map[string]string {
	out := map[string]string{}
	for name, d := range s.DependsOn {
		out[name] = d.Condition
	}
	return out
}

func targets(s types.ServiceConfig) map[uint32]bool {
	out := map[uint32]bool{}
	for _, p := range s.Ports {
		out[p.Target] = true
	}
	return out
}

func published(s types.ServiceConfig) map[string]bool {
	out := map[string]bool{}
	for _, p := range s.Ports {
		out[p.Published] = true
	}
	return out
}

func checkTunnel(t *testing.T, path string, files map[string]output.File) {
	gen, ok := findOutput(files, "cloudflared")
	if !ok {
		t.Error("no cloudflared config was generated")
		return
	}
	orig, err := handwritten.ReadCloudflared(path)
	if err != nil {
		t.Fatal(err)
	}
	have, err := handwritten.ParseCloudflared("generated", gen.Data)
	if err != nil {
		t.Fatal(err)
	}
	routed := map[string]bool{}
	for _, r := range have.Rules {
		routed[r.Hostname+r.Path] = true
	}
	for _, r := range orig.Rules {
		if !r.IsCatchAll() && !routed[r.Hostname+r.Path] {
			t.Errorf("tunnel route %s%s is missing", r.Hostname, r.Path)
		}
	}
	if have.Tunnel != orig.Tunnel || have.CredentialsFile != orig.CredentialsFile {
		t.Errorf("tunnel %s (%s), generated %s (%s)", orig.Tunnel, orig.CredentialsFile, have.Tunnel, have.CredentialsFile)
	}
}

func checkPrometheus(t *testing.T, path string, files map[string]output.File) {
	gen, ok := findOutput(files, "prometheus.yml")
	if !ok {
		t.Error("no prometheus.yml was generated")
		return
	}
	orig, err := handwritten.ReadPrometheus(path)
	if err != nil {
		t.Fatal(err)
	}
	have, err := handwritten.ParsePrometheus("generated", gen.Data)
	if err != nil {
		t.Fatal(err)
	}
	jobs := map[string]handwritten.ScrapeJob{}
	for _, j := range have.Jobs {
		jobs[j.Name] = j
	}
	for _, j := range orig.Jobs {
		h, ok := jobs[j.Name]
		switch {
		case !ok:
			t.Errorf("scrape job %s is missing", j.Name)
		case h.MetricsPath != j.MetricsPath:
			t.Errorf("scrape job %s: metrics_path %s, generated %s", j.Name, j.MetricsPath, h.MetricsPath)
		case j.Probe != nil && (h.Probe == nil || h.Probe.Module != j.Probe.Module || len(h.Targets) != len(j.Targets)):
			t.Errorf("probe job %s: generated %+v with %d targets, want module %s and %d targets", j.Name, h.Probe, len(h.Targets), j.Probe.Module, len(j.Targets))
		}
	}
}

// A compose file in a directory of the project names its files relative
// to that directory; imported and regenerated into out/, its paths name
// the same files.
func TestImportFromASubdirectoryKeepsItsPaths(t *testing.T) {
	root := t.TempDir()
	const compose = `name: box
services:
  app:
    build: .
    ports: ["8080:8080"]
    volumes:
      - ./conf:/etc/app:ro
      - data:/data
      - type: bind
        source: ../shared
        target: /shared
    env_file: ./app.env
    secrets: [db]
  web:
    image: nginx:1
    ports: ["8081:80"]
    volumes: ["./site:/usr/share/nginx/html:ro"]
volumes:
  data: {}
secrets:
  db:
    file: ./secrets/db.txt
`
	file := filepath.Join(root, "deploy", "docker-compose.box.yml")
	os.MkdirAll(filepath.Dir(file), 0o755)
	if err := os.WriteFile(file, []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(handwritten.Inputs{Compose: []string{file}}, filepath.Join(root, "schema"), false); err != nil {
		t.Fatal(err)
	}
	gen, ok := findOutput(regenerate(t, root), "docker-compose")
	if !ok {
		t.Fatal("no compose file was generated")
	}
	orig := loadCompose(t, "original.yml", []byte(compose), "deploy")
	got := loadCompose(t, "generated.yml", gen.Data, path.Dir(gen.Path))
	for name, want := range orig.Services {
		have := got.Services[name]
		if !reflect.DeepEqual(have.Build, want.Build) || !reflect.DeepEqual(have.Volumes, want.Volumes) ||
			!reflect.DeepEqual(have.EnvFiles, want.EnvFiles) {
			t.Errorf("%s: build %+v volumes %+v env files %+v\nwant build %+v volumes %+v env files %+v\n%s",
				name, have.Build, have.Volumes, have.EnvFiles, want.Build, want.Volumes, want.EnvFiles, gen.Data)
		}
	}
	if !reflect.DeepEqual(got.Secrets, orig.Secrets) {
		t.Errorf("secrets %+v, want %+v", got.Secrets, orig.Secrets)
	}
}

// A compose file from outside the project keeps its paths, and the
// report says so; one inside does not get that finding.
func TestImportFromOutsideTheProjectSaysSo(t *testing.T) {
	root := t.TempDir()
	elsewhere := filepath.Join(t.TempDir(), "docker-compose.box.yml")
	const compose = "services:\n  app:\n    build: ./app\n    ports: [\"8080:8080\"]\n"
	if err := os.WriteFile(elsewhere, []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Import(handwritten.Inputs{Compose: []string{elsewhere}}, filepath.Join(root, "schema"), false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rep.Findings, func(f Finding) bool { return f.Kind == "paths-outside-project" }) {
		t.Errorf("no finding says the paths were kept: %v", rep.Findings)
	}
	data := readFile(t, filepath.Join(root, "schema", "services_ports-8000.cue"))
	if !strings.Contains(string(data), `"./app"`) {
		t.Errorf("the build context was not kept as written:\n%s", data)
	}
	inside := filepath.Join(root, "docker-compose.box.yml")
	if err := os.WriteFile(inside, []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = Import(handwritten.Inputs{Compose: []string{inside}}, filepath.Join(root, "schema"), true)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(rep.Findings, func(f Finding) bool { return f.Kind == "paths-outside-project" }) {
		t.Errorf("a file inside the project got the finding: %v", rep.Findings)
	}
}
