package alerts

import "portschema/schema"

// handwrittenGroups are the team's own groups, as the source keeps them.
func handwrittenGroups(a *schema.Alerts) []group {
	var out []group
	for _, g := range a.Groups {
		rules := make([]rule, 0, len(g.Rules))
		for _, r := range g.Rules {
			rules = append(rules, rule{Alert: r.Alert, Record: r.Record, Expr: r.Expr, For: r.For,
				Labels: r.Labels, Annotations: r.Annotations})
		}
		out = append(out, group{Name: g.Name, Interval: g.Interval, Rules: rules})
	}
	return out
}
