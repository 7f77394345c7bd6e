package schema

import "strings"

// checkRanges: ranges don't overlap.
func checkRanges(c *collector, p *Platform) {
	// Ranges are sorted by first port: each must start after the
	// furthest end seen so far.
	var widest *Range
	for _, r := range p.Ranges {
		if widest != nil && r.From <= widest.To {
			c.errorf(r.At("from"), []Pos{widest.At("")}, "range %s (%d-%d) overlaps range %s (%d-%d)",
				r.Name, r.From, r.To, widest.Name, widest.From, widest.To)
		}
		if widest == nil || r.To > widest.To {
			widest = r
		}
	}
}

// checkPlans: a planned slot lies in its range, no two services plan
// the same slot, and no service sits on a slot planned for another
// unless it plans to leave it (a rotation: one moves out, the other in);
// off-plan services, nearly full ranges and mismatched backend/frontend
// digits are warnings.
func checkPlans(c *collector, p *Platform) {
	type slot struct {
		host string
		port int
	}
	planned := map[slot]*Service{}
	used := map[string]int{}
	for _, s := range p.Services {
		used[s.Range]++
		if s.Planned == nil {
			continue
		}
		if r := plannedRange(s); r != nil && !r.Contains(s.Planned.Port) {
			c.errorf(s.At("planned.port"), []Pos{r.At("")}, "%s: planned port %d is outside range %s (%d-%d)",
				s.Name, s.Planned.Port, r.Name, r.From, r.To)
		}
		k := slot{s.Host, s.Planned.Port}
		if other, ok := planned[k]; ok {
			c.errorf(s.At("planned.port"), []Pos{other.At("planned.port")}, "%s: planned port %d on host %s is already planned for %s",
				s.Name, s.Planned.Port, s.Host, other.Name)
		} else {
			planned[k] = s
		}
		if s.Planned.Port != s.Port {
			c.diags = append(c.diags, ServiceWarning(s, WarnOffPlan, s.At("planned"), nil, "%s: off plan: at %d, planned %d", s.Name, s.Port, s.Planned.Port))
		}
	}
	for _, s := range p.Services {
		other, ok := planned[slot{s.Host, s.Port}]
		if !ok || other == s || (s.Planned != nil && s.Planned.Port != s.Port) {
			continue
		}
		c.errorf(s.At("port"), []Pos{other.At("planned.port")}, "%s: port %d on host %s is the slot planned for %s; pick a free port, or plan %s's move out of it (planned: port:)",
			s.Name, s.Port, s.Host, other.Name, s.Name)
	}
	for _, r := range p.Ranges {
		if n := used[r.Name]; n > 0 && float64(n) >= r.WarnFull*float64(r.Size()) {
			c.diags = append(c.diags, rangeWarning(r, WarnNearlyFull, r.At(""), "range %s is nearly full: %d of %d ports used", r.Name, n, r.Size()))
		}
	}
	for _, s := range p.Services {
		back := backendOf(p, s)
		if back == nil {
			continue
		}
		if s.Port/100 == 50 && back.Port/100 == 30 && s.Port%100 != back.Port%100 {
			c.diags = append(c.diags, ServiceWarning(s, WarnFrontendDigits, s.At("port"), []Pos{back.At("port")}, "%s: frontend port %d does not match the last digits of its backend %s (%d)",
				s.Name, s.Port, back.Name, back.Port))
		}
	}
}

// plannedRange is the range a planned slot belongs to; while the
// planned range is unknown (an error of its own), the service's range.
func plannedRange(s *Service) *Range {
	if s.Planned.RangeRef != nil {
		return s.Planned.RangeRef
	}
	return s.RangeRef
}

// backendOf is the backend a frontend declares, or by name the
// "<app>-server" of an "<app>-web".
func backendOf(p *Platform, s *Service) *Service {
	if s.FrontendOf != "" {
		return p.Service(s.FrontendOf)
	}
	if app, ok := strings.CutSuffix(s.Name, "-web"); ok {
		return p.Service(app + "-server")
	}
	return nil
}
