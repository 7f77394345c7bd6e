// Package prometheus generates Prometheus' scrape configuration,
// prometheus.yml, from the model, and checks hand-written alert rules
// against it.
//
// The file holds, in this order: the global, alerting and rule_files
// blocks of the source's prometheus block, passed through; the extra
// jobs written by hand (prometheus.jobs), in source order; one job per
// deployed service that declares metrics, in service name order; one
// blackbox job per probe job (prometheus.probes) that probes at least
// one deployed service, in job name order.
//
// Targets are never typed: each one is the model's answer to "where is
// this port reached from where Prometheus runs" (schema.Platform.Reach),
// from the vantage the source declares: inside the compose network of
// prometheus.host ("compose", services by name and container port), or
// on that host itself ("host", services on localhost at their host
// ports). Services on other hosts are reached as their host says (LAN
// address and port). So a port changed in the source moves its scrape
// target with it.
//
// Services and probe jobs with nothing deployed to scrape are left out
// rather than written as jobs that can only fail; Check then reports
// the alerts that relied on them.
package prometheus

import (
	"fmt"
	"maps"
	"slices"

	"portschema/generators/yamlout"
	"portschema/schema"
)

// build assembles the whole configuration and every problem found on
// the way. The jobs are complete even when some targets are not: alert
// checks need the job names of a source that does not generate yet.
func build(p *schema.Platform) (*config, schema.Diagnostics) {
	pr := p.Prometheus
	cfg := &config{settings: settings{RuleFiles: pr.RuleFiles}}
	if pr.Global != nil {
		cfg.Global = yamlout.PassThrough(pr.Global).(map[string]any)
	}
	if pr.Alerting != nil {
		cfg.Alerting = yamlout.PassThrough(pr.Alerting).(map[string]any)
	}
	for _, j := range pr.Jobs {
		cfg.ScrapeConfigs = append(cfg.ScrapeConfigs, extraJob(yamlout.PassThrough(j).(map[string]any)))
	}
	v, diags := scrapeVantage(p)
	for _, s := range p.Services {
		if s.Metrics == nil || !s.Deployed {
			continue
		}
		job, ds := serviceJob(p, v, s)
		cfg.ScrapeConfigs = append(cfg.ScrapeConfigs, job)
		diags = append(diags, ds...)
	}
	for _, name := range slices.Sorted(maps.Keys(pr.Probes)) {
		job, ok, ds := probeJob(p, v, name)
		if ok {
			cfg.ScrapeConfigs = append(cfg.ScrapeConfigs, job)
		}
		diags = append(diags, ds...)
	}
	if cfg.ScrapeConfigs == nil {
		cfg.ScrapeConfigs = []any{}
	}
	return cfg, diags
}

// scrapeVantage is where Prometheus runs, as the source declares it.
// A compose vantage needs a compose host: only there do service names
// resolve. Prometheus in a cluster scrapes from inside it, whichever
// vantage the source names: its pods have no other place.
func scrapeVantage(p *schema.Platform) (schema.Vantage, schema.Diagnostics) {
	pr := p.Prometheus
	h := pr.HostRef
	if h.IsCluster() {
		return schema.Vantage{Kind: schema.InCluster, Host: h.Name}, nil
	}
	if pr.Vantage == schema.InNetwork && !h.IsCompose() {
		return schema.Vantage{Kind: schema.OnHost, Host: h.Name}, schema.Diagnostics{
			errorAt(pr.At("vantage"), "prometheus: vantage %q needs a compose host, and host %s is %s; use vantage: %q",
				schema.InNetwork.Keyword(), h.Name, h.Kind, schema.OnHost.Keyword())}
	}
	return schema.Vantage{Kind: pr.Vantage, Host: h.Name}, nil
}

func errorAt(pos schema.Pos, format string, args ...any) schema.Diagnostic {
	return schema.Diagnostic{Severity: schema.Error, Pos: pos, Message: fmt.Sprintf(format, args...)}
}
