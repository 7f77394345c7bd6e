package schema

import "fmt"

// checkReferences reports every name that names nothing: a service's
// host, range, planned range and frontend, a public hostname's port,
// the prometheus block's host and a probe job's exporter. (Needs are
// checked with the other rules of needs, see checkNeeds.) Each one
// left a nil reference behind (see resolve).
func checkReferences(c *collector, p *Platform) {
	for _, s := range p.Services {
		if s.HostRef == nil && !p.isBroken("hosts", s.Host) {
			c.errorf(s.At("host"), nil, "%s: unknown host %q%s", s.Name, s.Host, suggest(s.Host, hostNames(p)))
		}
		if s.RangeRef == nil && !p.isBroken("ranges", s.Range) {
			c.errorf(s.At("range"), nil, "%s: unknown range %q%s", s.Name, s.Range, suggest(s.Range, rangeNames(p)))
		}
		if s.Planned != nil && s.Planned.Range != "" && s.Planned.RangeRef == nil && !p.isBroken("ranges", s.Planned.Range) {
			c.errorf(s.At("planned.range"), nil, "%s: unknown range %q", s.Name, s.Planned.Range)
		}
		if s.FrontendOf != "" && p.Service(s.FrontendOf) == nil && !p.isBroken("services", s.FrontendOf) {
			c.errorf(s.At("frontend_of"), nil, "%s: unknown service %q", s.Name, s.FrontendOf)
		}
		for i, pub := range s.Public {
			if _, ok := s.PortNamed(pub.Port); !ok {
				c.errorf(s.At(fmt.Sprintf("public[%d].port", i)), nil, "%s: no port named %q", s.Name, pub.Port)
			}
		}
	}
	if pr := p.Prometheus; pr != nil {
		if pr.HostRef == nil && !p.isBroken("hosts", pr.Host) {
			c.errorf(pr.At("host"), nil, "prometheus: unknown host %q%s", pr.Host, suggest(pr.Host, hostNames(p)))
		}
		for _, name := range sortedKeys(pr.Probes) {
			if job := pr.Probes[name]; job.ExporterRef == nil && !p.isBroken("services", job.Exporter) {
				c.errorf(pr.At("probes."+name+".exporter"), nil, "prometheus: probe %s: unknown exporter service %q%s",
					name, job.Exporter, suggest(job.Exporter, serviceNames(p)))
			}
		}
	}
}
