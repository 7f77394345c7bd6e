package prometheus

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"portschema/generators/gentest"
	"portschema/schema"
)

// clusterSource runs Prometheus in a cluster that also runs api; db
// stays on a compose host.
const clusterSource = `package platform

platform: name: "demo"
ranges: web: {from: 8000, to: 8999, purpose: "web"}
hosts: {
	k3s: {title: "cluster", kind: "cluster", address: "192.0.2.5", cluster: namespace: "{platform}-{range}"}
	box: {title: "compose host", kind: "compose", address: "192.0.2.1", compose: project: "box"}
}
services: {
	vm:  {host: "k3s", port: 8428, range: "web", compose: image: "victoriametrics/victoria-metrics:v1.99.0"}
	api: {host: "k3s", port: 8080, range: "web", tier: "front",
		ports: metrics: {port: 8081, container_port: 9100, publish: false}
		metrics: {port: "metrics", interval: "30s", labels: team: "a$1"}
		compose: image: "api:1"}
	db: {host: "box", port: 8432, range: "web", metrics: {}, compose: image: "db:1"}
}
prometheus: host: "k3s"
`

func loadSource(t *testing.T, src string) *schema.Platform {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "schema"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "schema", "platform.cue"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := schema.Load(root)
	if err != nil {
		t.Fatalf("loading: %v", err)
	}
	return p
}

// TestClusterServicesAreFoundThroughDNS: Prometheus in a cluster finds
// a cluster service's pods through its headless Service, at the
// container port of its metrics port, and labels them as static
// targets are; a service outside the cluster keeps a static target,
// reached from inside the cluster.
func TestClusterServicesAreFoundThroughDNS(t *testing.T) {
	data := generate(t, loadSource(t, clusterSource))
	if err := promtoolCheck(t, gentest.Promtool(t), data); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ScrapeConfigs []struct {
			JobName      string `yaml:"job_name"`
			DNSSDConfigs []struct {
				Names []string `yaml:"names"`
				Type  string   `yaml:"type"`
				Port  int      `yaml:"port"`
			} `yaml:"dns_sd_configs"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
			RelabelConfigs []struct {
				TargetLabel string `yaml:"target_label"`
				Replacement string `yaml:"replacement"`
			} `yaml:"relabel_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	jobs := map[string]int{}
	for i, j := range doc.ScrapeConfigs {
		jobs[j.JobName] = i
	}
	api := doc.ScrapeConfigs[jobs["api"]]
	if len(api.DNSSDConfigs) != 1 || len(api.StaticConfigs) != 0 {
		t.Fatalf("api job = %+v, want one DNS discovery", api)
	}
	sd := api.DNSSDConfigs[0]
	if strings.Join(sd.Names, ",") != "api-pods.demo-web.svc.cluster.local" || sd.Type != "A" || sd.Port != 9100 {
		t.Errorf("api discovery = %+v, want the A records of api-pods.demo-web.svc.cluster.local at port 9100", sd)
	}
	labels := map[string]string{}
	for _, r := range api.RelabelConfigs {
		labels[r.TargetLabel] = r.Replacement
	}
	// A replacement's $ names a capture group: the label's $ is doubled.
	want := map[string]string{"service": "api", "host": "k3s", "tier": "front", "range": "web", "team": "a$$1"}
	for k, v := range want {
		if labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, labels[k], v)
		}
	}
	db := doc.ScrapeConfigs[jobs["db"]]
	if len(db.StaticConfigs) != 1 || db.StaticConfigs[0].Targets[0] != "192.0.2.1:8432" || len(db.DNSSDConfigs) != 0 {
		t.Errorf("db job = %+v, want the static target 192.0.2.1:8432", db)
	}
}

// manaAsCluster copies the project's own platform with its compose host
// turned into a cluster: its kind, and its compose block given way to
// cluster settings.
func manaAsCluster(t *testing.T) *schema.Platform {
	t.Helper()
	root := t.TempDir()
	entries, err := os.ReadDir("../../schema")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, "schema"), 0o755); err != nil {
		t.Fatal(err)
	}
	composeBlock := regexp.MustCompile(`(?s)\n\tcompose: \{\n.*?\n\t\}\n`)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join("../../schema", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "hosts.cue" {
			text := strings.Replace(string(data), `kind:  "compose"`, `kind:  "cluster"`, 1)
			data = []byte(composeBlock.ReplaceAllString(text, "\n\tcluster: expose: \"loadbalancer\"\n"))
		}
		if err := os.WriteFile(filepath.Join(root, "schema", e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := schema.Load(root)
	if err != nil {
		t.Fatalf("loading the platform as a cluster: %v", err)
	}
	if !p.Host("macmini").IsCluster() {
		t.Fatal("macmini is not a cluster")
	}
	return p
}

// TestManaAsClusterScrapesInTheCluster: with the Mac Mini a cluster,
// Prometheus (which runs there) finds its services' pods through DNS,
// reaches the probe exporter at its Service, and still scrapes the GPU
// box at its LAN address; promtool accepts the file.
func TestManaAsClusterScrapesInTheCluster(t *testing.T) {
	data := generate(t, manaAsCluster(t))
	if err := promtoolCheck(t, gentest.Promtool(t), data); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"- job_name: mana-auth\n    scrape_interval: 30s\n    metrics_path: /metrics\n    dns_sd_configs:\n      - names: [mana-auth-pods.mana.svc.cluster.local]\n        type: A\n        port: 3001\n",
		"replacement: blackbox-exporter.mana.svc.cluster.local:9115",
		"      - targets:\n          - 192.168.178.11:3020\n",
	} {
		if !strings.Contains(string(data), want) {
			t.Errorf("prometheus.yml has no %q", want)
		}
	}
	if strings.Contains(string(data), "- mana-auth:3001\n") {
		t.Error("mana-auth is still scraped at its compose name")
	}
}
