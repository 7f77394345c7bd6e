package handwritten

import "slices"

// LogsFile is one log-shipping config as written: promtail's (Grafana
// Alloy and the Loki docker driver read the same relabelling).
type LogsFile struct {
	Path string
	Jobs []LogsJob
}

// LogsJob is one scrape config of the shipper.
type LogsJob struct {
	Name string
	Pos  Pos
	// Docker is true for a job that discovers containers through the
	// Docker API, whose relabelling sees each container's name.
	Docker   bool
	Relabels []Relabel
}

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
	f := &LogsFile{Path: name}
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
			case "relabel_configs":
				for _, r := range items(fl.value) {
					j.Relabels = append(j.Relabels, readRelabel(doc, r))
				}
			}
		}
		f.Jobs = append(f.Jobs, j)
	}
	return f, nil
}
