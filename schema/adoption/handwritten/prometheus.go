package handwritten

import (
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"
)

// PrometheusFile is one Prometheus config as written.
type PrometheusFile struct {
	Path string
	Jobs []ScrapeJob // in file order
	// Alertmanagers are the static targets under alerting.alertmanagers.
	Alertmanagers []Target

	doc *yamlDoc // the parsed tree, for Ordered
}

// ScrapeJob is one entry of scrape_configs.
type ScrapeJob struct {
	Name string
	Pos  Pos // the job_name value, or the list item when it has none
	// MetricsPath is as written, or "/metrics" (Prometheus' default) with
	// a zero MetricsPathPos when the job does not set it.
	MetricsPath    string
	MetricsPathPos Pos
	Scheme         string // "http" unless written
	// Params are the URL parameters sent with each scrape; a blackbox job
	// names its module here.
	Params   map[string][]string
	Targets  []Target // static targets of every static_configs entry
	Relabels []Relabel
	// ServiceDiscovery lists the *_sd_configs keys the job uses, sorted:
	// such a job has targets this reader cannot see.
	ServiceDiscovery []string
	// Probe is set for a blackbox-exporter job; its Targets are then the
	// URLs probed, not the addresses scraped.
	Probe *Probe
}

// Target is one static target with the labels of its static_configs entry.
type Target struct {
	Address string // host:port for a scrape, a URL for a probe
	Pos     Pos
	Labels  map[string]string
}

// Relabel is one relabel_configs rule.
type Relabel struct {
	Pos          Pos
	SourceLabels []string
	TargetLabel  string
	Replacement  string
	Regex        string
	Action       string
}

// Probe describes a blackbox job: a job with params.module whose
// relabelling copies __address__ into __param_target, so each target is
// handed to an exporter as the thing to probe.
type Probe struct {
	Module string
	// Exporter is the address the relabelling sends scrapes to (the
	// replacement written into __address__); "" when not set.
	Exporter    string
	ExporterPos Pos
}

// ReadPrometheus reads and parses the Prometheus config at path.
func ReadPrometheus(path string) (*PrometheusFile, error) {
	data, err := readFile("prometheus", path)
	if err != nil {
		return nil, err
	}
	return ParsePrometheus(path, data)
}

// ParsePrometheus parses a Prometheus config held in data; name is used in
// positions and errors. It reads scrape jobs and alertmanager targets and
// ignores the rest.
func ParsePrometheus(name string, data []byte) (*PrometheusFile, error) {
	doc, err := parseYAML("prometheus", name, data)
	if err != nil {
		return nil, err
	}
	f := &PrometheusFile{Path: name, doc: doc}
	if sc := lookup(doc.root, "scrape_configs"); sc != nil {
		for _, item := range items(sc.value) {
			f.Jobs = append(f.Jobs, readScrapeJob(doc, item))
		}
	}
	if al := lookup(doc.root, "alerting"); al != nil {
		if ams := lookup(al.value, "alertmanagers"); ams != nil {
			for _, am := range items(ams.value) {
				f.Alertmanagers = append(f.Alertmanagers, staticTargets(doc, am)...)
			}
		}
	}
	return f, nil
}

func readScrapeJob(doc *yamlDoc, n *yaml.Node) ScrapeJob {
	j := ScrapeJob{Pos: doc.pos(n), MetricsPath: "/metrics", Scheme: "http"}
	for _, f := range fields(n) {
		switch {
		case f.key == "job_name":
			j.Name, j.Pos = scalar(f.value), doc.pos(f.value)
		case f.key == "metrics_path":
			j.MetricsPath, j.MetricsPathPos = scalar(f.value), doc.pos(f.value)
		case f.key == "scheme":
			j.Scheme = scalar(f.value)
		case f.key == "params":
			j.Params = readParams(f.value)
		case f.key == "relabel_configs":
			for _, r := range items(f.value) {
				j.Relabels = append(j.Relabels, readRelabel(doc, r))
			}
		case strings.HasSuffix(f.key, "_sd_configs"):
			j.ServiceDiscovery = append(j.ServiceDiscovery, f.key)
		}
	}
	j.Targets = staticTargets(doc, n)
	sort.Strings(j.ServiceDiscovery)
	j.Probe = detectProbe(j)
	return j
}

// staticTargets reads static_configs of a scrape job or an alertmanager.
func staticTargets(doc *yamlDoc, n *yaml.Node) []Target {
	var out []Target
	sc := lookup(n, "static_configs")
	if sc == nil {
		return nil
	}
	for _, entry := range items(sc.value) {
		var labels map[string]string
		if l := lookup(entry, "labels"); l != nil {
			labels = flatten(l.value)
		}
		if t := lookup(entry, "targets"); t != nil {
			for _, item := range items(t.value) {
				out = append(out, Target{Address: scalar(item), Pos: doc.pos(item), Labels: labels})
			}
			if v := t.value; v != nil && v.Kind == yaml.ScalarNode && !isNull(v) {
				out = append(out, Target{Address: v.Value, Pos: doc.pos(v), Labels: labels})
			}
		}
	}
	return out
}

func readParams(n *yaml.Node) map[string][]string {
	out := map[string][]string{}
	for _, f := range fields(n) {
		out[f.key] = scalarList(f.value)
	}
	return out
}

func readRelabel(doc *yamlDoc, n *yaml.Node) Relabel {
	r := Relabel{Pos: doc.pos(n)}
	for _, f := range fields(n) {
		switch f.key {
		case "source_labels":
			r.SourceLabels = scalarList(f.value)
		case "target_label":
			r.TargetLabel = scalar(f.value)
		case "replacement":
			r.Replacement = scalar(f.value)
		case "regex":
			r.Regex = scalar(f.value)
		case "action":
			r.Action = scalar(f.value)
		}
	}
	return r
}

// detectProbe recognises the blackbox pattern described on Probe.
func detectProbe(j ScrapeJob) *Probe {
	modules := j.Params["module"]
	if len(modules) == 0 {
		return nil
	}
	var p *Probe
	for _, r := range j.Relabels {
		if r.TargetLabel == "__param_target" && slices.Contains(r.SourceLabels, "__address__") {
			p = &Probe{Module: modules[0]}
		}
	}
	if p == nil {
		return nil
	}
	for _, r := range j.Relabels {
		if r.TargetLabel == "__address__" && r.Replacement != "" && !strings.Contains(r.Replacement, "$") {
			p.Exporter, p.ExporterPos = r.Replacement, r.Pos
		}
	}
	return p
}
