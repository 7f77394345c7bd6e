package generators

import (
	"portschema/generators/cloudflared"
	"portschema/generators/compose"
	"portschema/generators/env"
	"portschema/generators/portdoc"
	"portschema/generators/prometheus"
)

// All returns the generators, one line each. A path two of them
// produce is reported as the later one's.
func All() []Generator {
	return []Generator{
		{Name: "portdoc", Generate: portdoc.Generate},
		{Name: "compose", Generate: compose.Generate, Check: compose.Check},
		{Name: "prometheus", Generate: prometheus.Generate, Check: prometheus.Check},
		{Name: "cloudflared", Generate: cloudflared.Generate},
		{Name: "env", Generate: env.Generate},
	}
}
