package prometheus

import (
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v4"

	"portschema/generators/output"
	"portschema/generators/output/golden"
	"portschema/schema"
)

// generateFiles is prometheus.yml as build makes it, failing on the
// problems building it finds, for the tests of the configuration alone:
// the alert rules' checks, which testdata/small fails on purpose, are
// alerts_test.go's.
func generateFiles(p *schema.Platform) ([]output.File, error) {
	if p.Prometheus == nil {
		return nil, nil
	}
	cfg, diags := build(p)
	if len(diags) > 0 {
		return nil, diags.Sort()
	}
	return (&Plan{path: p.Outputs.Prometheus, cfg: cfg}).Files()
}

// generate returns the one generated file's bytes.
func generate(t *testing.T, p *schema.Platform) []byte {
	t.Helper()
	files, err := generateFiles(p)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if len(files) != 1 {
		t.Fatalf("Generate returned %d files, want 1", len(files))
	}
	return files[0].Data
}

// parsed is prometheus.yml as a reader sees it.
type parsed struct {
	Global        map[string]any `yaml:"global"`
	Alerting      map[string]any `yaml:"alerting"`
	RuleFiles     []string       `yaml:"rule_files"`
	ScrapeConfigs []parsedJob    `yaml:"scrape_configs"`
}

type parsedJob struct {
	JobName        string              `yaml:"job_name"`
	ScrapeInterval string              `yaml:"scrape_interval"`
	MetricsPath    string              `yaml:"metrics_path"`
	Scheme         string              `yaml:"scheme"`
	HonorLabels    bool                `yaml:"honor_labels"`
	Params         map[string][]string `yaml:"params"`
	StaticConfigs  []struct {
		Targets []string          `yaml:"targets"`
		Labels  map[string]string `yaml:"labels"`
	} `yaml:"static_configs"`
	RelabelConfigs []map[string]any `yaml:"relabel_configs"`
}

func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	var cfg parsed
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatalf("generated file does not parse: %v\n%s", err, data)
	}
	return cfg
}

func (c parsed) job(name string) (parsedJob, bool) {
	for _, j := range c.ScrapeConfigs {
		if j.JobName == name {
			return j, true
		}
	}
	return parsedJob{}, false
}

// targets lists every target of a job.
func (j parsedJob) targets() []string {
	var out []string
	for _, sc := range j.StaticConfigs {
		out = append(out, sc.Targets...)
	}
	return out
}

// golden compares data with testdata/<name>, or rewrites it with -update.
func checkGolden(t *testing.T, name string, data []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), data)
}

// diagnosticsOf asserts that err is schema.Diagnostics and returns them.
func diagnosticsOf(t *testing.T, err error) schema.Diagnostics {
	t.Helper()
	ds, ok := err.(schema.Diagnostics)
	if !ok {
		t.Fatalf("error %v (%T) is not schema.Diagnostics", err, err)
	}
	return ds
}
