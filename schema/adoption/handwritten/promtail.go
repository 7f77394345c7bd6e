package handwritten

import (
	"sort"
	"strings"

	"go.yaml.in/yaml/v4"
)

// PromtailFile is a promtail config as written: how one host's logs are
// discovered, labelled and pushed.
type PromtailFile struct {
	Path string
	Jobs []PromtailJob // scrape_configs, in file order

	doc *yamlDoc // the parsed tree, for Ordered
}

// PromtailJob is one entry of scrape_configs.
type PromtailJob struct {
	Name     string
	Pos      Pos
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

// ReadPromtail reads and parses the promtail config at path.
func ReadPromtail(path string) (*PromtailFile, error) {
	data, err := readFile("promtail", path)
	if err != nil {
		return nil, err
	}
	return ParsePromtail(path, data)
}

// ParsePromtail parses a promtail config held in data; name is used in
// positions and errors.
func ParsePromtail(name string, data []byte) (*PromtailFile, error) {
	doc, err := parseYAML("promtail", name, data)
	if err != nil {
		return nil, err
	}
	f := &PromtailFile{Path: name, doc: doc}
	if sc := lookup(doc.root, "scrape_configs"); sc != nil {
		for _, item := range items(sc.value) {
			f.Jobs = append(f.Jobs, readPromtailJob(doc, item))
		}
	}
	return f, nil
}

func readPromtailJob(doc *yamlDoc, n *yaml.Node) PromtailJob {
	j := PromtailJob{Pos: doc.pos(n)}
	for _, f := range fields(n) {
		switch {
		case f.key == "job_name":
			j.Name = scalar(f.value)
		case f.key == "docker_sd_configs":
			for _, item := range items(f.value) {
				j.DockerSD = append(j.DockerSD, readDockerSD(doc, item))
			}
		case f.key == "relabel_configs":
			for _, r := range items(f.value) {
				j.Relabels = append(j.Relabels, readRelabel(doc, r))
			}
		case strings.HasSuffix(f.key, "_sd_configs"), f.key == "static_configs", f.key == "journal", f.key == "syslog":
			j.OtherSD = append(j.OtherSD, f.key)
		}
	}
	sort.Strings(j.OtherSD)
	return j
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

// Ordered is the promtail config's top-level mapping as written (see
// Field).
func (f *PromtailFile) Ordered() ([]Field, error) { return f.doc.ordered() }
