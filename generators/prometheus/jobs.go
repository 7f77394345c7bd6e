package prometheus

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"portschema/schema"
)

// targetLabels are the labels every generated target carries, so that
// dashboards and alerts can group by the model's own terms.
var targetLabels = []string{"service", "host", "tier", "range"}

// labelsOf returns the generated labels of a service; empty values are
// left out, as Prometheus treats them as absent anyway.
func labelsOf(s *schema.Service) map[string]string {
	labels := map[string]string{}
	for i, v := range []string{s.Name, s.Host, s.Tier, s.Range} {
		if v != "" {
			labels[targetLabels[i]] = v
		}
	}
	return labels
}

// JobName is the scrape job of a service with metrics: metrics.job, or
// the service's name.
func JobName(s *schema.Service) string {
	if s.Metrics.Job != "" {
		return s.Metrics.Job
	}
	return s.Name
}

// serviceJob is the scrape job of one service with metrics.
func serviceJob(p *schema.Platform, v schema.Vantage, s *schema.Service) (scrapeConfig, schema.Diagnostics) {
	m := s.Metrics
	job := scrapeConfig{JobName: JobName(s), ScrapeInterval: m.Interval, MetricsPath: m.Path, Scheme: m.Scheme}
	var diags schema.Diagnostics
	labels := labelsOf(s)
	for _, name := range slices.Sorted(maps.Keys(m.Labels)) {
		switch {
		case isTargetLabel(name):
			diags = append(diags, errorAt(s.At("metrics.labels."+name),
				"%s: label %s is generated from the service; remove it from metrics.labels", s.Name, name))
		case strings.HasPrefix(name, "__"):
			diags = append(diags, errorAt(s.At("metrics.labels."+name),
				"%s: label %s starts with __, which Prometheus drops after relabelling", s.Name, name))
		default:
			labels[name] = m.Labels[name]
		}
	}
	if v.Kind == schema.InCluster && s.Host == v.Host {
		job.DNSSDConfigs, job.RelabelConfigs = clusterJob(p, s, labels)
		return job, diags
	}
	ep, err := p.Reach(v, s, m.Port)
	if err != nil {
		diags = append(diags, errorAt(s.At("metrics"), "%s: Prometheus in the %s cannot scrape it: %v", s.Name, v, err))
		return job, diags
	}
	if job.Scheme == "" && ep.Scheme == "https" {
		job.Scheme = "https"
	}
	job.StaticConfigs = []staticConfig{{Targets: []string{ep.HostPort()}, Labels: labels}}
	return job, diags
}

func isTargetLabel(name string) bool {
	for _, l := range targetLabels {
		if l == name {
			return true
		}
	}
	return false
}

// probeJob is a blackbox job: the targets are the public URLs of the
// deployed services that ask for this probe, one static config per
// service (with its labels); the exporter is reached like any service.
// ok is false when no deployed service asks for the probe.
func probeJob(p *schema.Platform, v schema.Vantage, name string) (scrapeConfig, bool, schema.Diagnostics) {
	pj := p.Prometheus.Probes[name]
	job := scrapeConfig{JobName: name, ScrapeInterval: pj.Interval, MetricsPath: "/probe",
		Params: map[string][]string{"module": {pj.Module}}}
	for _, s := range p.Services {
		if targets := probeTargets(s, name); len(targets) > 0 && s.Deployed {
			job.StaticConfigs = append(job.StaticConfigs, staticConfig{Targets: targets, Labels: labelsOf(s)})
		}
	}
	if len(job.StaticConfigs) == 0 {
		return job, false, nil
	}
	pos := p.Prometheus.At("probes." + name + ".exporter")
	exporter := pj.ExporterRef
	if !exporter.Deployed {
		return job, true, schema.Diagnostics{errorAt(pos, "prometheus: probe %s: exporter %s is not deployed", name, exporter.Name)}
	}
	ep, err := p.Reach(v, exporter, schema.MainPort)
	if err != nil {
		return job, true, schema.Diagnostics{errorAt(pos, "prometheus: probe %s: Prometheus in the %s cannot reach exporter %s: %v",
			name, v, exporter.Name, err)}
	}
	job.RelabelConfigs = probeRelabelling(ep.HostPort())
	return job, true, nil
}

// probeRelabelling is the standard blackbox exporter set-up: the target
// URL becomes the exporter's ?target= parameter and the instance label,
// and the scrape goes to the exporter.
func probeRelabelling(exporter string) []relabelConfig {
	return []relabelConfig{
		{SourceLabels: []string{"__address__"}, TargetLabel: "__param_target"},
		{SourceLabels: []string{"__param_target"}, TargetLabel: "instance"},
		{TargetLabel: "__address__", Replacement: exporter},
	}
}

// probeTargets are the URLs of a service probed by one job: each probe
// entry's path on each of its public hostnames (or the one it names).
// Wildcard hostnames cannot be requested and are skipped; a hostname
// listed twice (once per tunnel path) is probed once.
func probeTargets(s *schema.Service, job string) []string {
	var out []string
	seen := map[string]bool{}
	for _, pr := range s.Probes {
		if pr.Job != job {
			continue
		}
		for _, pub := range s.Public {
			if strings.HasPrefix(pub.Hostname, "*") || (pr.Hostname != "" && pr.Hostname != pub.Hostname) {
				continue
			}
			url := fmt.Sprintf("https://%s%s", pub.Hostname, pr.Path)
			if !seen[url] {
				seen[url] = true
				out = append(out, url)
			}
		}
	}
	return out
}
