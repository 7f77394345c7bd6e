package alerts

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"portschema/generators/gentest"
	"portschema/schema"
)

// promtool runs promtool in dir with the files given, and returns its
// output and error.
func promtool(t *testing.T, dir string, files map[string]string, args ...string) (string, error) {
	t.Helper()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(gentest.Promtool(t), args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestPromtoolChecksRules(t *testing.T) {
	gentest.Promtool(t)
	rules := string(generate(t, gentest.Load(t, "testdata/small")))
	// --lint-fatal: no two rules share a name and labels either.
	if out, err := promtool(t, t.TempDir(), map[string]string{"alerts.yml": rules}, "check", "rules", "--lint-fatal", "alerts.yml"); err != nil {
		t.Errorf("promtool check rules: %v\n%s\n%s", err, out, rules)
	}
}

// The checker must be able to fail: Prometheus refuses these.
func TestPromtoolRejectsBadRules(t *testing.T) {
	gentest.Promtool(t)
	bad := map[string]string{
		"bad expr":      "groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up{ == 0\n",
		"for on record": "groups:\n  - name: a\n    rules:\n      - record: a\n        expr: up\n        for: 1m\n",
		"no name":       "groups:\n  - name: a\n    rules:\n      - expr: up\n",
		"dup group":     "groups:\n  - name: a\n    rules: []\n  - name: a\n    rules: []\n",
		"dup rule":      "groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: up == 0\n      - alert: A\n        expr: up == 1\n",
	}
	for name, rules := range bad {
		if _, err := promtool(t, t.TempDir(), map[string]string{"alerts.yml": rules}, "check", "rules", "--lint-fatal", "alerts.yml"); err == nil {
			t.Errorf("%s: promtool accepted\n%s", name, rules)
		}
	}
}

// unitTests are promtool rule tests of the small platform's rules,
// written from what its source says, not from the generator: api pages
// critical after 15s (its own alert:), sync after 30s (tier core), stt
// warns after 5m (tier gpu) on its scrape and its probe, web warns
// after 2m (the default), worker never (alert: false).
const unitTests = `rule_files: [alerts.yml]
evaluation_interval: 5s
tests:
  - name: a scrape target down fires after for
    interval: 5s
    input_series:
      - series: 'up{job="api-gateway",service="api",host="box",tier="core",instance="api:3016"}'
        values: '1 1 0x20'
      - series: 'up{job="sync",service="sync",host="box",tier="core",instance="sync:8080"}'
        values: '1 1 0x20'
      - series: 'up{job="worker",service="worker",host="box",tier="core",instance="worker:3011"}'
        values: '0x22'
    alert_rule_test:
      - eval_time: 20s
        alertname: ServiceDown
        exp_alerts: []
      - eval_time: 25s
        alertname: ServiceDown
        exp_alerts:
          - exp_labels: {severity: critical, job: api-gateway, service: api, host: box, tier: core, instance: "api:3016"}
            exp_annotations:
              summary: Service api is down
              description: "api on box (job api-gateway, target api:3016) has been down for more than 15s."
      - eval_time: 40s
        alertname: ServiceDown
        exp_alerts:
          - exp_labels: {severity: critical, job: api-gateway, service: api, host: box, tier: core, instance: "api:3016"}
            exp_annotations:
              summary: Service api is down
              description: "api on box (job api-gateway, target api:3016) has been down for more than 15s."
          - exp_labels: {severity: critical, job: sync, service: sync, host: box, tier: core, instance: "sync:8080"}
            exp_annotations:
              summary: Service sync is down
              description: "sync on box (job sync, target sync:8080) has been down for more than 30s."
  - name: a failed probe fires after for
    interval: 30s
    input_series:
      - series: 'probe_success{job="blackbox-api",service="stt",host="gpu",tier="gpu",instance="https://stt.example.org/health"}'
        values: '1 1 0x20'
      - series: 'probe_success{job="blackbox-web",service="web",host="box",instance="https://example.org"}'
        values: '1 1 0x20'
    alert_rule_test:
      - eval_time: 5m30s
        alertname: ProbeFailed
        exp_alerts:
          - exp_labels: {severity: warning, job: blackbox-web, service: web, host: box, instance: "https://example.org"}
            exp_annotations:
              summary: https://example.org does not answer
              description: "Probe blackbox-web of web (https://example.org) has failed for more than 2m."
      - eval_time: 6m
        alertname: ProbeFailed
        exp_alerts:
          - exp_labels: {severity: warning, job: blackbox-api, service: stt, host: gpu, tier: gpu, instance: "https://stt.example.org/health"}
            exp_annotations:
              summary: https://stt.example.org/health does not answer
              description: "Probe blackbox-api of stt (https://stt.example.org/health) has failed for more than 5m."
          - exp_labels: {severity: warning, job: blackbox-web, service: web, host: box, instance: "https://example.org"}
            exp_annotations:
              summary: https://example.org does not answer
              description: "Probe blackbox-web of web (https://example.org) has failed for more than 2m."
`

func TestPromtoolUnitTests(t *testing.T) {
	gentest.Promtool(t)
	rules := string(generate(t, gentest.Load(t, "testdata/small")))
	out, err := promtool(t, t.TempDir(), map[string]string{"alerts.yml": rules, "tests.yml": unitTests}, "test", "rules", "tests.yml")
	if err != nil {
		t.Errorf("promtool test rules: %v\n%s", err, out)
	}
}

// The unit tests must be able to fail: with api's for: doubled, its
// alert is not firing yet at 25s.
func TestPromtoolUnitTestsCanFail(t *testing.T) {
	gentest.Promtool(t)
	p := gentest.Load(t, "testdata/small")
	p.Service("api").Alert.For = "30s"
	out, err := promtool(t, t.TempDir(), map[string]string{"alerts.yml": string(generate(t, p)), "tests.yml": unitTests}, "test", "rules", "tests.yml")
	if err == nil {
		t.Errorf("promtool test rules passed rules that fire late:\n%s", out)
	}
}

// A service removed from the source leaves no rule: its target down
// for an hour fires nothing, while the rest still fires.
func TestRemovedServiceHasNoRule(t *testing.T) {
	gentest.Promtool(t)
	src, err := os.ReadFile("testdata/small/schema/platform.cue")
	if err != nil {
		t.Fatal(err)
	}
	block := "\tsync: {\n\t\thost: \"box\", port: 3010, container_port: 8080, range: \"core\", tier: \"core\"\n\t\tmetrics: {}\n\t}\n"
	if !strings.Contains(string(src), block) {
		t.Fatal("the fixture no longer declares sync as this test expects")
	}
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "schema"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "schema", "platform.cue"), []byte(strings.Replace(string(src), block, "", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	rules := string(generate(t, p))
	if strings.Contains(rules, "sync") {
		t.Errorf("the rules still name sync:\n%s", rules)
	}
	tests := `rule_files: [alerts.yml]
evaluation_interval: 15s
tests:
  - interval: 15s
    input_series:
      - series: 'up{job="sync",service="sync",host="box",tier="core",instance="sync:8080"}'
        values: '0x240'
      - series: 'up{job="api-gateway",service="api",host="box",tier="core",instance="api:3016"}'
        values: '0x240'
    alert_rule_test:
`
	for _, at := range []string{"1m", "10m", "1h"} {
		tests += fmt.Sprintf(`      - eval_time: %s
        alertname: ServiceDown
        exp_alerts:
          - exp_labels: {severity: critical, job: api-gateway, service: api, host: box, tier: core, instance: "api:3016"}
            exp_annotations:
              summary: Service api is down
              description: "api on box (job api-gateway, target api:3016) has been down for more than 15s."
`, at)
	}
	out, err := promtool(t, t.TempDir(), map[string]string{"alerts.yml": rules, "tests.yml": tests}, "test", "rules", "tests.yml")
	if err != nil {
		t.Errorf("promtool test rules: %v\n%s", err, out)
	}
}

// This project's own rules (out/alerts.yml), generated and hand-written
// alike, pass promtool with its lint.
func TestPromtoolChecksProjectRules(t *testing.T) {
	gentest.Promtool(t)
	p, err := schema.Load("../..")
	if err != nil {
		t.Fatal(err)
	}
	rules := string(generate(t, p))
	if out, err := promtool(t, t.TempDir(), map[string]string{"alerts.yml": rules}, "check", "rules", "--lint-fatal", "alerts.yml"); err != nil {
		t.Errorf("promtool check rules: %v\n%s", err, out)
	}
}
