package schema

import "fmt"

// checkPorts: every published port is unique on its host, per protocol
// and address (see binding); a main port lies in its range, unless a
// planned slot in the range or an exception says why not.
func checkPorts(c *collector, p *Platform) {
	type slot struct {
		host     string
		port     int
		protocol string
	}
	type claim struct {
		ref PortRef
		at  binding
	}
	taken := make(map[slot][]claim, len(p.Services))
	for _, s := range p.Services {
		ownNetwork := s.HostRef.HasOwnNetwork()
		for _, pr := range s.AllPorts() {
			if !pr.Publish && ownNetwork {
				continue
			}
			k := slot{s.Host, pr.Port, pr.Protocol}
			claims := taken[k]
			clashed := false
			for _, b := range bindingsOf(pr.HostIPs) {
				for _, other := range claims {
					if clashed || !b.overlaps(other.at) {
						continue
					}
					clashed = true
					c.errorf(pr.Pos, []Pos{other.ref.Pos}, "%s: port %d on host %s%s is already taken by %s%s%s",
						pr.Label(), pr.Port, s.Host, b.describe(), other.ref.Label(), other.at.describe(), freeHint(p, pr, s.Host))
				}
				taken[k] = append(taken[k], claim{pr, b})
			}
		}
		r := s.RangeRef
		if r == nil || r.Contains(s.Port) || s.Exception != "" {
			continue
		}
		if s.Planned != nil && plannedRange(s).Contains(s.Planned.Port) {
			continue
		}
		move := "move it"
		if free, ok := nextFreeIn(p, r.Name, s.Host); ok {
			move = fmt.Sprintf("move it (%d is free)", free)
		}
		c.errorf(s.At("port"), []Pos{r.At("")}, "%s: port %d is outside range %s (%d-%d); %s, plan a slot in the range (planned: port:) or give a reason (exception:)",
			s.Name, s.Port, r.Name, r.From, r.To, move)
	}
}

// freeHint is the clause a port collision ends with to name the port to
// take instead: "; 3004 is free in range core", or "" when none is.
func freeHint(p *Platform, pr PortRef, host string) string {
	rng := rangeOfPort(p, pr)
	if free, ok := nextFreeIn(p, rng, host); ok {
		return fmt.Sprintf("; %d is free in range %s", free, rng)
	}
	return ""
}
