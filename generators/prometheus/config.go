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

// WriteYAML writes the job as yaml.v4 writes it: the fields in the
// order and with the omissions and flow styles of their tags (see
// yamlout.ListItem).
func (j scrapeConfig) WriteYAML(w *yamlout.Block, col int) {
	w.Item(col)
	col += 2
	w.String(col, "job_name", j.JobName)
	w.OmitEmpty(col, "scrape_interval", j.ScrapeInterval)
	w.OmitEmpty(col, "metrics_path", j.MetricsPath)
	w.OmitEmpty(col, "scheme", j.Scheme)
	if len(j.Params) > 0 {
		w.StringsMap(col, "params", j.Params)
	}
	if len(j.StaticConfigs) > 0 {
		w.Key(col, "static_configs")
		for _, sc := range j.StaticConfigs {
			w.Item(col + 2)
			w.Strings(col+4, "targets", sc.Targets)
			if len(sc.Labels) > 0 {
				w.StringMap(col+4, "labels", sc.Labels)
			}
		}
	}
	if len(j.DNSSDConfigs) > 0 {
		w.Key(col, "dns_sd_configs")
		for _, sd := range j.DNSSDConfigs {
			w.Item(col + 2)
			w.FlowStrings(col+4, "names", sd.Names)
			w.String(col+4, "type", sd.Type)
			w.Int(col+4, "port", sd.Port)
		}
	}
	if len(j.RelabelConfigs) > 0 {
		w.Key(col, "relabel_configs")
		for _, rc := range j.RelabelConfigs {
			rc.writeYAML(w, col+2)
		}
	}
}

func (rc relabelConfig) writeYAML(w *yamlout.Block, col int) {
	if len(rc.SourceLabels) == 0 && rc.TargetLabel == "" && rc.Replacement == "" {
		w.Fail() // yaml.v4 writes {}
		return
	}
	w.Item(col)
	if len(rc.SourceLabels) > 0 {
		w.FlowStrings(col+2, "source_labels", rc.SourceLabels)
	}
	w.OmitEmpty(col+2, "target_label", rc.TargetLabel)
	w.OmitEmpty(col+2, "replacement", rc.Replacement)
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
