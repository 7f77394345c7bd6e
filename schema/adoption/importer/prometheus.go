package importer

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

var (
	labelNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`) })
	jobNameRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_:-]*$`) })
	intervalRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]+(ms|s|m|h)$`) })
)

// simpleJobKeys are the keys of a scrape job that a service's metrics
// block expresses; a job with any other key is passed through.
var simpleJobKeys = map[string]bool{"job_name": true, "static_configs": true, "metrics_path": true, "scrape_interval": true, "scheme": true}

// probeJobKeys are the keys of a blackbox job the generator writes.
var probeJobKeys = map[string]bool{"job_name": true, "static_configs": true, "metrics_path": true, "scrape_interval": true, "params": true, "relabel_configs": true}

// addLANTargets creates the hosts and services that scrape jobs reach
// by LAN address, before the tunnel is read, so that they are named
// after their jobs rather than their public hostnames.
func (b *builder) addLANTargets() {
	if b.in.Prometheus == nil {
		return
	}
	for _, j := range b.in.Prometheus.File.Jobs {
		if j.Probe != nil || len(j.Targets) != 1 {
			continue
		}
		t := j.Targets[0]
		a, ok := handwritten.ParseAddress(t.Address)
		if !ok || !a.IsIP() || a.IsLoopback() || a.Port == 0 {
			continue
		}
		b.lanService(a.Host, a.Port, t.Labels["instance"], j.Name, t.Pos)
	}
}

// prometheusHost is the compose host running the metrics server (an
// image or name that says prometheus or victoria), else the first host.
func (b *builder) prometheusHost() string {
	for _, s := range b.svcs {
		img, _ := handwritten.ValueOf(s.raw, "image").(string)
		text := strings.ToLower(s.Name + " " + img)
		if s.origin != nil && (strings.Contains(text, "prometheus") || strings.Contains(text, "victoria")) &&
			!strings.Contains(text, "exporter") && !strings.Contains(text, "pushgateway") {
			return s.Host
		}
	}
	for _, h := range b.src.Platform.Hosts {
		if h.Compose != nil {
			return h.Name
		}
	}
	if len(b.src.Platform.Hosts) > 0 {
		return b.src.Platform.Hosts[0].Name
	}
	return b.addHost(&schema.Host{Name: "monitoring", Title: "Prometheus host", Kind: schema.KindManual}).Name
}

// addPrometheus reads the Prometheus config: simple jobs become metrics
// of services, blackbox jobs become probes, the rest pass through.
func (b *builder) addPrometheus() {
	in := b.in.Prometheus
	if in == nil {
		return
	}
	pr := &schema.Prometheus{Host: b.prometheusHost()}
	notes := b.src.notes("prometheus")
	b.src.Platform.Prometheus = pr
	for _, f := range in.Raw {
		switch f.Key {
		case "global":
			pr.Global, _ = handwritten.Plain(f.Value).(map[string]any)
		case "alerting":
			pr.Alerting, _ = handwritten.Plain(f.Value).(map[string]any)
		case "rule_files":
			for _, r := range asList(f.Value) {
				if s, ok := r.(string); ok {
					pr.RuleFiles = append(pr.RuleFiles, s)
				}
			}
		case "scrape_configs":
		default:
			notes.Add("", fmt.Sprintf("%s of the Prometheus config was dropped: the source has no place for it", f.Key))
			b.finding("prometheus-key", handwritten.Pos{File: in.File.Path}, "top-level key %s cannot be imported and is dropped", f.Key)
		}
	}
	rawJobs := asList(handwritten.ValueOf(in.Raw, "scrape_configs"))
	jobs := nameSet{}
	for i, j := range in.File.Jobs {
		var raw []handwritten.Field
		if i < len(rawJobs) {
			raw = handwritten.FieldsOf(rawJobs[i])
		}
		name := jobs.claim(j.Name)
		if name != j.Name {
			notes.Add("", fmt.Sprintf("job %q appeared twice; the second is %q", j.Name, name))
			b.finding("job-duplicate", j.Pos, "scrape job %q is defined twice; the second is renamed %q", j.Name, name)
		}
		if b.addProbeJob(pr, j, raw, name) || b.addServiceMetrics(pr, j, raw, name) {
			continue
		}
		b.passJob(pr, raw, name, j)
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// passJob keeps a scrape job as written.
func (b *builder) passJob(pr *schema.Prometheus, raw []handwritten.Field, name string, j handwritten.ScrapeJob) {
	m, _ := handwritten.Plain(raw).(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	m["job_name"] = name
	pr.Jobs = append(pr.Jobs, m)
}

// onlyKeys reports whether every key of raw is allowed.
func onlyKeys(raw []handwritten.Field, allowed map[string]bool) bool {
	for _, f := range raw {
		if !allowed[f.Key] {
			return false
		}
	}
	return true
}

// scrapeTarget finds the service a host:port target scrapes and the
// name of the port, with a note where the port disagrees with what the
// service listens on.
func (b *builder) scrapeTarget(promHost, address string) (*svc, string, string, bool) {
	a, ok := handwritten.ParseAddress(address)
	if !ok || a.Port == 0 || a.Scheme != "" {
		return nil, "", "", false
	}
	if t := b.dns[promHost][a.Host]; t != nil && !t.portless {
		if name, ok := containerPortName(t, a.Port); ok {
			return t, name, "", true
		}
		return t, "", fmt.Sprintf("Prometheus scraped %s, but %s listens on %d; import keeps %d", address, t.Name, t.ContainerPort, t.ContainerPort), true
	}
	if h := b.lan[a.Host]; h != nil {
		for _, t := range b.svcs {
			if t.Host == h.Name {
				if name, ok := publishedPortName(t, a.Port); ok {
					return t, name, "", true
				}
			}
		}
	}
	return nil, "", "", false
}

// addServiceMetrics turns a job scraping one service into its metrics.
func (b *builder) addServiceMetrics(pr *schema.Prometheus, j handwritten.ScrapeJob, raw []handwritten.Field, name string) bool {
	if len(j.Targets) != 1 || len(j.Relabels) > 0 || len(j.ServiceDiscovery) > 0 || !onlyKeys(raw, simpleJobKeys) ||
		len(asList(handwritten.ValueOf(raw, "static_configs"))) != 1 || !jobNameRE().MatchString(name) {
		return false
	}
	interval, _ := handwritten.ValueOf(raw, "scrape_interval").(string)
	scheme, _ := handwritten.ValueOf(raw, "scheme").(string)
	if (interval != "" && !intervalRE().MatchString(interval)) || (scheme != "" && scheme != "http" && scheme != "https") ||
		!strings.HasPrefix(j.MetricsPath, "/") {
		return false
	}
	for k := range j.Targets[0].Labels {
		if !labelNameRE().MatchString(k) || strings.HasPrefix(k, "__") {
			return false
		}
	}
	t, port, note, ok := b.scrapeTarget(pr.Host, j.Targets[0].Address)
	if !ok || t.Metrics != nil {
		return false
	}
	m := &schema.Metrics{Path: j.MetricsPath, Interval: interval, Scheme: scheme, Port: port, Labels: j.Targets[0].Labels}
	if name != t.Name {
		m.Job = name
	}
	if note != "" {
		t.Notes.Add("metrics", note)
		b.finding("port-mismatch", j.Targets[0].Pos, "%s", note)
	}
	b.keepInstance(pr.Host, t, m, j.Targets[0], note != "")
	t.Metrics = m
	return true
}

// keepInstance keeps the instance label of a scraped service's series.
// Prometheus names a target's series after the address it scrapes; the
// generated job scrapes the service by its compose name, so a config
// that scraped it by container name or alias would start new series
// (and break the dashboards and alerts that name the instance). The old
// address is kept as an explicit instance label. Where the port itself
// was wrong and is corrected, the series were of a dead target: the
// change is reported instead.
func (b *builder) keepInstance(promHost string, t *svc, m *schema.Metrics, target handwritten.Target, portChanged bool) {
	a, ok := handwritten.ParseAddress(target.Address)
	if !ok || b.dns[promHost][a.Host] != t || a.Host == t.Name {
		return // by LAN address or by its own name: the address is the same
	}
	if _, set := m.Labels["instance"]; set {
		return
	}
	if portChanged {
		b.finding("instance-label", target.Pos, "%s: Prometheus now scrapes it as %s on the port it listens on; the instance label %q changes, so its series start anew", t.Name, t.Name, target.Address)
		return
	}
	labels := map[string]string{"instance": target.Address}
	for k, v := range m.Labels {
		labels[k] = v
	}
	m.Labels = labels
	t.Notes.Add("metrics", fmt.Sprintf("instance %s keeps the series Prometheus recorded when it scraped %s", target.Address, target.Address))
}

// addProbeJob turns a blackbox job whose every target is a public URL
// of a service into a probe job and probes on those services.
func (b *builder) addProbeJob(pr *schema.Prometheus, j handwritten.ScrapeJob, raw []handwritten.Field, name string) bool {
	if j.Probe == nil || len(j.Relabels) != 3 || !onlyKeys(raw, probeJobKeys) || !IsName(name) ||
		len(j.Params) != 1 || len(j.Params["module"]) != 1 || j.MetricsPath != "/probe" {
		return false
	}
	interval, _ := handwritten.ValueOf(raw, "scrape_interval").(string)
	if interval != "" && !intervalRE().MatchString(interval) {
		return false
	}
	exporter, port, _, ok := b.scrapeTarget(pr.Host, j.Probe.Exporter)
	if !ok || port != "" || exporter.ContainerPort != addrPort(j.Probe.Exporter) {
		return false
	}
	type probe struct {
		s *svc
		p schema.Probe
	}
	var probes []probe
	seen := map[string]bool{}
	for _, t := range j.Targets {
		if len(t.Labels) > 0 {
			return false
		}
		a, ok := handwritten.ParseAddress(t.Address)
		if !ok || a.Scheme != "https" || a.PortWritten || (a.Path != "" && !strings.HasPrefix(a.Path, "/")) {
			return false
		}
		s := b.public[a.Host]
		if s == nil || seen[a.Host+a.Path] {
			return false
		}
		seen[a.Host+a.Path] = true
		p := schema.Probe{Job: name, Path: a.Path}
		if len(s.Public) > 1 {
			p.Hostname = a.Host
		}
		probes = append(probes, probe{s, p})
	}
	for _, p := range probes {
		p.s.Probes = append(p.s.Probes, p.p)
	}
	if pr.Probes == nil {
		pr.Probes = map[string]schema.ProbeJob{}
	}
	pr.Probes[name] = schema.ProbeJob{Module: j.Params["module"][0], Exporter: exporter.Name, Interval: interval}
	b.src.Order["prometheus.probes"] = append(b.src.Order["prometheus.probes"], name)
	return true
}

// addrPort is the port of a host:port, 0 when there is none.
func addrPort(s string) int {
	a, _ := handwritten.ParseAddress(s)
	return a.Port
}
