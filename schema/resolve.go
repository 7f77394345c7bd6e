package schema

// resolve points every reference of the model at what it names, once,
// after decoding: a service at its host and range, a host at its
// services, a planned slot at its range, a need at its target, the
// prometheus block at its host and each probe job at its exporter.
// Readers then follow pointers instead of looking names up again.
//
// A name that is unknown leaves its pointer nil; the rules report it
// (see checkReferences) and Resolved is false. Only the source's own
// rules read such a model: every output's rules and generators read a
// model whose references all resolved. So is a model that lacks the
// entities CUE could not evaluate (see partialExport): the outputs'
// rules read the whole model (an alert selects any service's job), and
// wait for a source that evaluates whole.
func (p *Platform) resolve() {
	p.resolved = len(p.broken) == 0
	found := func(ok bool) {
		if !ok {
			p.resolved = false
		}
	}
	for _, s := range p.Services {
		s.HostRef, s.RangeRef = p.hosts[s.Host], p.ranges[s.Range]
		found(s.HostRef != nil)
		found(s.RangeRef != nil)
		if s.HostRef != nil {
			s.HostRef.Services = append(s.HostRef.Services, s)
		}
		if s.Planned != nil {
			name := s.Planned.Range
			if name == "" {
				name = s.Range
			}
			s.Planned.RangeRef = p.ranges[name]
			found(s.Planned.RangeRef != nil)
		}
		for i := range s.Needs {
			s.Needs[i].Target = p.services[s.Needs[i].Service]
			found(s.Needs[i].Target != nil)
		}
		if s.FrontendOf != "" {
			found(p.services[s.FrontendOf] != nil)
		}
	}
	if pr := p.Prometheus; pr != nil {
		pr.HostRef = p.hosts[pr.Host]
		found(pr.HostRef != nil)
		for name, job := range pr.Probes {
			job.ExporterRef = p.services[job.Exporter]
			found(job.ExporterRef != nil)
			pr.Probes[name] = job
		}
	}
}

// Resolved reports whether every reference of the model names
// something that exists: a host, a range, a service. Load reports each
// one that does not; the rules of the outputs only run on a model that
// resolved, since they read it through its references.
func (p *Platform) Resolved() bool { return p.resolved }
