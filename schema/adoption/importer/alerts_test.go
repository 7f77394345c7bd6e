package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// withAlertsAndLogs adds the fixture's rule file and promtail config.
func withAlertsAndLogs(dir string) handwritten.Inputs {
	in := manaInputs(dir)
	in.Alerts = []string{filepath.Join(dir, "alerts.yml")}
	in.Logs = []string{filepath.Join(dir, "promtail-config.yaml")}
	return in
}

// The fixtures' ServiceDown rule becomes the paging of the services
// whose jobs it named; every other rule is kept as written.
func TestImportAlertRules(t *testing.T) {
	root, rep := importInto(t, withAlertsAndLogs(fixtureDir(t, "before")))
	p, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	var paged []string
	for _, s := range p.Services {
		if s.Alert != nil {
			paged = append(paged, s.Name)
			if s.Alert.Severity != "critical" || s.Alert.For != "1m" || !s.Alert.NoProbes {
				t.Errorf("%s pages %+v, want critical after 1m, scrape target only", s.Name, s.Alert)
			}
		}
	}
	if got := strings.Join(paged, ","); got != "mana-auth,mana-llm,mana-media,mana-search,synapse" {
		t.Errorf("paging services %s", got)
	}
	rules, names := 0, map[string]bool{}
	for _, g := range p.Prometheus.Alerts.Groups {
		for _, r := range g.Rules {
			rules++
			names[r.Alert+r.Record] = true
		}
	}
	if rules != 41 || names["ServiceDown"] || !names["AuthServiceDown"] || !names["WebAppDown"] {
		t.Errorf("%d rules kept (%v), want the 41 others", rules, names)
	}
	report := reportText(rep)
	if !strings.Contains(report, `alerts.yml:5: alert-paging: the rule ServiceDown became the alert: of mana-auth, mana-search, mana-media, mana-llm, synapse, from which it is generated; ".*-backend" matched no job and is dropped`) {
		t.Errorf("report:\n%s", report)
	}
}

// The tier the hand-written relabel rules gave each container becomes
// its service's; the default tier is the host's.
func TestImportPromtail(t *testing.T) {
	root, _ := importInto(t, withAlertsAndLogs(fixtureDir(t, "before")))
	p, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	l := p.Host("macmini").Compose.Logs
	if l == nil || l.Shipper != "promtail" || l.Store != "loki" || l.PushPath != "/loki/api/v1/push" || l.DefaultTier != "other" ||
		l.Client["batchwait"] != "3s" || len(l.PipelineStages) != 5 || l.Server != nil {
		t.Fatalf("logs %+v", l)
	}
	for name, tier := range map[string]string{
		"synapse": "matrix", "mana-matrix-bot": "matrix", "element-web": "matrix", "mana-auth": "auth",
		"mana-credits": "auth", "postgres": "infra", "mana-llm": "service", "grafana": "monitoring", "whopixels": "games",
		// Named by no rule: the default tier, left unset.
		"mana-crawler": "", "stalwart": "",
	} {
		if s := p.Service(name); s == nil || s.Tier != tier {
			t.Errorf("%s: tier %q, want %q", name, s.Tier, tier)
		}
	}
}

// What the source cannot hold or regen would refuse is reported and
// left out, never written.
func TestImportAlertRulesLeavesOutWhatCannotBe(t *testing.T) {
	dir := t.TempDir()
	rules := write(t, dir, "alerts.yml", `groups:
  - name: a
    limit: 10
    rules:
      - alert: GoneDown
        expr: up{job="gone"} == 0
      - alert: NodeDown
        expr: up{job="node"} == 0
      - alert: ServiceDown
        expr: up{job=~"node|mana-auth"} == 0
        labels: {severity: page}
      - record: "bad name"
        expr: up
      - alert: Both
        record: both
        expr: up
      - alert: Later
        expr: up == 0
        keep_firing_for: 5m
  - name: core-down
    rules:
      - alert: X
        expr: vector(1)
`)
	in := manaInputs(fixtureDir(t, "after"))
	in.Alerts = []string{rules}
	root, rep := importInto(t, in)
	p, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, g := range p.Prometheus.Alerts.Groups {
		for _, r := range g.Rules {
			kept = append(kept, g.Name+"/"+r.Alert+r.Record)
		}
	}
	// ServiceDown names node, which is no service's job: it stays a rule.
	if got := strings.Join(kept, ","); got != "a/NodeDown,a/ServiceDown,a/Later,core-down-rules/X" {
		t.Errorf("kept %s", got)
	}
	report := reportText(rep)
	for _, want := range []string{
		`rule GoneDown is not imported: it selects job "gone", which the Prometheus config does not have`,
		`rule bad name is not imported: "bad name" is not a metric name`,
		`rule Both is not imported: a rule names an alert or a record`,
	} {
		if !strings.Contains(report, want) {
			t.Errorf("missing %q in:\n%s", want, report)
		}
	}
	text := readAll(t, filepath.Join(root, "schema"))
	for _, want := range []string{"limit of group a was dropped", "keep_firing_for of rule Later", "group core-down is renamed core-down-rules"} {
		if !strings.Contains(text, want) {
			t.Errorf("no comment %q in the source", want)
		}
	}
}

func TestImportAlertRulesNeedPrometheus(t *testing.T) {
	dir := fixtureDir(t, "before")
	in := handwritten.Inputs{Compose: []string{filepath.Join(dir, "docker-compose.macmini.yml")}, Alerts: []string{filepath.Join(dir, "alerts.yml")}}
	root, rep := importInto(t, in)
	if !strings.Contains(reportText(rep), "give it with --prometheus to import them") {
		t.Errorf("report:\n%s", reportText(rep))
	}
	if p, err := schema.Load(root); err != nil || p.Prometheus != nil {
		t.Errorf("load: %v", err)
	}
}

func TestImportPromtailThatCannotBe(t *testing.T) {
	dir := t.TempDir()
	for name, cfg := range map[string]string{
		"no docker job": "clients: [{url: 'http://loki:3100/loki/api/v1/push'}]\nscrape_configs: [{job_name: x, static_configs: []}]\n",
		"no client":     "scrape_configs: [{job_name: x, docker_sd_configs: [{host: 'unix:///var/run/docker.sock'}]}]\n",
		"unknown store": "clients: [{url: 'http://elsewhere:3100/push'}]\nscrape_configs: [{job_name: x, docker_sd_configs: [{host: 'unix:///var/run/docker.sock'}]}]\n",
	} {
		in := manaInputs(fixtureDir(t, "after"))
		in.Logs = []string{write(t, dir, "promtail.yml", cfg)}
		root, rep := importInto(t, in)
		p, err := schema.Load(root)
		if err != nil {
			t.Fatal(err)
		}
		if p.Host("macmini").Compose.Logs != nil || !strings.Contains(reportText(rep), "the config is not imported") {
			t.Errorf("%s: logs %+v\n%s", name, p.Host("macmini").Compose.Logs, reportText(rep))
		}
	}
}

func reportText(rep Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		b.WriteString(f.String() + "\n")
	}
	return b.String()
}

// write writes a file into dir and returns its path.
func write(t *testing.T, dir, name, data string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
