package env_test

import (
	"context"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"portschema/generators/compose"
	"portschema/generators/env"
	"portschema/generators/output"
	"portschema/generators/prepared"
	"portschema/schema"
)

// projectRoot is this repository, whose schema/ holds its own platform.
const projectRoot = "../.."

func loadProject(t *testing.T) *schema.Platform {
	t.Helper()
	p, err := schema.Load(projectRoot)
	if err != nil {
		t.Fatalf("loading the project's platform: %v", err)
	}
	return p
}

// readEnv parses a generated dotenv file, with every variable of the
// environment set to a value that names it.
func readEnv(t *testing.T, f output.File) map[string]string {
	t.Helper()
	m, err := dotenv.UnmarshalBytesWithLookup(f.Data, func(name string) (string, bool) { return "value-of-" + name, true })
	if err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	return m
}

// TestProjectURLsPointWhereTheirNeedsListen is the reason this generator
// exists: the hand-written env script had credits on 3061 while it
// listens on 3002, search on 3021 (3012), media on 3015 (3011). In the
// project's own platform, every URL a service's .env gives for a need
// points at localhost and at the port that need listens on from the
// laptop: the port its own .env sets, and the host port its compose file
// publishes.
func TestProjectURLsPointWhereTheirNeedsListen(t *testing.T) {
	p := loadProject(t)
	files, err := prepared.Generate(env.Prepare, p)
	if err != nil {
		t.Fatal(err)
	}
	envs := map[string]map[string]string{}
	for _, f := range files {
		if dir, name := path.Split(f.Path); path.Clean(dir) == p.Outputs.EnvDir {
			envs[strings.TrimSuffix(name, ".env")] = readEnv(t, f)
		}
	}
	published := composePorts(t, p)
	checked := 0
	for _, s := range p.Services {
		vars, ok := envs[s.Name]
		if !ok {
			t.Errorf("%s has no .env in %s", s.Name, p.Outputs.EnvDir)
			continue
		}
		for _, n := range s.Needs {
			if n.NoURL {
				continue // url: false only orders the start
			}
			target := p.Service(n.Service)
			pr, _ := target.PortNamed(n.Port)
			host, port := hostPort(t, vars[n.EnvName()])
			where := s.Name + ".env " + n.EnvName() + "=" + vars[n.EnvName()]
			if host != "localhost" {
				t.Errorf("%s: a laptop reaches %s on localhost", where, target.Name)
			}
			if port != pr.Port {
				t.Errorf("%s: %s listens on %d", where, pr.Label(), pr.Port)
			}
			if n.Port == schema.MainPort && target.PortEnv != "" && envs[target.Name][target.PortEnv] != strconv.Itoa(port) {
				t.Errorf("%s: %s.env sets %s=%s", where, target.Name, target.PortEnv, envs[target.Name][target.PortEnv])
			}
			if hostPort, ok := published[target.Name][uint32(pr.ContainerPort)]; ok && hostPort != port {
				t.Errorf("%s: the compose file publishes %s on %d", where, pr.Label(), hostPort)
			}
			checked++
		}
	}
	if checked == 0 {
		t.Error("no need was checked")
	}
	if len(published) == 0 {
		t.Error("the compose files publish no port")
	}
	t.Logf("%d need URLs checked against the ports of %d services in the compose files", checked, len(published))
}

// TestProjectPlainURLsNamingServices: a URL typed as a plain value
// instead of a need is not asked of the model, so at least its port must
// be one the named service listens on (by service name: a container
// port; on localhost: some service's host port).
func TestProjectPlainURLsNamingServices(t *testing.T) {
	p := loadProject(t)
	hostPorts := map[int]bool{}
	for _, s := range p.Services {
		for _, pr := range s.AllPorts() {
			hostPorts[pr.Port] = true
		}
	}
	for _, s := range p.Services {
		for name, v := range s.Env {
			if !strings.HasSuffix(name, "_URL") {
				continue
			}
			u, err := url.Parse(v.Value)
			if err != nil || u.Port() == "" {
				continue
			}
			port, _ := strconv.Atoi(u.Port())
			target := p.Service(u.Hostname())
			switch {
			case target != nil && !listensInContainer(target, port):
				t.Errorf("%s: env %s=%s: %s does not listen on %d", s.Name, name, v.Value, target.Name, port)
			case target != nil:
				t.Logf("%s: env %s=%s is typed by hand: a need would give the right URL from every vantage", s.Name, name, v.Value)
			case (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1") && !hostPorts[port]:
				t.Errorf("%s: env %s=%s: no service listens on %d", s.Name, name, v.Value, port)
			}
		}
	}
}

func listensInContainer(s *schema.Service, port int) bool {
	for _, pr := range s.AllPorts() {
		if pr.ContainerPort == port {
			return true
		}
	}
	return false
}

func hostPort(t *testing.T, raw string) (string, int) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Errorf("%q is not a URL: %v", raw, err)
		return "", 0
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Errorf("%q has no port", raw)
	}
	return u.Hostname(), port
}

// composePorts reads the compose files the compose generator writes, as
// docker compose does, and returns for each service the host
// port published for each container port. It also checks the secrets
// template: every variable compose looks up while reading the file is
// listed there.
func composePorts(t *testing.T, p *schema.Platform) map[string]map[uint32]int {
	t.Helper()
	out := map[string]map[uint32]int{}
	files, err := compose.Generate(p)
	if err != nil {
		t.Fatalf("compose: %v", err)
	}
	templates := secretsTemplates(t, p)
	for _, f := range files {
		var asked []string
		// The loader puts what compose sets itself (the project's name)
		// in the details' environment; the rest comes from the host's.
		own := types.Mapping{}
		details := types.ConfigDetails{WorkingDir: t.TempDir(), ConfigFiles: []types.ConfigFile{{Filename: f.Path, Content: f.Data}},
			Environment: own}
		project, err := loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
			o.Interpolate.LookupValue = func(key string) (string, bool) {
				if v, ok := own[key]; ok {
					return v, true
				}
				asked = append(asked, key)
				return "value-of-" + key, true
			}
			o.ResolvePaths = false
			o.SkipResolveEnvironment = true
			o.Profiles = []string{"*"}
		})
		if err != nil {
			t.Fatalf("loading %s: %v", f.Path, err)
		}
		checkTemplateCovers(t, f.Path, asked, templates)
		for name, svc := range project.Services {
			for _, port := range svc.Ports {
				if hp, err := strconv.Atoi(port.Published); err == nil {
					if out[name] == nil {
						out[name] = map[uint32]int{}
					}
					out[name][port.Target] = hp
				}
			}
		}
	}
	return out
}

// secretsTemplates reads every compose host's secrets template.
func secretsTemplates(t *testing.T, p *schema.Platform) map[string]map[string]string {
	t.Helper()
	files, err := prepared.Generate(env.Prepare, p)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]output.File{}
	for _, f := range files {
		byPath[f.Path] = f
	}
	out := map[string]map[string]string{}
	for _, h := range p.Hosts {
		if h.Compose != nil {
			f, ok := byPath[env.SecretsPath(h)]
			if !ok {
				t.Fatalf("no secrets template for host %s", h.Name)
			}
			vars, err := dotenv.UnmarshalBytesWithLookup(f.Data, nil)
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			out[h.Name] = vars
		}
	}
	return out
}

// checkTemplateCovers: the secrets template of the compose file's host
// lists every variable compose asked for, without a value.
func checkTemplateCovers(t *testing.T, composePath string, asked []string, templates map[string]map[string]string) {
	t.Helper()
	var vars map[string]string
	for host, v := range templates {
		if strings.Contains(path.Base(composePath), host) {
			vars = v
		}
	}
	if vars == nil {
		t.Errorf("%s: no secrets template of its host", composePath)
		return
	}
	slices.Sort(asked)
	for _, name := range slices.Compact(asked) {
		value, ok := vars[name]
		switch {
		case !ok:
			t.Errorf("%s reads %s from the host's environment; its secrets template does not list it", composePath, name)
		case value != "":
			t.Errorf("secrets template gives %s a value", name)
		}
	}
}

// TestSecretsTemplatesCoverTheComposeFiles: every variable docker
// compose reads from the host's environment while loading a generated
// compose file is listed in that host's secrets template.
func TestSecretsTemplatesCoverTheComposeFiles(t *testing.T) {
	p, err := schema.Load("testdata/platform")
	if err != nil {
		t.Fatal(err)
	}
	composePorts(t, p)
}
