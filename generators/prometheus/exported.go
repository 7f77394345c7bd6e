package prometheus

import "portschema/schema"

// Job is a scrape job of the generated prometheus.yml, as other outputs
// need to know it: the alert rules select jobs by these names, so they
// can never name a job the configuration does not have.
type Job struct {
	Name string
	// Probe is set for a blackbox job: its series is probe_success,
	// not up.
	Probe bool
	// Services are the services with targets in the job, in the order
	// of its static configs; a hand-written job has none.
	Services []string
}

// Jobs lists the jobs of the generated prometheus.yml in file order,
// taken from the very configuration Generate writes. A source without
// a prometheus block has none.
func Jobs(p *schema.Platform) []Job {
	if p.Prometheus == nil {
		return nil
	}
	cfg, _ := build(p)
	var out []Job
	for _, sc := range cfg.ScrapeConfigs {
		job := Job{Name: jobName(sc)}
		if c, ok := sc.(scrapeConfig); ok {
			job.Probe = c.MetricsPath == "/probe" && c.Params["module"] != nil
			for _, st := range c.StaticConfigs {
				if name := st.Labels["service"]; name != "" {
					job.Services = append(job.Services, name)
				}
			}
		}
		out = append(out, job)
	}
	return out
}

// RuleExpr is the expression of a rule written in the source, at its
// position there.
type RuleExpr struct {
	Rule string
	Expr string
	Pos  schema.Pos
}

// CheckRuleExprs reports, as CheckAlerts does for rule files, every job
// an expression selects that the generated prometheus.yml lacks: an
// error for a job named literally, a warning for a pattern that matches
// no job. Each is at the expression's position in the source.
func CheckRuleExprs(p *schema.Platform, exprs []RuleExpr) schema.Diagnostics {
	c := &alertChecker{p: p, jobs: map[string]bool{}, config: p.Outputs.Prometheus}
	for _, j := range Jobs(p) {
		c.names = append(c.names, j.Name)
		c.jobs[j.Name] = true
	}
	for _, e := range exprs {
		for _, m := range jobMatchers(e.Expr) {
			c.checkMatcher(e.Rule, m, e.Pos)
		}
	}
	return c.diags.Sort()
}
