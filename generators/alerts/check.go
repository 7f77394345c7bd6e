package alerts

import (
	"fmt"
	"maps"
	"slices"

	"portschema/generators/output"
	"portschema/generators/prometheus"
	"portschema/schema"
)

// Check reports the problems of the source's alerting, errors and
// warnings, sorted by position: paging that can generate nothing,
// hand-written rules Prometheus would refuse or that select a job the
// generated configuration lacks, and tier entries no service uses. It
// reads no file.
func Check(p *schema.Platform, _ output.Read) (schema.Diagnostics, error) {
	return check(p).Sort(), nil
}

func check(p *schema.Platform) schema.Diagnostics {
	var ds schema.Diagnostics
	if p.Prometheus == nil || p.Prometheus.Alerts == nil {
		for _, s := range p.Services {
			if s.Alert != nil {
				ds = append(ds, errorAt(s.At("alert"), "%s: alert: is set, but the source has no prometheus: alerts: block, so no rule is generated", s.Name))
			}
		}
		return ds
	}
	a := p.Prometheus.Alerts
	tiers := map[string]bool{}
	for _, s := range p.Services {
		tiers[s.Tier] = true
		if s.Alert != nil && !s.Alert.Off && s.Deployed && s.Metrics == nil && len(s.Probes) == 0 {
			ds = append(ds, errorAt(s.At("alert"), "%s: alert: is set, but nothing watches the service; declare metrics: or probes: for it", s.Name))
		}
	}
	for _, tier := range slices.Sorted(maps.Keys(a.Tiers)) {
		if !tiers[tier] {
			ds = append(ds, schema.Diagnostic{Severity: schema.Warning, Pos: p.Prometheus.At("alerts.tiers." + tier),
				Message: fmt.Sprintf("prometheus: alerts: tier %s has no service; remove its entry", tier)})
		}
	}
	return append(ds, checkGroups(p)...)
}

// checkGroups checks the hand-written groups: names unique (and not a
// generated group's), each rule an alert or a record, and every job its
// expression selects a job of the generated configuration.
func checkGroups(p *schema.Platform) schema.Diagnostics {
	var ds schema.Diagnostics
	names := map[string]string{}
	for _, g := range generatedGroups(p) {
		names[g.Name] = "generated"
	}
	var exprs []prometheus.RuleExpr
	for i, g := range p.Prometheus.Alerts.Groups {
		at := func(path string) schema.Pos { return p.Prometheus.At(fmt.Sprintf("alerts.groups[%d]%s", i, path)) }
		switch names[g.Name] {
		case "generated":
			ds = append(ds, errorAt(at(".name"), "prometheus: alerts: group %q is the name of a generated group; rename it", g.Name))
		case "":
			names[g.Name] = "handwritten"
		default:
			ds = append(ds, errorAt(at(".name"), "prometheus: alerts: group %q is defined twice", g.Name))
		}
		for j, r := range g.Rules {
			rat := func(path string) schema.Pos { return at(fmt.Sprintf(".rules[%d]%s", j, path)) }
			switch {
			case r.Alert == "" && r.Record == "":
				ds = append(ds, errorAt(rat(""), "prometheus: alerts: rule %d of group %q needs alert: (a name) or record: (a metric)", j, g.Name))
				continue
			case r.Alert != "" && r.Record != "":
				ds = append(ds, errorAt(rat(".record"), "prometheus: alerts: %s: a rule is an alert or a record, not both", r.Name()))
			case r.Record != "" && r.For != "":
				ds = append(ds, errorAt(rat(".for"), "prometheus: alerts: %s: for: applies to alerts only", r.Name()))
			}
			exprs = append(exprs, prometheus.RuleExpr{Rule: r.Name(), Expr: r.Expr, Pos: rat(".expr")})
		}
	}
	return append(ds, prometheus.CheckRuleExprs(p, exprs)...)
}

func errorAt(pos schema.Pos, format string, args ...any) schema.Diagnostic {
	return schema.Diagnostic{Severity: schema.Error, Pos: pos, Message: fmt.Sprintf(format, args...)}
}
