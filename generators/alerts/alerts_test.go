package alerts

import (
	"bytes"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"

	"portschema/generators/gentest"
	"portschema/generators/output"
	"portschema/generators/output/golden"
	"portschema/generators/prepared"
	"portschema/generators/prometheus"
	"portschema/schema"
)

// generate returns the rule file's bytes.
func generate(t *testing.T, p *schema.Platform) []byte {
	t.Helper()
	files, err := Generate(p)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if len(files) != 1 {
		t.Fatalf("Generate returned %d files, want 1", len(files))
	}
	return files[0].Data
}

func TestGenerateGolden(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	files, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Path != DefaultOutput {
		t.Fatalf("files = %v, want one at %s", files, DefaultOutput)
	}
	if !bytes.HasPrefix(files[0].Data, []byte(output.Header(output.HashComment))) {
		t.Errorf("the header is not the first line")
	}
	golden.Check(t, "testdata/small/alerts.golden.yml", files[0].Data)
}

func TestGenerateIsDeterministic(t *testing.T) {
	first := generate(t, gentest.Load(t, "testdata/small"))
	for range 10 {
		if again := generate(t, gentest.Load(t, "testdata/small")); !bytes.Equal(first, again) {
			t.Fatalf("two runs differ:\n%s\n---\n%s", first, again)
		}
	}
}

// parsedRules is the rule file as Prometheus reads it.
type parsedRules struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Alert  string            `yaml:"alert"`
			Record string            `yaml:"record"`
			Expr   string            `yaml:"expr"`
			For    string            `yaml:"for"`
			Labels map[string]string `yaml:"labels"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

func parseRules(t *testing.T, data []byte) parsedRules {
	t.Helper()
	var f parsedRules
	if err := yaml.Unmarshal(data, &f); err != nil {
		t.Fatalf("parsing the rule file: %v\n%s", err, data)
	}
	return f
}

// Every job a generated rule selects is a job of the generated
// prometheus.yml, read back from that file's own bytes.
func TestSelectorsNameOnlyGeneratedJobs(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	files, err := prepared.Generate(prometheus.Prepare, p)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		ScrapeConfigs []struct {
			JobName string `yaml:"job_name"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(files[0].Data, &cfg); err != nil {
		t.Fatal(err)
	}
	jobs := map[string]bool{}
	for _, j := range cfg.ScrapeConfigs {
		jobs[j.JobName] = true
	}
	// The rule file itself, checked as vet checks a hand-written one.
	rules := generate(t, p)
	p.Outputs.AlertRules = []string{"alerts.yml"}
	ds, err := prepared.Check(prometheus.Prepare, p, func(string) ([]byte, error) { return rules, nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) > 0 {
		t.Errorf("the generated rules select jobs prometheus.yml lacks:\n%v", ds)
	}
	selected := 0
	for _, g := range parseRules(t, rules).Groups {
		for _, r := range g.Rules {
			for _, job := range jobsIn(r.Expr) {
				selected++
				if !jobs[job] {
					t.Errorf("%s selects job %q, not in prometheus.yml", r.Alert, job)
				}
			}
		}
	}
	if selected < 5 {
		t.Errorf("only %d jobs selected; the check proves nothing", selected)
	}
}

// jobsIn returns the jobs a generated matcher names: job="x" or
// job=~"a|b".
func jobsIn(expr string) []string {
	_, rest, ok := strings.Cut(expr, "job=")
	if !ok {
		return nil
	}
	rest = strings.TrimPrefix(rest, "~")
	value := rest[1 : 1+strings.Index(rest[1:], `"`)]
	return strings.Split(value, "|")
}

// Which services page follows the source: alert: over the tier over
// the default, alert: false never, and nothing for a service that is
// not deployed.
func TestPaging(t *testing.T) {
	f := parseRules(t, generate(t, gentest.Load(t, "testdata/small")))
	type key struct{ group, alert, expr, for_, severity string }
	var got []key
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			got = append(got, key{g.Name, r.Alert + r.Record, r.Expr, r.For, r.Labels["severity"]})
		}
	}
	want := []key{
		{"core-down", ServiceDown, `up{job="api-gateway"} == 0`, "15s", "critical"},
		{"core-down", ServiceDown, `up{job="sync"} == 0`, "30s", "critical"},
		{"core-down", ProbeFailed, `probe_success{job="blackbox-api",service="api"} == 0`, "15s", "critical"},
		{"gpu-down", ServiceDown, `up{job="stt"} == 0`, "5m", "warning"},
		{"gpu-down", ProbeFailed, `probe_success{job="blackbox-api",service="stt"} == 0`, "5m", "warning"},
		{"down", ProbeFailed, `probe_success{job="blackbox-web",service="web"} == 0`, "2m", "warning"},
		{"api", "APIErrors", "sum(rate(http_requests_total{job=\"api-gateway\",status=~\"5..\"}[5m]))\n  / sum(rate(http_requests_total{job=\"api-gateway\"}[5m])) > 0.05", "5m", "warning"},
		{"api", "job:http_requests:rate5m", "sum by (job) (rate(http_requests_total[5m]))", "", ""},
	}
	if len(got) != len(want) {
		t.Fatalf("rules:\n%v\nwant:\n%v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("rule %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestNoAlertsBlockNoFile(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	p.Prometheus.Alerts = nil
	p.Service("api").Alert = nil
	p.Service("worker").Alert = nil
	files, err := Generate(p)
	if err != nil || len(files) != 0 {
		t.Fatalf("Generate = %v, %v; want nothing", files, err)
	}
}

func TestCheck(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	a := p.Prometheus.Alerts
	a.Tiers["gone"] = &schema.Paging{Severity: "critical"}
	a.Groups = append(a.Groups, schema.RuleGroup{Name: "core-down", Rules: []schema.Rule{
		{Alert: "SynapseDown", Expr: `up{job="synapse"} == 0`},
		{Alert: "Both", Record: "both", Expr: "1"},
		{Expr: "1"},
		{Record: "r", Expr: "1", For: "1m"},
		{Alert: "Pattern", Expr: `up{job=~".*-backend"} == 0`},
	}}, schema.RuleGroup{Name: "api", Rules: []schema.Rule{{Alert: "X", Expr: "1"}}})
	p.Service("web").Alert = &schema.Paging{Severity: "critical"}
	p.Service("web").Probes = nil
	ds := checkAll(t, p)
	text := ds.Error()
	for _, want := range []string{
		`group "core-down" is the name of a generated group`,
		`group "api" is defined twice`,
		`alert SynapseDown: selects job "synapse", which is not in out/prometheus.yml`,
		`alert Both: a rule is an alert or a record, not both`,
		`rule 2 of group "core-down" needs alert: (a name) or record: (a metric)`,
		`record r: for: applies to alerts only`,
		`warning: alert Pattern: job=~".*-backend": pattern ".*-backend" matches no job`,
		`web: alert: is set, but nothing watches the service`,
		`warning: prometheus: alerts: tier gone has no service; remove its entry`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	// Errors of the source are at the user's CUE.
	for _, d := range ds {
		if !strings.HasPrefix(d.Pos.File, "schema/platform.cue") && !(d.Pos == schema.Pos{}) {
			t.Errorf("%v: not at the source", d)
		}
	}
}

// checkAll runs Check, which reads no file.
func checkAll(t *testing.T, p *schema.Platform) schema.Diagnostics {
	t.Helper()
	ds, err := Check(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestAlertWithoutAlertsBlock(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	p.Prometheus.Alerts = nil
	ds := checkAll(t, p)
	if len(ds) != 2 || !strings.Contains(ds[0].String(), "schema/platform.cue:") ||
		!strings.Contains(ds.Error(), "api: alert: is set, but the source has no prometheus: alerts: block") {
		t.Errorf("Check = %v", ds)
	}
}

// probes: false pages on the scrape target only.
func TestPagingWithoutProbes(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	p.Service("api").Alert.NoProbes = true
	rules := string(generate(t, p))
	if strings.Contains(rules, `service="api"`) || !strings.Contains(rules, `up{job="api-gateway"} == 0`) {
		t.Errorf("api pages on its probe, or not on its target:\n%s", rules)
	}
}
