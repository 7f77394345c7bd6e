package prometheus

import (
	"fmt"
	"maps"
	"slices"

	"portschema/generators/output"
	"portschema/schema"
)

// Plan is Prometheus' part of one model, worked out once per run:
// the configuration, which both the rules (the alert checks need its
// job names) and the file need, and the problems found.
type Plan struct {
	path  string
	cfg   *config // nil without a prometheus block
	diags schema.Diagnostics
}

// Prepare finds what Prometheus makes of the source, building the
// configuration on the way: metrics declared without a prometheus block
// or on a port the service lacks, a scrape job defined twice, probes of
// unknown jobs or of services without a public hostname, targets
// Prometheus cannot reach from where it runs, labels the generator
// owns, and every alert rule the source names (outputs.alert_rules)
// whose expression selects a job the generated configuration lacks (see
// checkAlerts); read reads those files.
func Prepare(p *schema.Platform, read output.Read) (*Plan, error) {
	w := &Plan{path: p.Outputs.Prometheus}
	ds := checkMetrics(p)
	var jobs []string
	if p.Prometheus != nil {
		cfg, built := build(p)
		ds = append(ds, built...)
		w.cfg, jobs = cfg, jobNames(cfg)
	}
	alerts, err := checkAlerts(p, jobs, read)
	if err != nil {
		return nil, err
	}
	w.diags = append(ds, alerts...).Sort()
	return w, nil
}

// Diagnostics are the problems Prepare found.
func (w *Plan) Diagnostics() schema.Diagnostics { return w.diags }

// Files is prometheus.yml, or nothing when the source has no prometheus
// block, for a source whose Diagnostics hold no error.
func (w *Plan) Files() ([]output.File, error) {
	if w.cfg == nil {
		return nil, nil
	}
	data, err := w.cfg.marshal()
	if err != nil {
		return nil, fmt.Errorf("prometheus: %w", err)
	}
	return []output.File{{Path: w.path, Data: data}}, nil
}

// checkMetrics: metrics need a prometheus block and a port of the
// service, job names are unique across services, extra jobs and probe
// jobs, and a probe names a probe job and a public hostname of its
// service.
func checkMetrics(p *schema.Platform) schema.Diagnostics {
	var ds schema.Diagnostics
	jobs := map[string]schema.Pos{}
	claim := func(job string, pos schema.Pos) {
		if other, ok := jobs[job]; ok {
			ds.Errorf(pos, []schema.Pos{other}, "scrape job %s is already defined", job)
			return
		}
		jobs[job] = pos
	}
	if pr := p.Prometheus; pr != nil {
		for i, j := range pr.Jobs {
			name, _ := j["job_name"].(string)
			claim(name, pr.At(fmt.Sprintf("jobs[%d]", i)))
		}
		for _, name := range sortedKeys(pr.Probes) {
			claim(name, pr.At("probes."+name))
		}
	}
	for _, s := range p.Services {
		if s.Metrics != nil {
			if p.Prometheus == nil {
				ds.Errorf(s.At("metrics"), nil, "%s: metrics declared but the source has no prometheus block", s.Name)
			}
			if _, ok := s.PortNamed(s.Metrics.Port); !ok {
				ds.Errorf(s.At("metrics.port"), nil, "%s: no port named %q", s.Name, s.Metrics.Port)
			}
			claim(JobName(s), s.At("metrics"))
		}
		for i, pr := range s.Probes {
			pos := s.At(fmt.Sprintf("probes[%d]", i))
			if p.Prometheus == nil || p.Prometheus.Probes[pr.Job] == (schema.ProbeJob{}) {
				ds.Errorf(pos, nil, "%s: unknown probe job %q (declare it under prometheus: probes:)", s.Name, pr.Job)
			}
			if len(s.Public) == 0 {
				ds.Errorf(pos, nil, "%s: probes need a public hostname", s.Name)
			}
			if pr.Hostname != "" && !hasPublic(s, pr.Hostname) {
				ds.Errorf(s.At(fmt.Sprintf("probes[%d].hostname", i)), nil, "%s: %s is not one of its public hostnames", s.Name, pr.Hostname)
			}
		}
	}
	return ds
}

func hasPublic(s *schema.Service, hostname string) bool {
	for _, pub := range s.Public {
		if pub.Hostname == hostname {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
