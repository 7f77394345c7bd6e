package schema

import "fmt"

// checkOutputs: two outputs never share a path.
func checkOutputs(c *collector, p *Platform) {
	seen := map[string]Pos{}
	claim := func(path string, pos Pos) {
		if path == "" {
			return
		}
		if other, ok := seen[path]; ok {
			c.errorf(pos, []Pos{other}, "output path %s is used twice", path)
			return
		}
		seen[path] = pos
	}
	claim(p.Outputs.PortDoc, lookupPos(p.Outputs.Pos, "port_doc"))
	claim(p.Outputs.Prometheus, lookupPos(p.Outputs.Pos, "prometheus"))
	claim(p.Outputs.URLDoc, lookupPos(p.Outputs.Pos, "url_doc"))
	if p.Prometheus != nil && p.Prometheus.Alerts != nil {
		claim(p.Outputs.Alerts, lookupPos(p.Outputs.Pos, "alerts"))
	}
	for _, h := range p.Hosts {
		if h.Compose != nil {
			claim(h.Compose.Output, h.At("compose.output"))
			claim(h.Compose.SecretsOutput, h.At("compose.secrets_output"))
			if h.Compose.Logs != nil {
				claim(h.Compose.Logs.Output, h.At("compose.logs.output"))
			}
		}
		if h.Tunnel != nil {
			claim(h.Tunnel.Output, h.At("tunnel.output"))
		}
	}
	for _, s := range p.Services {
		for i, f := range s.EnvFiles {
			claim(f, s.At(fmt.Sprintf("env_files[%d]", i)))
		}
	}
}
