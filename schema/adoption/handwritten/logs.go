package handwritten

import (
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"
)

// LogsFile is one log-shipping config as written: promtail's (Grafana
// Alloy and the Loki docker driver read the same relabelling).
type LogsFile struct {
	Path string
	Jobs []LogsJob

	doc *yamlDoc // the parsed tree, for Ordered
}

// LogsJob is one scrape config of the shipper.
type LogsJob struct {
	Name string
	Pos  Pos
	// Docker is true for a job that discovers containers through the
	// Docker API, whose relabelling sees each container's name.
	Docker   bool
	DockerSD []DockerSD
	Relabels []Relabel
	// OtherSD lists the other *_sd_configs and static_configs keys the
	// job uses, sorted.
	OtherSD []string
}

// DockerSD is one docker_sd_configs entry.
type DockerSD struct {
	Host            string
	RefreshInterval string
	Filters         []DockerFilter
	Pos             Pos
}

// DockerFilter is one filter of docker service discovery, as the docker
// API takes it: label=key or label=key=value, name=..., and so on.
type DockerFilter struct {
	Name   string
	Values []string
}

// Ordered is the config's top-level mapping as written (see Field).
func (f *LogsFile) Ordered() ([]Field, error) { return f.doc.ordered() }

// ContainerRule is a relabelling step of a docker job that reads the
// container's name (directly, or through a label copied from it) and
// sets another label when its regex matches: a mapping from container
// names to, say, a tier.
type ContainerRule struct {
	Relabel
	// Slash is true when the rule reads __meta_docker_container_name
	// itself, whose values start with "/".
	Slash bool
}

// ContainerRules lists the job's container-name mappings, in order.
func (j LogsJob) ContainerRules() []ContainerRule {
	const meta = "__meta_docker_container_name"
	fromName := map[string]bool{meta: true}
	var out []ContainerRule
	for _, r := range j.Relabels {
		if len(r.SourceLabels) == 0 || !allIn(r.SourceLabels, fromName) {
			continue
		}
		action := r.Action
		if action == "" {
			action = "replace"
		}
		if action != "replace" || r.TargetLabel == "" {
			continue
		}
		if r.Regex == "" || r.Regex == "(.*)" || r.Regex == "/(.*)" || r.Regex == ".*" {
			// A copy of the name under another label, not a mapping.
			fromName[r.TargetLabel] = true
			continue
		}
		if fromName[r.TargetLabel] {
			continue
		}
		out = append(out, ContainerRule{Relabel: r, Slash: slices.Contains(r.SourceLabels, meta)})
	}
	return out
}

func allIn(labels []string, set map[string]bool) bool {
	for _, l := range labels {
		if !set[l] {
			return false
		}
	}
	return true
}

// ReadLogs reads and parses the log-shipping config at path.
func ReadLogs(path string) (*LogsFile, error) {
	data, err := readFile("logs", path)
	if err != nil {
		return nil, err
	}
	return ParseLogs(path, data)
}

// ParseLogs parses a promtail config held in data; name is used in
// positions and errors. It reads the scrape jobs and their relabelling.
func ParseLogs(name string, data []byte) (*LogsFile, error) {
	doc, err := parseYAML("logs", name, data)
	if err != nil {
		return nil, err
	}
	f := &LogsFile{Path: name, doc: doc}
	sc := lookup(doc.root, "scrape_configs")
	if sc == nil {
		return f, nil
	}
	for _, item := range items(sc.value) {
		j := LogsJob{Pos: doc.pos(item)}
		for _, fl := range fields(item) {
			switch fl.key {
			case "job_name":
				j.Name, j.Pos = scalar(fl.value), doc.pos(fl.value)
			case "docker_sd_configs":
				j.Docker = true
				for _, item := range items(fl.value) {
					j.DockerSD = append(j.DockerSD, readDockerSD(doc, item))
				}
			case "relabel_configs":
				for _, r := range items(fl.value) {
					j.Relabels = append(j.Relabels, readRelabel(doc, r))
				}
			case "static_configs", "journal", "syslog", "windows_events", "gelf", "cloudflare", "kafka", "loki_push_api":
				j.OtherSD = append(j.OtherSD, fl.key)
			default:
				if strings.HasSuffix(fl.key, "_sd_configs") {
					j.OtherSD = append(j.OtherSD, fl.key)
				}
			}
		}
		sort.Strings(j.OtherSD)
		f.Jobs = append(f.Jobs, j)
	}
	return f, nil
}

func readDockerSD(doc *yamlDoc, n *yaml.Node) DockerSD {
	d := DockerSD{Pos: doc.pos(n)}
	for _, f := range fields(n) {
		switch f.key {
		case "host":
			d.Host = scalar(f.value)
		case "refresh_interval":
			d.RefreshInterval = scalar(f.value)
		case "filters":
			for _, item := range items(f.value) {
				filter := DockerFilter{}
				if name := lookup(item, "name"); name != nil {
					filter.Name = scalar(name.value)
				}
				if values := lookup(item, "values"); values != nil {
					filter.Values = scalarList(values.value)
				}
				d.Filters = append(d.Filters, filter)
			}
		}
	}
	return d
}
