package prometheus

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"portschema/generators/gentest"
	"portschema/schema"
)

// promtoolCheck proves a prometheus.yml valid with Prometheus' own
// checker, in two runs:
//
//  1. the exact bytes, `promtool check config --syntax-only`: everything
//     but the files the config refers to;
//  2. `promtool check config` in full, which also requires every
//     rule_files entry to exist relative to the config file. The rule
//     files live on the Prometheus machine, not here, so empty ones
//     (`groups: []`) are written beside the config; an absolute entry
//     (/etc/prometheus/alerts.yml) cannot be created, so in this run
//     only, and only there, the entry is moved below the temporary
//     directory. Nothing else of the file is changed.
func promtoolCheck(t *testing.T, promtool string, data []byte) error {
	t.Helper()
	dir := t.TempDir()
	run := func(args ...string) error {
		cmd := exec.Command(promtool, append([]string{"check", "config"}, args...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("promtool check config %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run("--syntax-only", "prometheus.yml"); err != nil {
		return err
	}
	full, err := withLocalRuleFiles(dir, data)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "full.yml"), full, 0o644); err != nil {
		t.Fatal(err)
	}
	return run("full.yml")
}

// withLocalRuleFiles writes an empty rule file for every rule_files
// entry below dir and returns the config with absolute entries moved
// there; a glob is left alone (matching nothing is valid).
func withLocalRuleFiles(dir string, data []byte) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("parsing generated config: %w", err)
	}
	if len(doc.Content) == 0 {
		return data, nil
	}
	root := doc.Content[0]
	changed := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "rule_files" {
			continue
		}
		for _, entry := range root.Content[i+1].Content {
			if strings.ContainsAny(entry.Value, "*?[") {
				continue
			}
			local := entry.Value
			if filepath.IsAbs(local) {
				local = filepath.Join("rules-from-abs", local)
				entry.Value = local
				changed = true
			}
			path := filepath.Join(dir, local)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return nil, err
			}
			if err := os.WriteFile(path, []byte("groups: []\n"), 0o644); err != nil {
				return nil, err
			}
		}
	}
	if !changed {
		return data, nil
	}
	return yaml.Marshal(&doc)
}

func TestPromtoolAcceptsGeneratedConfig(t *testing.T) {
	promtool := gentest.Promtool(t)
	for _, vantage := range []schema.VantageKind{schema.InNetwork, schema.OnHost} {
		p := gentest.Load(t, "testdata/small")
		p.Prometheus.Vantage = vantage
		if vantage == schema.OnHost {
			p.Service("internal").Metrics = nil
			p.Service("blackbox-exporter").Publish = true
		}
		if err := promtoolCheck(t, promtool, generate(t, p)); err != nil {
			t.Errorf("%s vantage: %v", vantage, err)
		}
	}
}

func TestPromtoolAcceptsAbsoluteRuleFiles(t *testing.T) {
	promtool := gentest.Promtool(t)
	p := gentest.Load(t, "testdata/small")
	p.Prometheus.RuleFiles = []string{"/etc/prometheus/alerts.yml", "rules/*.yml"}
	if err := promtoolCheck(t, promtool, generate(t, p)); err != nil {
		t.Error(err)
	}
}

// The checker must be able to fail: each of these is a config that
// Prometheus refuses.
func TestPromtoolCheckRejectsBadConfigs(t *testing.T) {
	promtool := gentest.Promtool(t)
	bad := map[string]string{
		"duplicate job": "scrape_configs:\n  - job_name: a\n  - job_name: a\n",
		"url as target": "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['http://a:1/metrics']\n",
		"unknown key":   "scrape_configs:\n  - job_name: a\n    static_config: []\n",
		"bad label":     "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['a:1']\n        labels: {bad-name: x}\n",
		"bad interval":  "global:\n  scrape_interval: soon\n",
	}
	for name, cfg := range bad {
		if err := promtoolCheck(t, promtool, []byte(cfg)); err == nil {
			t.Errorf("%s: promtool accepted\n%s", name, cfg)
		}
	}
}
