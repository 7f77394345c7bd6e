package schema

// A port of a range is free on a host when a new service there can take
// it without breaking a rule or drawing a warning:
//
//   - no service on the host has it as a port, main or named, published
//     or not, deployed or not (an unpublished port is free on the host
//     today, but publishing it later must not collide, and a service not
//     deployed still owns its slot);
//   - no service on the host plans to move to it;
//   - no deployed service on another host has it or plans it: a laptop
//     runs every deployed service on localhost, where the two would
//     clash (see LaptopClashes).
//
// Free on every host (host "") is the strictest reading: no service of
// the platform has or plans the port. It is what the port document
// calls free.

// FreePorts returns the free ports of range r on host, in order; host ""
// means free on every host.
func (p *Platform) FreePorts(r *Range, host string) []int {
	if r == nil {
		return nil
	}
	taken := p.takenPorts(r, host)
	var free []int
	for port := r.From; port <= r.To; port++ {
		if !taken[port] {
			free = append(free, port)
		}
	}
	return free
}

// NextFreePort is the first free port of range r on host ("" for every
// host); ok is false when the range has none.
func (p *Platform) NextFreePort(r *Range, host string) (port int, ok bool) {
	if r == nil {
		return 0, false
	}
	taken := p.takenPorts(r, host)
	for port := r.From; port <= r.To; port++ {
		if !taken[port] {
			return port, true
		}
	}
	return 0, false
}

// takenPorts are the ports of r that are not free on host.
func (p *Platform) takenPorts(r *Range, host string) map[int]bool {
	taken := map[int]bool{}
	mark := func(port int) {
		if r.Contains(port) {
			taken[port] = true
		}
	}
	for _, s := range p.Services {
		if host != "" && s.Host != host && !s.Deployed {
			continue
		}
		for _, pr := range s.AllPorts() {
			mark(pr.Port)
		}
		if s.Planned != nil {
			mark(s.Planned.Port)
		}
	}
	return taken
}

// nextFreeIn is the first free port on host of the named range, for
// errors that point at one; ok is false when the range is unknown or
// full.
func nextFreeIn(p *Platform, rangeName, host string) (port int, ok bool) {
	return p.NextFreePort(p.Range(rangeName), host)
}

// DidYouMean is ` (did you mean "x"?)` for the known name closest to
// name, or "" when none is close: for messages about a name a user
// typed on the command line, worded as the source's errors are.
func DidYouMean(name string, known []string) string { return suggest(name, known) }

// rangeOfPort is the range a port is counted in: the service's own for
// its main port, the range holding the number for a named port (or the
// service's own when none does).
func rangeOfPort(p *Platform, pr PortRef) string {
	if pr.Name != MainPort {
		for _, r := range p.Ranges {
			if r.Contains(pr.Port) {
				return r.Name
			}
		}
	}
	return pr.Service.Range
}
