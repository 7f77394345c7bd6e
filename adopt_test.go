package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"portschema/generators/gentest"

	"go.yaml.in/yaml/v4"
)

// Switching the fixtures' hand-written alert rules and promtail config
// for generated ones changes nothing they did: import before with both,
// regen, and compare.

// importAll imports one commit of the fixtures and regenerates.
func importAll(t *testing.T, root, commit string) {
	t.Helper()
	importFixture(t, root, commit)
	mustRun(t, "-C", root, "regen")
}

type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []rule `yaml:"rules"`
	} `yaml:"groups"`
}

type rule struct {
	Alert       string            `yaml:"alert"`
	Record      string            `yaml:"record"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

func readRules(t *testing.T, path string) []rule {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f ruleFile
	if err := yaml.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	var out []rule
	for _, g := range f.Groups {
		out = append(out, g.Rules...)
	}
	return out
}

// Every hand-written rule comes out as written, but ServiceDown, which
// comes out as one generated rule per job it named, with its for: and
// severity (and the generated annotations).
func TestAdoptedAlertRules(t *testing.T) {
	root := t.TempDir()
	importAll(t, root, "before")
	hand := readRules(t, filepath.Join("testdata", "fixtures", "mana", "before", "alerts.yml"))
	gen := readRules(t, filepath.Join(root, "out", "alerts.yml"))
	down := map[string]rule{}
	var others []rule
	for _, r := range gen {
		if r.Alert == "ServiceDown" && strings.HasPrefix(r.Expr, "up{job=") {
			down[strings.TrimSuffix(strings.TrimPrefix(r.Expr, `up{job="`), `"} == 0`)] = r
		} else {
			others = append(others, r)
		}
	}
	var want []rule
	for _, r := range hand {
		if r.Alert != "ServiceDown" {
			want = append(want, r)
			continue
		}
		for _, job := range []string{"mana-auth", "mana-search", "mana-media", "mana-llm", "synapse"} {
			g, ok := down[job]
			if !ok || g.For != r.For || g.Labels["severity"] != r.Labels["severity"] {
				t.Errorf("job %s: generated %+v, want for %s severity %s", job, g, r.For, r.Labels["severity"])
			}
		}
	}
	if len(down) != 5 {
		t.Errorf("%d generated ServiceDown rules, want one per job of the hand-written one", len(down))
	}
	if !reflect.DeepEqual(others, want) {
		t.Errorf("the kept rules differ from the hand-written ones:\n%v\nwant:\n%v", others, want)
	}
}

// Each container of the generated compose file gets the service,
// container, project and tier labels from the generated promtail config
// that it got from the hand-written one, as Prometheus' relabelling
// (promtool) computes both; the generated config adds host.
func TestAdoptedLogLabels(t *testing.T) {
	promtool := gentest.Promtool(t)
	root := t.TempDir()
	importAll(t, root, "before")
	var compose struct {
		Name     string `yaml:"name"`
		Services map[string]struct {
			ContainerName string `yaml:"container_name"`
		} `yaml:"services"`
	}
	readYAML(t, filepath.Join(root, "out", "docker-compose.macmini.yml"), &compose)
	hand := relabelWith(t, promtool, filepath.Join("testdata", "fixtures", "mana", "before", "promtail-config.yaml"), compose.Name, compose.Services)
	gen := relabelWith(t, promtool, filepath.Join(root, "out", "promtail-macmini.yml"), compose.Name, compose.Services)
	if len(hand) != len(compose.Services) || len(gen) != len(hand) {
		t.Fatalf("%d containers, %d and %d relabelled", len(compose.Services), len(hand), len(gen))
	}
	for name, h := range hand {
		g := gen[name]
		for _, label := range []string{"service", "container", "project", "tier"} {
			if g[label] != h[label] {
				t.Errorf("%s: %s = %q, the hand-written config gave %q", name, label, g[label], h[label])
			}
		}
		if g["host"] != "macmini" {
			t.Errorf("%s: host = %q", name, g["host"])
		}
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

// relabelWith runs the relabel rules of a promtail config on the
// containers as docker discovery lists them, through promtool, and
// returns each container's labels by name.
func relabelWith(t *testing.T, promtool, config, project string, services map[string]struct {
	ContainerName string `yaml:"container_name"`
}) map[string]map[string]string {
	t.Helper()
	var cfg struct {
		ScrapeConfigs []struct {
			RelabelConfigs []map[string]any `yaml:"relabel_configs"`
		} `yaml:"scrape_configs"`
	}
	readYAML(t, config, &cfg)
	var static []map[string]any
	i := 0
	for name, s := range services {
		static = append(static, map[string]any{"targets": []string{fmt.Sprintf("c%d", i)}, "labels": map[string]string{
			"__meta_docker_container_name":                             "/" + s.ContainerName,
			"__meta_docker_container_label_com_docker_compose_service": name,
			"__meta_docker_container_label_com_docker_compose_project": project,
		}})
		i++
	}
	data, err := yaml.Marshal(map[string]any{"scrape_configs": []any{map[string]any{
		"job_name": "containers", "static_configs": static, "relabel_configs": cfg.ScrapeConfigs[0].RelabelConfigs}}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "prometheus.yml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(promtool, "check", "service-discovery", "--timeout=1s", path, "containers").Output()
	if err != nil {
		t.Fatalf("promtool: %v\n%s", err, out)
	}
	var targets []struct {
		Discovered map[string]string `json:"discoveredLabels"`
		Labels     map[string]string `json:"labels"`
	}
	if err := json.Unmarshal(out, &targets); err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]string{}
	for _, tg := range targets {
		got[tg.Discovered["__meta_docker_container_name"]] = tg.Labels
	}
	return got
}
