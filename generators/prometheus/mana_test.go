package prometheus

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"portschema/generators/compose"
	"portschema/generators/gentest"
	"portschema/generators/prepared"
	"portschema/schema"
)

// The project's own platform (schema/ at the repository root) was
// written from the mana platform's hand-written files. Its
// prometheus.yml must scrape everything the hand-written one
// (testdata/fixtures/mana/after/prometheus.yml at the repository root) scrapes,
// the same way, except for the differences listed here, each with its
// reason. Anything else that differs fails the test.

// correctedTargets are the fixture's drift: targets on ports nothing
// listens on, and where the services really listen (compose file).
var correctedTargets = map[string][2]string{
	"mana-llm":  {"mana-llm:3020", "mana-llm:3025"},        // mana-llm listens on 3025 ("3025:3025", PORT 3025)
	"mana-sync": {"mana-core-sync:3051", "mana-sync:3010"}, // mana-sync listens on 3010 ("3010:3010")
}

// labelInsteadOfRelabel: the fixture's node job set instance by a
// relabel rule; the source sets the same label as a target label.
var labelInsteadOfRelabel = map[string]map[string]string{
	"node": {"instance": "mac-mini"},
}

// addedJobs are jobs the fixture does not have, with the reason.
var addedJobs = map[string]string{}

// removedJobs are fixture jobs the generated file drops, with the reason.
var removedJobs = map[string]string{}

func loadMana(t *testing.T) *schema.Platform {
	t.Helper()
	p, err := schema.Load("../..")
	if err != nil {
		t.Fatalf("loading the project's platform: %v", err)
	}
	return p
}

func readFixture(t *testing.T) parsed {
	t.Helper()
	data, err := os.ReadFile("../../testdata/fixtures/mana/after/prometheus.yml")
	if err != nil {
		t.Fatal(err)
	}
	return parse(t, data)
}

func TestManaScrapesWhatTheFixtureScrapes(t *testing.T) {
	p := loadMana(t)
	gen, fix := parse(t, generate(t, p)), readFixture(t)
	if !reflect.DeepEqual(gen.Global, fix.Global) || !reflect.DeepEqual(gen.Alerting, fix.Alerting) || !slices.Equal(gen.RuleFiles, fix.RuleFiles) {
		t.Errorf("global, alerting or rule_files differ:\ngenerated %v %v %v\nfixture %v %v %v",
			gen.Global, gen.Alerting, gen.RuleFiles, fix.Global, fix.Alerting, fix.RuleFiles)
	}
	for _, f := range fix.ScrapeConfigs {
		g, ok := gen.job(f.JobName)
		if _, removed := removedJobs[f.JobName]; removed {
			if ok {
				t.Errorf("job %s is listed as removed but generated", f.JobName)
			}
			continue
		}
		if !ok {
			t.Errorf("job %s of the fixture is not generated", f.JobName)
			continue
		}
		compareJob(t, p, f, g)
	}
	for _, g := range gen.ScrapeConfigs {
		if _, ok := fix.job(g.JobName); !ok && addedJobs[g.JobName] == "" {
			t.Errorf("job %s is generated but not in the fixture, nor listed in addedJobs", g.JobName)
		}
	}
}

// compareJob compares one job of the fixture with its generated twin.
func compareJob(t *testing.T, p *schema.Platform, f, g parsedJob) {
	t.Helper()
	name := f.JobName
	if orDefault(f.MetricsPath) != orDefault(g.MetricsPath) || f.ScrapeInterval != g.ScrapeInterval ||
		f.Scheme != g.Scheme || f.HonorLabels != g.HonorLabels || !reflect.DeepEqual(f.Params, g.Params) {
		t.Errorf("job %s settings differ:\nfixture   %+v\ngenerated %+v", name, f, g)
	}
	want := f.targets()
	if c, ok := correctedTargets[name]; ok {
		if !slices.Equal(want, []string{c[0]}) {
			t.Errorf("job %s: the fixture's target is %v, not the listed %s", name, want, c[0])
		}
		want = []string{c[1]}
	}
	got := g.targets()
	slices.Sort(want)
	slices.Sort(got)
	if len(got) != len(want) {
		t.Errorf("job %s targets %v, fixture %v", name, got, want)
	} else {
		for i := range got {
			if !sameContainer(p, got[i], want[i]) {
				t.Errorf("job %s target %s, fixture %s", name, got[i], want[i])
			}
		}
	}
	labels := map[string]string{}
	for _, sc := range f.StaticConfigs {
		for k, v := range sc.Labels {
			labels[k] = v
		}
	}
	wantRelabel := f.RelabelConfigs
	if extra, ok := labelInsteadOfRelabel[name]; ok {
		for k, v := range extra {
			labels[k] = v
		}
		wantRelabel = nil
	}
	if !reflect.DeepEqual(wantRelabel, g.RelabelConfigs) {
		t.Errorf("job %s relabel_configs %v, fixture %v", name, g.RelabelConfigs, wantRelabel)
	}
	for _, sc := range g.StaticConfigs {
		for k, v := range labels {
			if sc.Labels[k] != v {
				t.Errorf("job %s: label %s = %q, fixture %q", name, k, sc.Labels[k], v)
			}
		}
	}
}

func orDefault(path string) string {
	if path == "" {
		return "/metrics"
	}
	return path
}

// sameContainer: inside the compose network a container answers to its
// service name and to its container name; the fixture used either, the
// generator always the service name. URLs (probe targets) and LAN
// addresses must be equal.
func sameContainer(p *schema.Platform, generated, fixture string) bool {
	if generated == fixture {
		return true
	}
	gHost, gPort, _ := strings.Cut(generated, ":")
	fHost, fPort, _ := strings.Cut(fixture, ":")
	s := p.Service(gHost)
	return s != nil && gPort == fPort && compose.ContainerName(s.HostRef, s) == fHost
}

func TestManaPassesPromtool(t *testing.T) {
	promtool := gentest.Promtool(t)
	if err := promtoolCheck(t, promtool, generate(t, loadMana(t))); err != nil {
		t.Error(err)
	}
}

// The fixture's own alert rules, checked against the generated jobs:
// the ServiceDown alert still selects ".*-backend", the app backends
// that were all removed, so that part of it can never fire.
func TestManaAlertsAgainstTheGeneratedJobs(t *testing.T) {
	p := loadMana(t)
	p.Outputs.AlertRules = []string{"alerts.yml"}
	ds, err := prepared.Check(Prepare, p, readFrom("../../testdata/fixtures/mana/after"))
	if err != nil {
		t.Fatal(err)
	}
	want := `alerts.yml:6:18: warning: alert ServiceDown: job=~"mana-auth|.*-backend|mana-search|mana-media|mana-llm": pattern ".*-backend" matches no job in out/prometheus.yml`
	if len(ds) != 1 || ds[0].String() != want {
		t.Errorf("Check on the fixture's alerts:\n%s\nwant:\n%s", ds.Error(), want)
	}
}
