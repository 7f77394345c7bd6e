package promtail

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"go.yaml.in/yaml/v4"

	"portschema/generators/compose"
	"portschema/generators/gentest"
	"portschema/schema"
)

// container is a container as docker service discovery lists it.
type container struct {
	Name, Service, Project string
}

// composeContainers reads the containers of a host from its generated
// compose file: each service's container_name, and its compose service
// key, which compose puts in the com.docker.compose.service label.
func composeContainers(t *testing.T, p *schema.Platform, host string) []container {
	t.Helper()
	files, err := compose.Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	h := p.Host(host)
	for _, f := range files {
		if f.Path != compose.OutputPath(h) {
			continue
		}
		var doc struct {
			Name     string `yaml:"name"`
			Services map[string]struct {
				ContainerName string `yaml:"container_name"`
			} `yaml:"services"`
		}
		if err := yaml.Unmarshal(f.Data, &doc); err != nil {
			t.Fatal(err)
		}
		var out []container
		for name, s := range doc.Services {
			out = append(out, container{Name: s.ContainerName, Service: name, Project: doc.Name})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
		return out
	}
	t.Fatalf("no compose file for host %s", host)
	return nil
}

// relabelled runs the relabel rules of a generated promtail config on
// the given containers with Prometheus' own relabelling: a scrape job
// whose static targets carry the labels docker discovery gives each
// container, and the generated rules, through `promtool check
// service-discovery`. It returns each container's labels after
// relabelling, by container name.
func relabelled(t *testing.T, promtailConfig []byte, containers []container) map[string]map[string]string {
	t.Helper()
	promtool := gentest.Promtool(t)
	var cfg struct {
		ScrapeConfigs []struct {
			RelabelConfigs []map[string]any `yaml:"relabel_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(promtailConfig, &cfg); err != nil {
		t.Fatal(err)
	}
	var static []map[string]any
	for i, c := range containers {
		static = append(static, map[string]any{
			"targets": []string{fmt.Sprintf("c%d", i)},
			"labels": map[string]string{
				metaContainerName:  "/" + c.Name,
				metaComposeService: c.Service,
				metaComposeProject: c.Project,
			},
		})
	}
	prom := map[string]any{"scrape_configs": []any{map[string]any{
		"job_name":        "containers",
		"static_configs":  static,
		"relabel_configs": cfg.ScrapeConfigs[0].RelabelConfigs,
	}}}
	data, err := yaml.Marshal(prom)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool, "check", "config", filepath.Join(dir, "prometheus.yml")).CombinedOutput(); err != nil {
		t.Fatalf("promtool check config refuses the relabel rules: %v\n%s\n%s", err, out, data)
	}
	// Static targets are discovered at once; the timeout only bounds
	// the wait.
	out, err := exec.Command(promtool, "check", "service-discovery", "--timeout=1s", filepath.Join(dir, "prometheus.yml"), "containers").Output()
	if err != nil {
		t.Fatalf("promtool check service-discovery: %v\n%s", err, out)
	}
	var targets []struct {
		Discovered map[string]string `json:"discoveredLabels"`
		Labels     map[string]string `json:"labels"`
	}
	if err := json.Unmarshal(out, &targets); err != nil {
		t.Fatalf("reading promtool's output: %v\n%s", err, out)
	}
	if len(targets) != len(containers) {
		t.Fatalf("promtool relabelled %d targets, want %d", len(targets), len(containers))
	}
	got := map[string]map[string]string{}
	for _, tg := range targets {
		got[tg.Discovered[metaContainerName][1:]] = tg.Labels
	}
	return got
}

// Each generated container name maps to the tier its service declares
// (or the default tier), to its service, and to its host, as
// Prometheus' relabelling computes it.
func TestEveryContainerGetsItsServiceTierAndHost(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	files := generate(t, p)
	for _, host := range []string{"box", "edge"} {
		h := p.Host(host)
		containers := composeContainers(t, p, host)
		if len(containers) != len(p.Host(host).Services) {
			t.Fatalf("host %s: %d containers for %d services", host, len(containers), len(p.Host(host).Services))
		}
		got := relabelled(t, files[OutputPath(h)], containers)
		for _, c := range containers {
			s := p.Service(c.Service)
			want := map[string]string{"service": s.Name, "container": c.Name, "host": host, "project": h.Compose.Project, "tier": s.Tier}
			if s.Tier == "" {
				want["tier"] = h.Compose.Logs.DefaultTier
			}
			for label, value := range want {
				if got[c.Name][label] != value {
					t.Errorf("host %s: container %s: %s = %q, want %q", host, c.Name, label, got[c.Name][label], value)
				}
			}
		}
	}
}

// A container compose names itself (docker compose run, a scaled
// service) belongs to its service's tier; one of another service of
// the project that the source does not know gets the default tier.
func TestContainersComposeNames(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	files := generate(t, p)
	got := relabelled(t, files["out/promtail-box.yml"], []container{
		{Name: "small-api-run-3f2a9c", Service: "api", Project: "small"},
		{Name: "small-web-2", Service: "web", Project: "small"},
		{Name: "small-adhoc-1", Service: "adhoc", Project: "small"},
		// A service whose name is a prefix of another's is no match.
		{Name: "small-ap-1", Service: "ap", Project: "small"},
	})
	for name, tier := range map[string]string{"small-api-run-3f2a9c": "app", "small-web-2": "app", "small-adhoc-1": "other", "small-ap-1": "other"} {
		if got[name]["tier"] != tier {
			t.Errorf("%s: tier %q, want %q", name, got[name]["tier"], tier)
		}
	}
}

// The same for this project's own platform: every container of the
// compose file gets its service's tier.
func TestProjectContainersGetTheirTier(t *testing.T) {
	p, err := schema.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	files := generate(t, p)
	for _, h := range p.Hosts {
		if h.Compose == nil || h.Compose.Logs == nil {
			continue
		}
		containers := composeContainers(t, p, h.Name)
		got := relabelled(t, files[OutputPath(h)], containers)
		for _, c := range containers {
			want := p.Service(c.Service).Tier
			if want == "" {
				want = h.Compose.Logs.DefaultTier
			}
			if got[c.Name]["tier"] != want || got[c.Name]["service"] != c.Service {
				t.Errorf("%s: tier %q service %q, want %q %q", c.Name, got[c.Name]["tier"], got[c.Name]["service"], want, c.Service)
			}
		}
	}
}
