package prometheus

import (
	"sort"

	"go.yaml.in/yaml/v4"

	"portschema/generators/yamlout"
)

// config is the part of Prometheus' configuration file that portschema
// writes. Fields are in the order a reader expects them; pass-through
// blocks from the source stay maps (their keys come out sorted).
type config struct {
	settings      `yaml:",inline"`
	ScrapeConfigs []any `yaml:"scrape_configs"`
}

// settings is what the file holds before its jobs.
type settings struct {
	Global    map[string]any `yaml:"global,omitempty"`
	Alerting  map[string]any `yaml:"alerting,omitempty"`
	RuleFiles []string       `yaml:"rule_files,omitempty"`
}

// marshal is the file's text: yamlout.Marshal(c), with the jobs, which
// are most of it, written a batch at a time.
func (c *config) marshal() ([]byte, error) {
	return yamlout.MarshalList(c.settings, "scrape_configs", c.ScrapeConfigs)
}

// scrapeConfig is one generated scrape job.
type scrapeConfig struct {
	JobName        string              `yaml:"job_name"`
	ScrapeInterval string              `yaml:"scrape_interval,omitempty"`
	MetricsPath    string              `yaml:"metrics_path,omitempty"`
	Scheme         string              `yaml:"scheme,omitempty"`
	Params         map[string][]string `yaml:"params,omitempty"`
	StaticConfigs  []staticConfig      `yaml:"static_configs,omitempty"`
	// DNSSDConfigs find the pods of a service in the cluster
	// Prometheus runs in (see clusterJob).
	DNSSDConfigs   []dnsSDConfig   `yaml:"dns_sd_configs,omitempty"`
	RelabelConfigs []relabelConfig `yaml:"relabel_configs,omitempty"`
}

type staticConfig struct {
	Targets []string          `yaml:"targets"`
	Labels  map[string]string `yaml:"labels,omitempty"`
}

type relabelConfig struct {
	SourceLabels []string `yaml:"source_labels,omitempty,flow"`
	TargetLabel  string   `yaml:"target_label,omitempty"`
	Replacement  string   `yaml:"replacement,omitempty"`
}

// extraJob is a scrape config written by hand in the source
// (prometheus.jobs), passed through with job_name first and the other
// keys sorted.
type extraJob map[string]any

// MarshalYAML puts job_name first, as every hand-written job does.
func (j extraJob) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode}
	keys := make([]string, 0, len(j))
	for k := range j {
		if k != "job_name" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	keys = append([]string{"job_name"}, keys...)
	for _, k := range keys {
		var key, val yaml.Node
		if err := key.Encode(k); err != nil {
			return nil, err
		}
		if err := val.Encode(j[k]); err != nil {
			return nil, err
		}
		n.Content = append(n.Content, &key, &val)
	}
	return n, nil
}

// jobName is the name of any job of scrape_configs.
func jobName(job any) string {
	switch j := job.(type) {
	case scrapeConfig:
		return j.JobName
	case extraJob:
		name, _ := j["job_name"].(string)
		return name
	}
	return ""
}
