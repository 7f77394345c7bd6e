package alerts

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"portschema/generators/prometheus"
	"portschema/schema"
)

// Names of the generated alerts.
const (
	ServiceDown = "ServiceDown"
	ProbeFailed = "ProbeFailed"
)

// watch is one generated rule: a service that pages, on its scrape job
// or on one blackbox job that probes it.
type watch struct {
	Tier, Service, Job string
	Probe              bool
	Paging             *schema.Paging
}

// generatedGroups are the rules of every service that pages, one group
// per tier in tier order, services with no tier last. Each rule covers
// one service on one job and carries the service (and for a probe, the
// job) as labels, so that no two rules share a name and labels: each
// can have its own severity and for:, and a removed service takes
// exactly its own rules with it.
func generatedGroups(p *schema.Platform) []group {
	var watches []watch
	for _, j := range prometheus.Jobs(p) {
		seen := map[string]bool{}
		for _, name := range j.Services {
			s := p.Service(name)
			if s == nil || seen[name] {
				continue
			}
			seen[name] = true
			if pg := p.PagingOf(s); pg != nil && !(j.Probe && pg.NoProbes) {
				watches = append(watches, watch{Tier: s.Tier, Service: s.Name, Job: j.Name, Probe: j.Probe, Paging: pg})
			}
		}
	}
	slices.SortFunc(watches, compareWatches)
	var groups []group
	for _, w := range watches {
		name := groupName(w.Tier)
		if len(groups) == 0 || groups[len(groups)-1].Name != name {
			groups = append(groups, group{Name: name})
		}
		g := &groups[len(groups)-1]
		g.Rules = append(g.Rules, ruleOf(w))
	}
	return groups
}

// compareWatches orders rules: by tier (no tier last), scrape rules
// before probe rules, then by service and job.
func compareWatches(a, b watch) int {
	if a.Tier != b.Tier {
		switch {
		case a.Tier == "":
			return 1
		case b.Tier == "":
			return -1
		}
		return strings.Compare(a.Tier, b.Tier)
	}
	if a.Probe != b.Probe {
		if !a.Probe {
			return -1
		}
		return 1
	}
	if c := strings.Compare(a.Service, b.Service); c != 0 {
		return c
	}
	return strings.Compare(a.Job, b.Job)
}

// groupName is the generated group of a tier.
func groupName(tier string) string {
	if tier == "" {
		return "down"
	}
	return tier + "-down"
}

// ruleOf is the rule of one watch.
func ruleOf(w watch) rule {
	r := rule{For: w.Paging.For, Labels: map[string]string{"service": w.Service}}
	if w.Paging.Severity != "" {
		r.Labels["severity"] = w.Paging.Severity
	}
	if !w.Probe {
		r.Alert = ServiceDown
		r.Expr = "up{job=" + strconv.Quote(w.Job) + "} == 0"
		r.Annotations = map[string]string{
			"summary":     "Service {{ $labels.service }} is down",
			"description": "{{ $labels.service }} on {{ $labels.host }} (job {{ $labels.job }}, target {{ $labels.instance }}) " + since("has been down", w.Paging.For),
		}
		return r
	}
	r.Alert = ProbeFailed
	r.Labels["job"] = w.Job
	r.Expr = "probe_success{job=" + strconv.Quote(w.Job) + ",service=" + strconv.Quote(w.Service) + "} == 0"
	r.Annotations = map[string]string{
		"summary":     "{{ $labels.instance }} does not answer",
		"description": "Probe {{ $labels.job }} of {{ $labels.service }} ({{ $labels.instance }}) " + since("has failed", w.Paging.For),
	}
	return r
}

// since ends a description with how long the state has lasted when
// the alert fires.
func since(state, d string) string {
	if d == "" {
		return state + "."
	}
	return fmt.Sprintf("%s for more than %s.", state, d)
}
