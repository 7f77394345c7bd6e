package handwritten

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestReadAlertRulesFixture(t *testing.T) {
	f, err := ReadAlerts(filepath.Join(fixtureDir(t, "before"), "alerts.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	rules := 0
	for _, g := range f.Groups {
		names = append(names, g.Name)
		rules += len(g.Rules)
	}
	if got := strings.Join(names, ","); got != "service_alerts,infrastructure_alerts,database_alerts,container_alerts,auth_service_alerts,uptime_alerts,llm_alerts" || rules != 42 {
		t.Errorf("groups %s, %d rules", got, rules)
	}
	down := f.Groups[0].Rules[0]
	if down.Alert != "ServiceDown" || down.For != "1m" || down.Labels["severity"] != "critical" ||
		!strings.Contains(down.Expr, "synapse") || down.Pos.Line != 5 || down.ExprPos.Line != 6 {
		t.Errorf("first rule %+v", down)
	}
	if r := f.Groups[0].Rules[1]; !strings.HasPrefix(r.Expr, "sum(rate(") || !strings.HasSuffix(r.Expr, "> 0.05\n") {
		t.Errorf("a block scalar expression is read as written: %q", r.Expr)
	}
}

func TestReadPromtailFixture(t *testing.T) {
	f, err := ReadLogs(filepath.Join(fixtureDir(t, "before"), "promtail-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Jobs) != 1 {
		t.Fatalf("%d jobs", len(f.Jobs))
	}
	j := f.Jobs[0]
	if j.Name != "docker" || len(j.DockerSD) != 1 || j.DockerSD[0].Host != "unix:///var/run/docker.sock" ||
		j.DockerSD[0].RefreshInterval != "30s" || len(j.DockerSD[0].Filters) != 1 ||
		j.DockerSD[0].Filters[0].Name != "label" || j.DockerSD[0].Filters[0].Values[0] != "com.docker.compose.project" {
		t.Errorf("job %+v", j)
	}
	if len(j.Relabels) != 12 {
		t.Fatalf("%d relabel rules", len(j.Relabels))
	}
	matrix := j.Relabels[8]
	if matrix.Regex != "mana-matrix-.*" || matrix.Replacement != "matrix" || matrix.TargetLabel != "tier" || matrix.Pos.Line != 64 {
		t.Errorf("the matrix rule %+v", matrix)
	}
	raw, err := f.Ordered()
	if err != nil || ValueOf(raw, "pipeline_stages") == nil && ValueOf(FieldsOf(ValueOf(raw, "scrape_configs").([]any)[0]), "pipeline_stages") == nil {
		t.Errorf("ordered: %v", err)
	}
}

// Hostile or malformed input is an error naming the file, never a panic.
func TestAlertRulesAndPromtailRejectBadInput(t *testing.T) {
	for name, data := range map[string]string{
		"not a mapping": "- a\n- b\n",
		"duplicate key": "groups: []\ngroups: []\n",
		"bad yaml":      "groups: [\n",
	} {
		if _, err := ParseAlerts("in.yml", []byte(data)); err == nil || !strings.Contains(err.Error(), "in.yml") {
			t.Errorf("alert rules, %s: %v", name, err)
		}
		if _, err := ParseLogs("in.yml", []byte(data)); err == nil || !strings.Contains(err.Error(), "in.yml") {
			t.Errorf("promtail, %s: %v", name, err)
		}
	}
	// Odd but valid shapes read as nothing.
	for _, data := range []string{"", "groups: 3\n", "groups: [3, {rules: x}]\n", "scrape_configs: {a: 1}\n"} {
		if _, err := ParseAlerts("in.yml", []byte(data)); err != nil {
			t.Errorf("alert rules %q: %v", data, err)
		}
		if _, err := ParseLogs("in.yml", []byte(data)); err != nil {
			t.Errorf("promtail %q: %v", data, err)
		}
	}
}
