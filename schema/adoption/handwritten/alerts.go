package handwritten

import (
	"regexp"
	"strings"
)

// AlertsFile is one Prometheus rule file as written.
type AlertsFile struct {
	Path  string
	Rules []AlertRule // in file order, every group's
}

// AlertRule is one alerting or recording rule.
type AlertRule struct {
	Name string // the alert: or record: name
	Pos  Pos    // the rule's list item
	// Expr is the PromQL expression; ExprPos its line.
	Expr    string
	ExprPos Pos
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
var jobMatcher = regexp.MustCompile("\\bjob\\s*(=~|=)\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)')")

// ReadAlerts reads and parses the rule file at path.
func ReadAlerts(path string) (*AlertsFile, error) {
	data, err := readFile("alerts", path)
	if err != nil {
		return nil, err
	}
	return ParseAlerts(path, data)
}

// ParseAlerts parses a Prometheus rule file held in data; name is used in
// positions and errors. It reads each rule's name and expression.
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
		rules := lookup(g, "rules")
		if rules == nil {
			continue
		}
		for _, item := range items(rules.value) {
			r := AlertRule{Pos: doc.pos(item)}
			for _, fl := range fields(item) {
				switch fl.key {
				case "alert", "record":
					r.Name = scalar(fl.value)
				case "expr":
					r.Expr, r.ExprPos = scalar(fl.value), doc.pos(fl.value)
				}
			}
			r.Jobs = jobMatchers(r.Expr)
			f.Rules = append(f.Rules, r)
		}
	}
	return f, nil
}

func jobMatchers(expr string) []JobMatcher {
	var out []JobMatcher
	for _, m := range jobMatcher.FindAllStringSubmatch(expr, -1) {
		v := m[2]
		if v == "" {
			v = m[3]
		}
		v = strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\'`, `'`).Replace(v)
		out = append(out, JobMatcher{Op: m[1], Value: v})
	}
	return out
}
