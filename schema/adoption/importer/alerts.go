package importer

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"portschema/generators/prometheus"
	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// generatedDown is the alert portschema generates for a service that is
// down; a hand-written rule of that name and shape is what the paging
// of services now says.
const generatedDown = "ServiceDown"

var (
	// upRuleRE is a rule that fires when scrape targets are down:
	// up{job="x"} == 0 or up{job=~"a|b"} == 0.
	upRuleRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^up\s*\{\s*job\s*(=~?)\s*"([^"\\]*)"\s*\}\s*==\s*0$`)
	})
	// literalJobRE finds jobs an expression names literally, job="x".
	literalJobRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?:^|[{,\s])job\s*=\s*"([^"\\]*)"`) })
	durationRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([0-9]+(ms|s|m|h|d|w|y))+$`) })
	recordRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`) })
	severityRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z][a-z0-9_-]*$`) })
)

// addAlertRules reads the team's rule file into prometheus.alerts. A
// ServiceDown rule on up == 0 over the jobs of services (the rule
// portschema generates) becomes the paging (alert:) of those services,
// on their scrape targets only, since the team's probes page by rules
// of their own; every other rule is kept as data, as written. A rule
// that selects a job prometheus.yml does not have could never fire, and
// regen would refuse it: it is dropped, and the report says so.
func (b *builder) addAlertRules() {
	if len(b.in.AlertRules) == 0 {
		return
	}
	pr := b.src.Platform.Prometheus
	if pr == nil {
		for _, in := range b.in.AlertRules {
			b.finding("alerts-without-prometheus", handwritten.Pos{File: in.Path},
				"the alert rules select jobs of a Prometheus config; give it with --prometheus to import them")
		}
		return
	}
	jobs := b.jobIndex(pr)
	notes := b.src.notes("prometheus")
	a := &schema.Alerts{}
	groups := nameSet{}
	var all []handwritten.RuleGroup
	for _, in := range b.in.AlertRules {
		all = append(all, in.Groups...)
	}
	for _, g := range all {
		group := schema.RuleGroup{Name: g.Name, Interval: g.Interval}
		if strings.HasSuffix(g.Name, "-down") || g.Name == "down" {
			group.Name = g.Name + "-rules"
			notes.Add("alerts", fmt.Sprintf("group %s is renamed %s: portschema names its generated groups <tier>-down", g.Name, group.Name))
		}
		if name := groups.claim(group.Name); name != group.Name {
			notes.Add("alerts", fmt.Sprintf("group %s appears twice; the second is %s", group.Name, name))
			group.Name = name
		}
		for _, key := range g.Other {
			notes.Add("alerts", fmt.Sprintf("%s of group %s was dropped: the source has no place for it", key, g.Name))
		}
		for _, r := range g.Rules {
			if b.pagingFrom(r, jobs) {
				continue
			}
			if rule, ok := b.keptRule(r, jobs); ok {
				group.Rules = append(group.Rules, rule)
			}
		}
		if len(group.Rules) > 0 {
			a.Groups = append(a.Groups, group)
		}
	}
	pr.Alerts = a
}

// jobs are the scrape jobs of the imported configuration: all of them by
// name, and those of one service each with their service.
type jobs struct {
	all     map[string]bool
	service map[string]*svc
	names   []string
}

func (b *builder) jobIndex(pr *schema.Prometheus) jobs {
	j := jobs{all: map[string]bool{}, service: map[string]*svc{}}
	add := func(name string) {
		if !j.all[name] {
			j.all[name] = true
			j.names = append(j.names, name)
		}
	}
	for _, s := range b.svcs {
		if s.Metrics != nil && s.Deployed {
			name := s.Name
			if s.Metrics.Job != "" {
				name = s.Metrics.Job
			}
			j.service[name] = s
			add(name)
		}
	}
	for _, m := range pr.Jobs {
		if name, ok := m["job_name"].(string); ok {
			add(name)
		}
	}
	for name := range pr.Probes {
		add(name)
	}
	slices.Sort(j.names)
	return j
}

// pagingFrom turns a ServiceDown rule on up == 0 into the paging of the
// services whose jobs it selects, and reports whether it did. A pattern
// alternative stands for the service jobs it matches; one that matches
// none is dropped. A rule naming any job that is not one service's
// stays a rule.
func (b *builder) pagingFrom(r handwritten.AlertRule, j jobs) bool {
	m := upRuleRE().FindStringSubmatch(strings.TrimSpace(r.Expr))
	if r.Alert != generatedDown || m == nil || len(r.Other) > 0 || (r.For != "" && !durationRE().MatchString(r.For)) {
		return false
	}
	for k := range r.Labels {
		if k != "severity" {
			return false
		}
	}
	severity := r.Labels["severity"]
	if severity != "" && !severityRE().MatchString(severity) {
		return false
	}
	alts := []string{m[2]}
	if m[1] == "=~" {
		alts = prometheus.Alternatives(m[2])
	}
	var paged []*svc
	var empty []string
	for _, alt := range alts {
		re, err := regexp.Compile("^(?:" + alt + ")$")
		if err != nil {
			return false
		}
		matched := 0
		for _, name := range j.names {
			if !re.MatchString(name) {
				continue
			}
			s := j.service[name]
			if s == nil {
				return false
			}
			paged = append(paged, s)
			matched++
		}
		if matched == 0 {
			empty = append(empty, alt)
		}
	}
	if len(paged) == 0 {
		return false
	}
	var names []string
	for _, s := range paged {
		names = append(names, s.Name)
		if s.Alert != nil {
			s.Notes.Add("alert", fmt.Sprintf("%s at %s also paged for it; the first rule wins", r.Alert, r.Pos))
			continue
		}
		s.Alert = &schema.Paging{Severity: severity, For: r.For, NoProbes: true}
		s.Notes.Add("alert", fmt.Sprintf("from %s at %s: this service pages when its scrape target is down (probes: false: the probes page by rules of their own)", r.Alert, r.Pos))
	}
	msg := fmt.Sprintf("the rule %s became the alert: of %s, from which it is generated", r.Alert, strings.Join(names, ", "))
	if len(empty) > 0 {
		msg += fmt.Sprintf("; %s matched no job and %s dropped", quoteAll(empty), plural(len(empty), "is", "are"))
	}
	b.src.notes("prometheus").Add("alerts", msg+" (its annotations are now the generated ones)")
	b.finding("alert-paging", r.Pos, "%s", msg)
	return true
}

// keptRule is a rule kept as data, or ok=false (with the reason in the
// report) for one the source cannot hold or regen would refuse.
func (b *builder) keptRule(r handwritten.AlertRule, j jobs) (schema.Rule, bool) {
	name := r.Alert
	if name == "" {
		name = r.Record
	}
	drop := func(why string) (schema.Rule, bool) {
		b.src.notes("prometheus").Add("alerts", fmt.Sprintf("rule %s (%s) was dropped: %s", name, r.Pos, why))
		b.finding("alert-dropped", r.Pos, "rule %s is not imported: %s", name, why)
		return schema.Rule{}, false
	}
	switch {
	case (r.Alert == "") == (r.Record == ""):
		return drop("a rule names an alert or a record")
	case r.Record != "" && !recordRE().MatchString(r.Record):
		return drop(fmt.Sprintf("%q is not a metric name", r.Record))
	case strings.TrimSpace(r.Expr) == "":
		return drop("it has no expression")
	case r.For != "" && (r.Record != "" || !durationRE().MatchString(r.For)):
		return drop(fmt.Sprintf("for: %q applies to alerts only, as a duration", r.For))
	}
	for _, m := range literalJobRE().FindAllStringSubmatch(r.Expr, -1) {
		if !j.all[m[1]] {
			return drop(fmt.Sprintf("it selects job %q, which the Prometheus config does not have, so it could never fire", m[1]))
		}
	}
	for _, labels := range []map[string]string{r.Labels, r.Annotations} {
		for k := range labels {
			if !labelNameRE().MatchString(k) {
				return drop(fmt.Sprintf("%q is not a label name", k))
			}
		}
	}
	for _, key := range r.Other {
		b.src.notes("prometheus").Add("alerts", fmt.Sprintf("%s of rule %s (%s) was dropped: the source has no place for it", key, name, r.Pos))
	}
	return schema.Rule{Alert: r.Alert, Record: r.Record, Expr: r.Expr, For: r.For, Labels: r.Labels, Annotations: r.Annotations}, true
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
