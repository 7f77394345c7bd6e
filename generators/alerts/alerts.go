// Package alerts generates the alert rule file (Prometheus' rule
// format, as Prometheus and vmalert load it) from the model.
//
// The file holds, in this order:
//
//   - one group per tier (`<tier>-down`, and `down` for the services
//     with no tier) of the generated rules: ServiceDown, `up == 0` on
//     the scrape jobs of the services that page, and ProbeFailed,
//     `probe_success == 0` on the blackbox jobs that probe them; one
//     rule per severity and `for:` the services of the tier page with;
//   - the groups the team wrote by hand (prometheus.alerts.groups), kept
//     as data in the source and written as they are.
//
// Which services page, and how, is the source's: a service's alert:, or
// its tier's entry in prometheus.alerts.tiers, or
// prometheus.alerts.default (schema.Platform.PagingOf).
//
// Selectors are never typed: the jobs are read from the configuration
// the prometheus generator writes (prometheus.Jobs), so a generated rule
// can only name a job that exists, and a removed service leaves no rule
// behind. The hand-written rules are checked against the same jobs
// (Check): one that selects a job the configuration lacks is an error at
// its expression in the source.
package alerts

import (
	"fmt"

	"portschema/generators/output"
	"portschema/generators/yamlout"
	"portschema/schema"
)

// DefaultOutput is where the rule file goes when the source names no path.
const DefaultOutput = "out/alerts.yml"

// Generate returns the rule file, or nothing when the source has no
// prometheus.alerts block. It relies on a source that passes Check.
func Generate(p *schema.Platform) ([]output.File, error) {
	if p.Prometheus == nil || p.Prometheus.Alerts == nil {
		return nil, nil
	}
	f := ruleFile{Groups: append(generatedGroups(p), handwrittenGroups(p.Prometheus.Alerts)...)}
	if f.Groups == nil {
		f.Groups = []group{}
	}
	data, err := yamlout.Marshal(f)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	return []output.File{{Path: OutputPath(p), Data: data}}, nil
}

// OutputPath is the path of the rule file relative to the project root.
func OutputPath(p *schema.Platform) string {
	if p.Outputs.Alerts != "" {
		return p.Outputs.Alerts
	}
	return DefaultOutput
}
