package promtail

// config is the part of promtail's configuration file portschema
// writes, in the order a reader expects it.
type config struct {
	Server        map[string]any `yaml:"server"`
	Positions     positions      `yaml:"positions"`
	Clients       []client       `yaml:"clients"`
	ScrapeConfigs []scrapeConfig `yaml:"scrape_configs"`
}

type positions struct {
	Filename string `yaml:"filename"`
}

// client is the push client: the generated URL, then the settings the
// source passes through, sorted.
type client struct {
	URL   string         `yaml:"url"`
	Extra map[string]any `yaml:",inline"`
}

type scrapeConfig struct {
	JobName        string           `yaml:"job_name"`
	DockerSD       []dockerSD       `yaml:"docker_sd_configs"`
	RelabelConfigs []relabelConfig  `yaml:"relabel_configs"`
	PipelineStages []map[string]any `yaml:"pipeline_stages,omitempty"`
}

type dockerSD struct {
	Host            string   `yaml:"host"`
	RefreshInterval string   `yaml:"refresh_interval,omitempty"`
	Filters         []filter `yaml:"filters"`
}

type filter struct {
	Name   string   `yaml:"name"`
	Values []string `yaml:"values,flow"`
}

// relabelConfig is a Prometheus relabel rule (action replace, the
// default): promtail reads the same format.
type relabelConfig struct {
	SourceLabels []string `yaml:"source_labels,omitempty,flow"`
	Regex        string   `yaml:"regex,omitempty"`
	TargetLabel  string   `yaml:"target_label"`
	Replacement  string   `yaml:"replacement,omitempty"`
}
