package schema

import (
	"fmt"
	"strconv"
	"strings"
)

// checkNeeds: a need names another deployed service, orders the start
// only where compose can, and its URL can be read from where the
// needing service runs.
func checkNeeds(c *collector, p *Platform) {
	for _, s := range p.Services {
		home := p.HomeVantage(s)
		for i, n := range s.Needs {
			pos := s.At(fmt.Sprintf("needs[%d]", i))
			target := n.Target
			switch {
			case target == nil:
				c.errorf(pos, nil, "%s: needs unknown service %q%s", s.Name, n.Service, goneHint(s, i, suggest(n.Service, serviceNames(p))))
				continue
			case target == s:
				c.errorf(pos, nil, "%s: needs itself", s.Name)
				continue
			case s.Deployed && !target.Deployed:
				c.errorf(pos, []Pos{target.At("deployed")}, "%s: needs %s, which is not deployed", s.Name, target.Name)
				continue
			}
			checkStartOrder(c, s, i, target)
			checkCredentials(c, s, i, n)
			if n.NoURL || target.HostRef == nil {
				continue // the target's unknown host is reported where it is written
			}
			if _, err := p.NeedURL(home, n); err != nil {
				c.errorf(pos, []Pos{target.At("")}, "%s: cannot reach %s from the %s: %v", s.Name, n.Service, home, err)
			}
		}
		checkConditions(c, s)
	}
	checkCycles(c, p)
}

// checkStartOrder checks the fields of need i that only order the
// start: url: false leaves nothing else for the need to do, and neither
// it nor a condition can order a start across hosts, where compose does
// not reach.
func checkStartOrder(c *collector, s *Service, i int, target *Service) {
	n := s.Needs[i]
	at := func(field string) Pos { return s.At(fmt.Sprintf("needs[%d].%s", i, field)) }
	if n.NoURL {
		for _, f := range []struct{ name, value string }{{"env", n.Env}, {"port", n.Port}, {"from", n.From.Keyword()},
			{"scheme", n.Scheme}, {"path", n.Path}, {"user", n.User}, {"password", n.Password}} {
			if f.value != "" {
				c.errorf(at(f.name), []Pos{at("url")}, "%s: %s has no use in a need with url: false, which generates no variable", s.Name, f.name)
			}
		}
		if !n.Depends {
			c.errorf(at("url"), []Pos{at("depends")}, "%s: the need of %s with url: false and depends: false does nothing", s.Name, target.Name)
		}
	}
	// A cluster has no start order (its pods start side by side, and a
	// Service routes to a pod once it is ready): there such needs and
	// conditions say what depends on what and change nothing, so that
	// moving a host to a cluster does not break its source.
	sameHost := target.Host == s.Host && s.HostRef.HasOwnNetwork()
	switch {
	case n.Condition != "" && !n.Depends:
		c.errorf(at("condition"), []Pos{at("depends")}, "%s: condition has no use in a need with depends: false", s.Name)
	case n.Condition != "" && !sameHost:
		c.errorf(at("condition"), []Pos{target.At("host")}, "%s: condition orders the start on one compose host, and %s runs on host %s", s.Name, target.Name, target.Host)
	case n.NoURL && n.Depends && !sameHost:
		c.errorf(at("url"), []Pos{target.At("host")}, "%s: a need with url: false only orders the start on one compose host, and %s runs on host %s", s.Name, target.Name, target.Host)
	}
}

// checkConditions: the needs of a service that start the same target
// on its compose host agree on the condition, since compose waits for a
// target once.
func checkConditions(c *collector, s *Service) {
	first := map[string]int{}
	for i, n := range s.Needs {
		if t := n.Target; !n.Depends || t == nil || t.Host != s.Host || !s.HostRef.IsCompose() {
			continue
		}
		j, seen := first[n.Service]
		if !seen {
			first[n.Service] = i
			continue
		}
		if other := s.Needs[j]; other.Condition != n.Condition {
			c.errorf(s.At(fmt.Sprintf("needs[%d]", i)), []Pos{s.At(fmt.Sprintf("needs[%d]", j))},
				"%s: two needs start %s with different conditions (%s and %s)", s.Name, n.Service, conditionName(other.Condition), conditionName(n.Condition))
		}
	}
}

// conditionName is a start condition as the source writes it.
func conditionName(condition string) string {
	if condition == "" {
		return "the default"
	}
	return strconv.Quote(condition)
}

// checkCycles finds start-order cycles among needs on one compose host,
// which compose rejects.
func checkCycles(c *collector, p *Platform) {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(s *Service)
	visit = func(s *Service) {
		state[s.Name] = active
		stack = append(stack, s.Name)
		for i, n := range s.Needs {
			t := n.Target
			if t == nil || !n.Depends || t.Host != s.Host || !s.HostRef.IsCompose() || !t.Deployed {
				continue
			}
			switch state[t.Name] {
			case unseen:
				visit(t)
			case active:
				at := 0
				for j, name := range stack {
					if name == t.Name {
						at = j
					}
				}
				cycle := append(append([]string{}, stack[at:]...), t.Name)
				c.errorf(s.At(fmt.Sprintf("needs[%d]", i)), []Pos{t.At("")},
					"%s: start order cycle %s; set depends: false on one of these needs", s.Name, strings.Join(cycle, " -> "))
			}
		}
		stack = stack[:len(stack)-1]
		state[s.Name] = done
	}
	for _, s := range p.Services {
		if state[s.Name] == unseen {
			visit(s)
		}
	}
}
