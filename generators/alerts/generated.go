package alerts

import (
	"fmt"
	"regexp"
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

// bucket is what one generated rule covers: the services of one tier
// that page alike, on their scrape jobs (Probe == "") or on one
// blackbox job.
type bucket struct {
	Tier, Severity, For string
	Probe               string
}

// generatedGroups are the rules of every service that pages, one group
// per tier in tier order, services with no tier last.
func generatedGroups(p *schema.Platform) []group {
	members := map[bucket][]string{}
	for _, j := range prometheus.Jobs(p) {
		seen := map[string]bool{}
		for _, name := range j.Services {
			s := p.Service(name)
			if s == nil || seen[name] {
				continue
			}
			seen[name] = true
			pg := p.PagingOf(s)
			if pg == nil {
				continue
			}
			b := bucket{Tier: s.Tier, Severity: pg.Severity, For: pg.For}
			if j.Probe {
				b.Probe = j.Name
				members[b] = append(members[b], s.Name)
			} else if !slices.Contains(members[b], j.Name) {
				members[b] = append(members[b], j.Name)
			}
		}
	}
	keys := make([]bucket, 0, len(members))
	for b := range members {
		keys = append(keys, b)
	}
	slices.SortFunc(keys, compareBuckets)
	var groups []group
	for _, b := range keys {
		name := groupName(b.Tier)
		if len(groups) == 0 || groups[len(groups)-1].Name != name {
			groups = append(groups, group{Name: name})
		}
		g := &groups[len(groups)-1]
		g.Rules = append(g.Rules, ruleOf(b, members[b]))
	}
	return groups
}

// compareBuckets orders rules: by tier (no tier last), scrape rules
// before probe rules, then by probe job, severity and for.
func compareBuckets(a, b bucket) int {
	if a.Tier != b.Tier {
		switch {
		case a.Tier == "":
			return 1
		case b.Tier == "":
			return -1
		}
		return strings.Compare(a.Tier, b.Tier)
	}
	if (a.Probe == "") != (b.Probe == "") {
		if a.Probe == "" {
			return -1
		}
		return 1
	}
	return cmpStrings(a.Probe, b.Probe, a.Severity, b.Severity, a.For, b.For)
}

// cmpStrings compares pairs in turn: (a0, b0), (a1, b1), ...
func cmpStrings(pairs ...string) int {
	for i := 0; i+1 < len(pairs); i += 2 {
		if c := strings.Compare(pairs[i], pairs[i+1]); c != 0 {
			return c
		}
	}
	return 0
}

// groupName is the generated group of a tier.
func groupName(tier string) string {
	if tier == "" {
		return "down"
	}
	return tier + "-down"
}

// ruleOf is the rule of one bucket: names are jobs for ServiceDown and
// services for ProbeFailed, sorted.
func ruleOf(b bucket, names []string) rule {
	names = slices.Sorted(slices.Values(names))
	r := rule{For: b.For, Labels: map[string]string{}}
	if b.Severity != "" {
		r.Labels["severity"] = b.Severity
	}
	if b.Probe == "" {
		r.Alert = ServiceDown
		r.Expr = "up{" + matcher("job", names) + "} == 0"
		r.Annotations = map[string]string{
			"summary":     "Service {{ $labels.service }} is down",
			"description": "{{ $labels.service }} on {{ $labels.host }} (job {{ $labels.job }}, target {{ $labels.instance }}) " + since("has been down", b.For),
		}
	} else {
		r.Alert = ProbeFailed
		r.Expr = "probe_success{" + matcher("job", []string{b.Probe}) + "," + matcher("service", names) + "} == 0"
		r.Annotations = map[string]string{
			"summary":     "{{ $labels.instance }} does not answer",
			"description": "Probe {{ $labels.job }} of {{ $labels.service }} ({{ $labels.instance }}) " + since("has failed", b.For),
		}
	}
	if len(r.Labels) == 0 {
		r.Labels = nil
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

// matcher selects label values exactly: `name="v"` for one value, a
// regular expression of the quoted values otherwise (PromQL anchors it).
func matcher(label string, values []string) string {
	if len(values) == 1 {
		return label + "=" + strconv.Quote(values[0])
	}
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = regexp.QuoteMeta(v)
	}
	return label + "=~" + strconv.Quote(strings.Join(quoted, "|"))
}
