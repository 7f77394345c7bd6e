package prometheus

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"portschema/generators/gentest"
	"portschema/generators/yamlout"
	"portschema/schema"
	"portschema/schema/synthetic"
)

// randomJob fills every field of a scrape job, or leaves it out, with
// str's strings, name's in flow sequences and key's as map keys.
func randomJob(r *rand.Rand, str, name, key func(*rand.Rand) string) scrapeConfig {
	list := func(f func(*rand.Rand) string, least int) []string {
		var out []string
		for range least + r.IntN(3) {
			out = append(out, f(r))
		}
		return out
	}
	maybe := func() string {
		if r.IntN(2) == 0 {
			return ""
		}
		return str(r)
	}
	j := scrapeConfig{JobName: str(r), ScrapeInterval: maybe(), MetricsPath: maybe(), Scheme: maybe()}
	if r.IntN(2) == 0 {
		j.Params = map[string][]string{key(r): list(str, 0)}
	}
	for range r.IntN(3) {
		labels := map[string]string{}
		for range r.IntN(5) {
			labels[key(r)] = str(r)
		}
		j.StaticConfigs = append(j.StaticConfigs, staticConfig{Targets: list(str, 0), Labels: labels})
	}
	for range r.IntN(2) {
		j.DNSSDConfigs = append(j.DNSSDConfigs, dnsSDConfig{Names: list(name, 0), Type: str(r), Port: r.IntN(65536)})
	}
	for range r.IntN(4) {
		j.RelabelConfigs = append(j.RelabelConfigs, relabelConfig{SourceLabels: list(name, 0), TargetLabel: str(r), Replacement: maybe()})
	}
	return j
}

// checkJobs checks that a file of jobs has the bytes yaml.v4 gives the
// whole file, and returns how many of the jobs were written directly.
func checkJobs(t *testing.T, jobs ...any) int {
	t.Helper()
	cfg := &config{settings: settings{RuleFiles: []string{"/etc/prometheus/alerts.yml"}}, ScrapeConfigs: jobs}
	got, gotErr := cfg.marshal()
	want, wantErr := yamlout.Marshal(cfg)
	if (gotErr != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
		t.Fatalf("%#v\nwritten as\n%s (%v)\nyaml.v4 writes\n%s (%v)", jobs, got, gotErr, want, wantErr)
	}
	direct := 0
	for _, j := range jobs {
		if item, ok := j.(yamlout.ListItem); ok {
			if _, ok := yamlout.AppendItem(nil, item, 2); ok {
				direct++
			}
		}
	}
	return direct
}

// The jobs written without yaml.v4 have its bytes: random jobs of every
// shape, of ordinary strings (always written directly) and of strings
// that must be quoted, read as another type or sorted otherwise (left
// to yaml.v4 where they appear), next to hand-written jobs.
func TestJobsAreWrittenAsYAMLV4Writes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	tricky := 0
	for range 1500 {
		ordinary := randomJob(r, gentest.OrdinaryYAMLString, gentest.OrdinaryYAMLName, gentest.OrdinaryYAMLKey)
		if checkJobs(t, ordinary) != 1 {
			t.Fatalf("a job of ordinary strings is left to yaml.v4: %#v", ordinary)
		}
		checkJobs(t, randomJob(r, gentest.YAMLString, gentest.YAMLString, gentest.YAMLString),
			extraJob{"job_name": "x", "honor_labels": true}, ordinary)
		mixed := randomJob(r, gentest.Sometimes(gentest.OrdinaryYAMLString), gentest.Sometimes(gentest.OrdinaryYAMLName),
			gentest.Sometimes(gentest.OrdinaryYAMLKey))
		tricky += checkJobs(t, mixed)
		checkJobs(t, scrapeConfig{JobName: gentest.YAMLString(r), RelabelConfigs: []relabelConfig{{}}})
	}
	// Where a job has a few random strings, both paths are taken.
	if tricky < 150 || tricky > 1350 {
		t.Errorf("%d of 1500 jobs with random strings are written directly", tricky)
	}
}

// Every job generated for this project's platform, the small one and a
// synthetic one is written directly.
func TestGeneratedJobsAreWrittenDirectly(t *testing.T) {
	many := t.TempDir()
	if err := synthetic.Write(many, 100); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*schema.Platform{gentest.Load(t, "testdata/small"), loadMana(t), loadAt(t, many)} {
		cfg, diags := build(p)
		if len(diags) > 0 {
			t.Fatal(diags)
		}
		generated := 0
		for _, j := range cfg.ScrapeConfigs {
			if j, ok := j.(scrapeConfig); ok {
				generated++
				if _, ok := yamlout.AppendItem(nil, j, 2); !ok {
					t.Errorf("%s: job %s is left to yaml.v4", p.Name, j.JobName)
				}
			}
		}
		if generated < 3 {
			t.Errorf("%s: %d jobs generated", p.Name, generated)
		}
	}
}
