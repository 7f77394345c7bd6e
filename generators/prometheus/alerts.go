package prometheus

import (
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v4"

	"portschema/generators/output"
	"portschema/schema"
)

// checkAlerts reads the alert rule files the source names
// (outputs.alert_rules) and reports every rule whose expression selects
// a job that the generated prometheus.yml does not have: such an alert
// can never fire, which is how a renamed or removed service silently
// loses its monitoring.
//
// A job named literally (job="x", or an alternative "x" of job=~"x|y")
// that is missing is an error; a pattern alternative (".*-backend")
// that matches no job is a warning. Positions are the rule file's own
// line and column of the matcher. jobs are the names of the generated
// jobs. read gets each path as the source writes it, relative to the
// project root. A rule file that does not exist is an error at the
// source's mention of it; other read failures are returned as the
// error.
func checkAlerts(p *schema.Platform, jobs []string, read output.Read) (schema.Diagnostics, error) {
	if len(p.Outputs.AlertRules) == 0 {
		return nil, nil
	}
	c := &alertChecker{p: p, jobs: map[string]bool{}, names: jobs, config: p.Outputs.Prometheus}
	for _, name := range c.names {
		c.jobs[name] = true
	}
	for i, path := range p.Outputs.AlertRules {
		data, err := read(path)
		if errors.Is(err, fs.ErrNotExist) {
			c.diags = append(c.diags, errorAt(p.Outputs.At(fmt.Sprintf("alert_rules[%d]", i)),
				"alert rule file %s does not exist", path))
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading alert rules: %w", err)
		}
		c.checkFile(path, data)
	}
	return c.diags.Sort(), nil
}

// alertChecker holds what every rule file is checked against.
type alertChecker struct {
	p      *schema.Platform
	jobs   map[string]bool
	names  []string
	config string
	diags  schema.Diagnostics
}

var yamlLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line (\d+)`) })

func (c *alertChecker) checkFile(path string, data []byte) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		pos := schema.Pos{File: path}
		if m := yamlLineRE().FindStringSubmatch(err.Error()); m != nil {
			pos.Line, _ = strconv.Atoi(m[1])
			pos.Col = 1
		}
		c.diags = append(c.diags, errorAt(pos, "alert rules: %v", err))
		return
	}
	lines := strings.Split(string(data), "\n")
	walkRules(&doc, func(name string, expr *yaml.Node) {
		seen := map[string]int{}
		for _, m := range jobMatchers(expr.Value) {
			pos := locate(path, lines, expr, m.Text, seen[m.Text])
			seen[m.Text]++
			c.checkMatcher(name, m, pos)
		}
	})
}

// walkRules calls fn for every mapping with an `expr` string, named by
// its `alert` or `record` key. It looks at every mapping rather than
// only groups[].rules[], so rules wrapped in other documents (an
// operator's resource, say) are checked too.
func walkRules(n *yaml.Node, fn func(name string, expr *yaml.Node)) {
	if n.Kind == yaml.MappingNode {
		var name string
		var expr *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			switch {
			case (k == "alert" || k == "record") && v.Kind == yaml.ScalarNode:
				name = k + " " + v.Value
			case k == "expr" && v.Kind == yaml.ScalarNode:
				expr = v
			}
		}
		if expr != nil {
			if name == "" {
				name = "rule"
			}
			fn(name, expr)
		}
	}
	for _, child := range n.Content {
		walkRules(child, fn)
	}
}

// locate finds the nth occurrence of a matcher's text in the file from
// the expression's first line on, so that block scalars point at the
// right line; where the text is escaped in the file, the expression's
// own position is the answer.
func locate(path string, lines []string, expr *yaml.Node, text string, nth int) schema.Pos {
	for l := expr.Line - 1; l >= 0 && l < len(lines); l++ {
		from := 0
		if l == expr.Line-1 {
			from = min(expr.Column-1, len(lines[l]))
		}
		for {
			i := strings.Index(lines[l][from:], text)
			if i < 0 {
				break
			}
			if nth == 0 {
				return schema.Pos{File: path, Line: l + 1, Col: from + i + 1}
			}
			nth--
			from += i + len(text)
		}
	}
	return schema.Pos{File: path, Line: expr.Line, Col: expr.Column}
}

// checkMatcher reports the parts of one job matcher that select no job.
func (c *alertChecker) checkMatcher(rule string, m jobMatcher, pos schema.Pos) {
	if !m.Regex {
		c.missing(rule, m, m.Value, pos)
		return
	}
	if _, err := anchored(m.Value); err != nil {
		c.diags = append(c.diags, errorAt(pos, "%s: %s is not a valid regular expression: %v", rule, m.Text, err))
		return
	}
	for _, alt := range Alternatives(m.Value) {
		if lit, ok := literalOf(alt); ok {
			if lit != "" {
				c.missing(rule, m, lit, pos)
			}
			continue
		}
		re, err := anchored(alt)
		if err != nil || c.matchesAny(re) {
			continue
		}
		c.diags = append(c.diags, schema.Diagnostic{Severity: schema.Warning, Pos: pos,
			Message: fmt.Sprintf("%s: %s: pattern %q matches no job in %s", rule, m.Text, alt, c.config)})
	}
}

func (c *alertChecker) matchesAny(re *regexp.Regexp) bool {
	for _, name := range c.names {
		if re.MatchString(name) {
			return true
		}
	}
	return false
}

// missing reports a literal job name the configuration lacks, with the
// reason where the model knows it.
func (c *alertChecker) missing(rule string, m jobMatcher, job string, pos schema.Pos) {
	if c.jobs[job] {
		return
	}
	d := errorAt(pos, "%s: selects job %q, which is not in %s", rule, job, c.config)
	if m.Regex {
		d.Message = fmt.Sprintf("%s: %s: alternative %q is not a job in %s", rule, m.Text, job, c.config)
	}
	if pr := c.p.Prometheus; pr != nil && pr.Probes[job] != (schema.ProbeJob{}) {
		d.Message += "; no deployed service asks for this probe"
		d.Related = []schema.Pos{pr.At("probes." + job)}
	} else if s := c.p.Service(job); s != nil {
		switch {
		case !s.Deployed:
			d.Message += fmt.Sprintf("; service %s is not deployed", s.Name)
			d.Related = []schema.Pos{s.At("deployed")}
		case s.Metrics == nil:
			d.Message += fmt.Sprintf("; service %s declares no metrics", s.Name)
			d.Related = []schema.Pos{s.At("")}
		case JobName(s) != job:
			d.Message += fmt.Sprintf("; service %s is scraped as job %q", s.Name, JobName(s))
			d.Related = []schema.Pos{s.At("metrics.job")}
		}
	}
	c.diags = append(c.diags, d)
}

// jobNames lists the jobs of a configuration, sorted.
func jobNames(cfg *config) []string {
	var out []string
	for _, j := range cfg.ScrapeConfigs {
		out = append(out, jobName(j))
	}
	sort.Strings(out)
	return out
}
