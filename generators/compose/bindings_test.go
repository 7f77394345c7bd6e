package compose

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"portschema/schema"
)

// bindingsOf renders a service's published ports as compose-go reads
// them back: "hostIP|published:target/protocol".
func bindingsOf(t *testing.T, service string) []string {
	t.Helper()
	project := labWith(t, "*")
	var out []string
	for _, p := range project.Services[service].Ports {
		out = append(out, fmt.Sprintf("%s|%s:%d/%s", p.HostIP, p.Published, p.Target, p.Protocol))
	}
	slices.Sort(out)
	return out
}

// A port on several host IPs is published on each, with its protocol.
func TestHostIPsArePublishedOncePerAddress(t *testing.T) {
	want := []string{
		"127.0.0.1|9200:9200/tcp",
		"::1|9300:9300/udp",
		"100.64.0.7|9200:9200/tcp",
	}
	slices.Sort(want)
	if got := bindingsOf(t, "search"); !slices.Equal(got, want) {
		t.Errorf("search: ports %q, want %q", got, want)
	}
	if got := bindingsOf(t, "search-lan"); !slices.Equal(got, []string{"10.0.0.9|9200:9200/tcp"}) {
		t.Errorf("search-lan: ports %q", got)
	}
}

// Named profiles replace not-deployed: `docker compose --profile
// observability up` starts the service, plain `up` does not.
func TestProfilesByName(t *testing.T) {
	for _, tc := range []struct {
		profiles []string
		search   bool
		worker   bool
	}{
		{nil, false, false},
		{[]string{"observability"}, true, false},
		{[]string{"search"}, true, false},
		{[]string{NotDeployedProfile}, false, true},
	} {
		project := labWith(t, tc.profiles...)
		_, search := project.Services["search"]
		_, worker := project.Services["worker"]
		if search != tc.search || worker != tc.worker {
			t.Errorf("profiles %v: search active %v, worker active %v; want %v, %v", tc.profiles, search, worker, tc.search, tc.worker)
		}
	}
}

// Env names compose accepts but no shell does reach the container.
func TestEnvNamesComposeAccepts(t *testing.T) {
	project := labWith(t, "*")
	if v := envOf(t, project, "search")["discovery.type"]; v != "single-node" {
		t.Errorf("search: discovery.type = %q, want single-node", v)
	}
}

// Two ports collide per host, port, protocol and address; an address
// of every interface (none, 0.0.0.0, ::) overlaps each single one.
func TestPortCollisionsPerAddress(t *testing.T) {
	for _, tc := range []struct {
		a, b    string
		collide bool
	}{
		{`host_ips: ["127.0.0.1"]`, `host_ips: ["10.0.0.9"]`, false},
		{`host_ips: ["127.0.0.1"]`, `host_ips: ["127.0.0.1"]`, true},
		{`host_ips: ["127.0.0.1"]`, ``, true},
		{`host_ips: ["0.0.0.0"]`, `host_ips: ["10.0.0.9"]`, true},
		{`host_ips: ["::"]`, `host_ips: ["10.0.0.9"]`, true},
		{`host_ips: ["${A}"]`, `host_ips: ["${B}"]`, false},
		{`protocol: "udp"`, ``, false},
		{`host_ips: ["127.0.0.1", "10.0.0.8"]`, `host_ips: ["10.0.0.8"]`, true},
	} {
		src := `
services: a: {host: "nas", port: 7000, range: "infra", compose: image: "a"}
services: a: {` + tc.a + `}
services: b: {host: "nas", port: 7000, range: "infra", compose: image: "b"}
services: b: {` + tc.b + `}
`
		diags := schemaErrors(t, src)
		if collided := len(diags) > 0; collided != tc.collide {
			t.Errorf("a {%s}, b {%s}: collision %v, want %v (%q)", tc.a, tc.b, collided, tc.collide, diags)
		}
	}
}

// labWith loads the lab's compose file as docker compose does, on a
// host whose TAILSCALE_IP is 100.64.0.7, with the given profiles.
func labWith(t *testing.T, profiles ...string) *types.Project {
	t.Helper()
	data := generate(t, loadPlatform(t, labRoot))["out/docker-compose.nas.yml"]
	details := types.ConfigDetails{
		WorkingDir:  t.TempDir(),
		ConfigFiles: []types.ConfigFile{{Filename: "nas.yml", Content: data}},
		Environment: types.Mapping{"TAILSCALE_IP": "100.64.0.7"},
	}
	project, err := loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.Interpolate.LookupValue = func(key string) (string, bool) {
			if key == "TAILSCALE_IP" {
				return "100.64.0.7", true
			}
			return secretValue(key), true
		}
		o.ResolvePaths = false
		o.SkipResolveEnvironment = true
		o.Profiles = profiles
	})
	if err != nil {
		t.Fatal(err)
	}
	return project
}

// schemaErrors loads the lab with extra services and returns the
// errors of the source.
func schemaErrors(t *testing.T, extra string) []string {
	t.Helper()
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(labRoot)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "schema", "extra.cue"), []byte("package platform\n"+extra), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := schema.Load(root)
	if err == nil {
		return nil
	}
	var ds schema.Diagnostics
	if !errors.As(err, &ds) {
		t.Fatalf("load: %v", err)
	}
	var out []string
	for _, d := range ds {
		out = append(out, d.Message)
	}
	return out
}
