package handwritten

import (
	"sort"

	"go.yaml.in/yaml/v4"
)

// AlertRulesFile is a Prometheus rule file as written: the format
// Prometheus, vmalert and promtool read.
type AlertRulesFile struct {
	Path   string
	Groups []RuleGroup // in file order
}

// RuleGroup is one entry of groups.
type RuleGroup struct {
	Name     string
	Interval string
	Pos      Pos
	Rules    []AlertRule
	// Other are keys of the group besides name, interval and rules
	// (limit, query_offset, ...), sorted.
	Other []string
}

// AlertRule is one alerting rule (Alert set) or recording rule (Record
// set).
type AlertRule struct {
	Alert, Record string
	Expr          string
	ExprPos       Pos
	For           string
	Labels        map[string]string
	Annotations   map[string]string
	Pos           Pos
	// Other are keys of the rule besides those above (keep_firing_for,
	// ...), sorted.
	Other []string
}

// ReadAlertRules reads and parses the rule file at path.
func ReadAlertRules(path string) (*AlertRulesFile, error) {
	data, err := readFile("alert rules", path)
	if err != nil {
		return nil, err
	}
	return ParseAlertRules(path, data)
}

// ParseAlertRules parses a rule file held in data; name is used in
// positions and errors.
func ParseAlertRules(name string, data []byte) (*AlertRulesFile, error) {
	doc, err := parseYAML("alert rules", name, data)
	if err != nil {
		return nil, err
	}
	f := &AlertRulesFile{Path: name}
	g := lookup(doc.root, "groups")
	if g == nil {
		return f, nil
	}
	for _, item := range items(g.value) {
		f.Groups = append(f.Groups, readRuleGroup(doc, item))
	}
	return f, nil
}

func readRuleGroup(doc *yamlDoc, n *yaml.Node) RuleGroup {
	g := RuleGroup{Pos: doc.pos(n)}
	for _, f := range fields(n) {
		switch f.key {
		case "name":
			g.Name = scalar(f.value)
		case "interval":
			g.Interval = scalar(f.value)
		case "rules":
			for _, r := range items(f.value) {
				g.Rules = append(g.Rules, readAlertRule(doc, r))
			}
		default:
			g.Other = append(g.Other, f.key)
		}
	}
	sort.Strings(g.Other)
	return g
}

func readAlertRule(doc *yamlDoc, n *yaml.Node) AlertRule {
	r := AlertRule{Pos: doc.pos(n)}
	for _, f := range fields(n) {
		switch f.key {
		case "alert":
			r.Alert = scalar(f.value)
		case "record":
			r.Record = scalar(f.value)
		case "expr":
			r.Expr, r.ExprPos = scalar(f.value), doc.pos(f.value)
		case "for":
			r.For = scalar(f.value)
		case "labels":
			r.Labels = scalarMap(f.value)
		case "annotations":
			r.Annotations = scalarMap(f.value)
		default:
			r.Other = append(r.Other, f.key)
		}
	}
	sort.Strings(r.Other)
	return r
}

// scalarMap reads a mapping of scalars; other values are skipped.
func scalarMap(n *yaml.Node) map[string]string {
	out := map[string]string{}
	for _, f := range fields(n) {
		if v := resolve(f.value); v != nil && v.Kind == yaml.ScalarNode {
			out[f.key] = scalar(v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
