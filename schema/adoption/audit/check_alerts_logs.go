package audit

import (
	"fmt"
	"regexp"
	"strings"

	"portschema/generators/prometheus"
	"portschema/schema/adoption/handwritten"
)

// checkAlerts reports job matchers of alert rules that select no scrape
// job of the Prometheus config: such an alert never fires. PromQL
// matchers are anchored RE2, as Go's regexp is; each alternative of a
// `job=~"a|b"` is checked on its own, so a stale name in a list is found.
func (a *auditor) checkAlerts() {
	p := a.files.Prometheus
	if p == nil || relabelsJob(p) {
		return
	}
	var jobs []string
	for _, j := range p.Jobs {
		jobs = append(jobs, j.Name)
	}
	for _, f := range a.files.Alerts {
		for _, r := range f.Rules {
			for _, m := range r.Jobs {
				alts := []string{m.Value}
				if m.Op == "=~" {
					alts = prometheus.Alternatives(m.Value)
				}
				for _, alt := range alts {
					if matchesAny(m.Op, alt, jobs) {
						continue
					}
					a.add(AlertJobUnknown,
						fmt.Sprintf("alert %s selects job %s%q, but no scrape job of %s is called that", r.Name, m.Op, alt, p.Path),
						r.ExprPos)
				}
			}
		}
	}
}

// relabelsJob reports whether a job rewrites its job label, which then
// holds values no job_name shows.
func relabelsJob(p *handwritten.PrometheusFile) bool {
	for _, j := range p.Jobs {
		for _, r := range j.Relabels {
			if r.TargetLabel == "job" {
				return true
			}
		}
	}
	return false
}

func matchesAny(op, pattern string, names []string) bool {
	if op == "=" {
		for _, n := range names {
			if n == pattern {
				return true
			}
		}
		return false
	}
	re, err := regexp.Compile("^(?:" + pattern + ")$")
	if err != nil {
		return true // not ours to judge; promtool reports it
	}
	for _, n := range names {
		if re.MatchString(n) {
			return true
		}
	}
	return false
}

// checkLogs reports container-name mappings of a log shipper that match
// no container of the audited compose files. The containers of other
// hosts are unseen, so the finding is likely.
func (a *auditor) checkLogs() {
	if len(a.world.services) == 0 {
		return
	}
	names := a.world.containerNames()
	for _, f := range a.files.Logs {
		for _, j := range f.Jobs {
			if !j.Docker {
				continue
			}
			for _, r := range j.ContainerRules() {
				re, err := regexp.Compile("^(?:" + r.Regex + ")$")
				if err != nil {
					continue
				}
				if matchesContainer(re, names, r.Slash) {
					continue
				}
				a.add(LogsRuleUnmatched,
					fmt.Sprintf("%s sets %s to %q for containers matching %q, but no compose container's name matches", f.Path, r.TargetLabel, r.Replacement, r.Regex),
					r.Pos)
			}
		}
	}
}

func matchesContainer(re *regexp.Regexp, names []string, slash bool) bool {
	for _, n := range names {
		if slash {
			n = "/" + n
		}
		if re.MatchString(n) {
			return true
		}
	}
	return false
}

// containerNames are the names Docker gives the containers: container_name,
// or compose's <project>-<service>-1, the project being the file's name:
// or its directory's.
func (w *world) containerNames() []string {
	var out []string
	for _, s := range w.services {
		if s.ContainerName != "" {
			out = append(out, s.ContainerName)
			continue
		}
		project := s.file.Name
		if project == "" {
			project = projectFromPath(s.file.Path)
		}
		out = append(out, project+"-"+s.Name+"-1", project+"_"+s.Name+"_1")
	}
	return out
}

func projectFromPath(path string) string {
	dir := path
	if i := strings.LastIndexAny(dir, `/\`); i >= 0 {
		dir = dir[:i]
	} else {
		dir = "."
	}
	if i := strings.LastIndexAny(dir, `/\`); i >= 0 {
		dir = dir[i+1:]
	}
	return strings.ToLower(dir)
}

// noMetrics are the ports where well-known servers speak their own wire
// protocol, keyed by image name: a scrape there gets no HTTP metrics.
var noMetrics = map[string]int{
	"postgres": 5432, "postgis": 5432, "timescaledb": 5432, "redis": 6379, "valkey": 6379,
	"mysql": 3306, "mariadb": 3306, "mongo": 27017, "kafka": 9092, "cp-kafka": 9092,
	"rabbitmq": 5672, "nats": 4222, "memcached": 11211,
}

// checkNoMetrics reports a scrape aimed at such a port.
func (a *auditor) checkNoMetrics(what string, t *service, port int, pos Location) bool {
	if p, ok := noMetrics[imageName(t.Image)]; ok && p == port {
		a.add(ScrapeNoMetrics,
			fmt.Sprintf("%s, but %s (%s) speaks its own protocol on %d, not HTTP metrics", what, t.Name, t.Image, port),
			pos, t.Pos)
		return true
	}
	return false
}

// checkProbeRoute follows a probed public URL through the tunnel: the
// first rule matching its hostname and path decides where it goes.
func (a *auditor) checkProbeRoute(job string, target handwritten.Target, addr handwritten.Address) {
	if cf := a.world.tunnelService(); cf != nil && !cf.hostNetwork() {
		return // routes by name; checkRoute checks them
	}
	for _, f := range a.files.Cloudflared {
		for _, r := range f.Rules {
			if !r.Matches(addr.Host) || !pathMatches(r.Path, addr.Path) {
				continue
			}
			to, ok := handwritten.ParseAddress(r.Service)
			if ok && to.IsLoopback() && to.Port > 0 && isWebScheme(to.Scheme) && len(a.world.published[to.Port]) == 0 && !a.world.hostUnknown {
				a.add(ProbeRouteBroken,
					fmt.Sprintf("job %s probes %s, which the tunnel sends to %s, but no compose service publishes host port %d", job, target.Address, r.Service, to.Port),
					target.Pos, r.ServicePos)
			}
			return
		}
	}
}

func pathMatches(pattern, path string) bool {
	if pattern == "" {
		return true
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return false
	}
	if path == "" {
		path = "/"
	}
	return re.MatchString(path)
}
