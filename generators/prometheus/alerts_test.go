package prometheus

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"portschema/generators/gentest"
	"portschema/generators/output"
	"portschema/generators/prepared"
	"portschema/schema"
)

// readFrom reads rule files relative to a project root, as vet does.
func readFrom(root string) output.Read {
	return func(path string) ([]byte, error) { return os.ReadFile(filepath.Join(root, path)) }
}

func TestAlertRulesReportsJobsTheConfigLacks(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	ds, err := prepared.Check(Prepare, p, readFrom("testdata/small"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`alerts.yml:5:18: alert ServiceDown: job=~"api-gateway|sync|.*-backend|gone": alternative "gone" is not a job in out/prometheus.yml`,
		`alerts.yml:5:18: warning: alert ServiceDown: job=~"api-gateway|sync|.*-backend|gone": pattern ".*-backend" matches no job in out/prometheus.yml`,
		// In a block scalar, on the line of the matcher itself.
		`alerts.yml:10:22: alert SyncDown: selects job "old", which is not in out/prometheus.yml; service old is not deployed (schema/platform.cue:63:53)`,
		// Escaped in a double-quoted scalar: the expression's position.
		`alerts.yml:16:15: alert ProbeUnused: selects job "blackbox-unused", which is not in out/prometheus.yml; no deployed service asks for this probe (schema/platform.cue:34:3)`,
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("Check:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if ds[0].Severity != schema.Error || ds[1].Severity != schema.Warning {
		t.Errorf("severities %v %v: a missing literal job is an error, an empty pattern a warning", ds[0].Severity, ds[1].Severity)
	}
}

func TestAlertRulesFollowsTheModel(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	p.Service("old").Deployed = true
	p.Prometheus.Probes["blackbox-unused"] = schema.ProbeJob{Module: "http_2xx", Exporter: "blackbox-exporter", ExporterRef: p.Service("blackbox-exporter")}
	p.Service("api").Metrics.Job = "gone"
	p.Service("sync").Metrics.Job = "sync-server"
	ds, err := prepared.Check(Prepare, p, readFrom("testdata/small"))
	if err != nil {
		t.Fatal(err)
	}
	text := ds.Error()
	for _, gone := range []string{`"old"`, `"blackbox-unused"`, `"gone"`} {
		if strings.Contains(text, gone) {
			t.Errorf("%s is scraped now, yet reported:\n%s", gone, text)
		}
	}
	if !strings.Contains(text, `alternative "api-gateway" is not a job in out/prometheus.yml`) ||
		!strings.Contains(text, `alternative "sync" is not a job in out/prometheus.yml; service sync is scraped as job "sync-server"`) {
		t.Errorf("renamed job not reported:\n%s", text)
	}
}

func TestAlertRulesMissingAndBrokenFiles(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	p.Outputs.AlertRules = []string{"missing.yml", "broken.yml"}
	files := map[string]string{"broken.yml": "groups:\n  - name: x\n    rules: [\n"}
	read := func(path string) ([]byte, error) {
		if data, ok := files[path]; ok {
			return []byte(data), nil
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
	ds, err := prepared.Check(Prepare, p, read)
	if err != nil {
		t.Fatal(err)
	}
	text := ds.Error()
	for _, want := range []string{"schema/platform.cue:", "alert rule file missing.yml does not exist", "broken.yml:"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	_, err = prepared.Check(Prepare, p, func(string) ([]byte, error) { return nil, errors.New("disk on fire") })
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("an I/O error must be returned as the error, got %v", err)
	}
}

func TestJobMatchers(t *testing.T) {
	tests := []struct {
		expr string
		want []jobMatcher
	}{
		{`up{job="a"}`, []jobMatcher{{Text: `job="a"`, Offset: 3, Value: "a"}}},
		{`up{instance="x", job =~ 'a|b'}`, []jobMatcher{{Text: `job =~ 'a|b'`, Offset: 17, Regex: true, Value: "a|b"}}},
		{"rate(x{job=`c`}[5m])", []jobMatcher{{Text: "job=`c`", Offset: 7, Value: "c"}}},
		{`up{job!="a", job!~"b"}`, nil},
		{`up{cronjob="a"} or sum by (job) (x)`, nil},
		{`up{job="a\"b"}`, []jobMatcher{{Text: `job="a\"b"`, Offset: 3, Value: `a"b`}}},
	}
	for _, tt := range tests {
		if got := jobMatchers(tt.expr); !slices.Equal(got, tt.want) {
			t.Errorf("jobMatchers(%s) = %+v, want %+v", tt.expr, got, tt.want)
		}
	}
}

func TestAlternatives(t *testing.T) {
	tests := map[string][]string{
		"a|b":           {"a", "b"},
		"a|(b|c)|d":     {"a", "(b|c)", "d"},
		`a\|b|[|]|c`:    {`a\|b`, "[|]", "c"},
		"mana-.*|x":     {"mana-.*", "x"},
		"only":          {"only"},
		"trailing|":     {"trailing", ""},
		"[]|]|(?:x|y)z": {"[]|]", "(?:x|y)z"},
		"[^]|]|b":       {"[^]|]", "b"},
	}
	for re, want := range tests {
		if got := Alternatives(re); !slices.Equal(got, want) {
			t.Errorf("Alternatives(%q) = %q, want %q", re, got, want)
		}
	}
	for re, want := range map[string]string{"mana-auth": "mana-auth", `a\.b`: "a.b"} {
		if got, ok := literalOf(re); !ok || got != want {
			t.Errorf("literalOf(%q) = %q, %v", re, got, ok)
		}
	}
	for _, re := range []string{".*-backend", "a+", "(?i)abc", "a|b"} {
		if _, ok := literalOf(re); ok {
			t.Errorf("literalOf(%q) says literal", re)
		}
	}
}
