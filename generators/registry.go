package generators

import (
	"portschema/generators/alerts"
	"portschema/generators/cloudflared"
	"portschema/generators/compose"
	"portschema/generators/env"
	"portschema/generators/kubernetes"
	"portschema/generators/portdoc"
	"portschema/generators/prometheus"
	"portschema/generators/promtail"
	"portschema/generators/urldoc"
)

// All returns the generators, one line each. A path two of them
// produce is reported as the later one's.
func All() []Generator {
	return []Generator{
		{Name: "portdoc", Generate: portdoc.Generate},
		{Name: "compose", Generate: compose.Generate, Check: compose.Check},
		preparedGenerator("prometheus", prometheus.Prepare),
		preparedGenerator("cloudflared", cloudflared.Prepare),
		preparedGenerator("env", env.Prepare),
		{Name: "alerts", Generate: alerts.Generate, Check: alerts.Check},
		preparedGenerator("promtail", promtail.Prepare),
		{Name: "urldoc", Generate: urldoc.Generate},
		preparedGenerator("kubernetes", kubernetes.Prepare),
	}
}
