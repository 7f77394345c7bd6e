package schema

// checkPorts: every published port is unique on its host; a main port
// lies in its range, unless a planned slot in the range or an exception
// says why not.
func checkPorts(c *collector, p *Platform) {
	type slot struct {
		host     string
		port     int
		protocol string
	}
	taken := make(map[slot]PortRef, len(p.Services))
	for _, s := range p.Services {
		nonCompose := !s.HostRef.IsCompose()
		for _, pr := range s.AllPorts() {
			if !pr.Publish && !nonCompose {
				continue
			}
			k := slot{s.Host, pr.Port, pr.Protocol}
			if other, ok := taken[k]; ok {
				c.errorf(pr.Pos, []Pos{other.Pos}, "%s: port %d on host %s is already taken by %s",
					pr.Label(), pr.Port, s.Host, other.Label())
				continue
			}
			taken[k] = pr
		}
		r := s.RangeRef
		if r == nil || r.Contains(s.Port) || s.Exception != "" {
			continue
		}
		if s.Planned != nil && plannedRange(s).Contains(s.Planned.Port) {
			continue
		}
		c.errorf(s.At("port"), []Pos{r.At("")}, "%s: port %d is outside range %s (%d-%d); move it, plan a slot in the range (planned: port:) or give a reason (exception:)",
			s.Name, s.Port, r.Name, r.From, r.To)
	}
}
