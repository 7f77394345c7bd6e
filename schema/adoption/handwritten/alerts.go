package handwritten

import (
	"regexp"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"
)

// AlertsFile is one Prometheus rule file as written: the format
// Prometheus, vmalert and promtool read.
type AlertsFile struct {
	Path   string
	Rules  []AlertRule // in file order, every group's
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
	Name          string // the alert: or record: name
	Alert, Record string
	Pos           Pos // the rule's list item
	// Expr is the PromQL expression; ExprPos its line.
	Expr        string
	ExprPos     Pos
	For         string
	Labels      map[string]string
	Annotations map[string]string
	// Other are keys of the rule besides those above (keep_firing_for,
	// ...), sorted.
	Other []string
	// Jobs are the job label matchers of the expression's selectors.
	Jobs []JobMatcher
}

// JobMatcher is one `job="x"`, `job=~"x|y"` matcher of a selector. An
// alert whose matcher names no scrape job never fires.
type JobMatcher struct {
	Op    string // "=" or "=~" (negative matchers name nothing to find)
	Value string // as written, unquoted
}

// jobMatcher finds job matchers in PromQL: job="…" and job=~"…", with
// either quote.
var jobMatcher = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile("\\bjob\\s*(=~|=)\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)')")
})

// ReadAlerts reads and parses the rule file at path.
func ReadAlerts(path string) (*AlertsFile, error) {
	data, err := readFile("alerts", path)
	if err != nil {
		return nil, err
	}
	return ParseAlerts(path, data)
}

// ParseAlerts parses a Prometheus rule file held in data; name is used in
// positions and errors. It reads every group and rule, and each rule's
// job matchers.
func ParseAlerts(name string, data []byte) (*AlertsFile, error) {
	doc, err := parseYAML("alerts", name, data)
	if err != nil {
		return nil, err
	}
	f := &AlertsFile{Path: name}
	groups := lookup(doc.root, "groups")
	if groups == nil {
		return f, nil
	}
	for _, g := range items(groups.value) {
		group := readRuleGroup(doc, g)
		f.Groups = append(f.Groups, group)
		f.Rules = append(f.Rules, group.Rules...)
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
			r.Name = r.Alert
		case "record":
			r.Record = scalar(f.value)
			r.Name = r.Record
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
	r.Jobs = jobMatchers(r.Expr)
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

func jobMatchers(expr string) []JobMatcher {
	var out []JobMatcher
	for _, m := range jobMatcher().FindAllStringSubmatch(expr, -1) {
		v := m[2]
		if v == "" {
			v = m[3]
		}
		v = strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\'`, `'`).Replace(v)
		out = append(out, JobMatcher{Op: m[1], Value: v})
	}
	return out
}
