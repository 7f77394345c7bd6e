package importer

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// inferSchemes sets the scheme of services that other services reach by
// URL (postgresql://postgres:5432, redis://redis:6379), so needs on them
// need no scheme of their own. Services routed by the tunnel or scraped
// keep http: their scheme is what those outputs use.
func (b *builder) inferSchemes() {
	tally := map[*svc]map[string]int{}
	for _, s := range b.svcs {
		if s.origin == nil {
			continue
		}
		for _, e := range s.origin.Environment {
			v, _ := StripSecretDefaults(e.Value)
			u, ok := parseServiceURL(v)
			if !ok {
				continue
			}
			if t := b.dns[s.Host][u.Host]; t != nil && t != s {
				if tally[t] == nil {
					tally[t] = map[string]int{}
				}
				tally[t][u.Scheme]++
			}
		}
	}
	for _, t := range b.svcs {
		counts := tally[t]
		if counts == nil || len(t.Public) > 0 || t.Metrics != nil || t.Scheme != "http" {
			continue
		}
		best := "http"
		for _, sc := range slices.Sorted(maps.Keys(counts)) {
			if counts[sc] > counts[best] {
				best = sc
			}
		}
		t.Scheme = best
	}
}

// resolveHostPorts moves a host port that an earlier service already
// publishes to the first free port, in the service's range where
// possible. Two services on one host port is a conflict compose only
// finds at start; the first in the file keeps the port.
func (b *builder) resolveHostPorts() {
	for _, h := range b.src.Platform.Hosts {
		compose := h.Compose != nil
		type slot struct {
			port  int
			proto string
		}
		occupied := map[slot]bool{}
		var ours []*svc
		for _, s := range b.svcs {
			if s.Host != h.Name {
				continue
			}
			ours = append(ours, s)
			for _, p := range portsOf(s, compose) {
				occupied[slot{p.port, p.proto}] = true
			}
		}
		owner := map[slot][]portClaim{}
		for _, s := range ours {
			for _, p := range portsOf(s, compose) {
				k := slot{p.port, p.proto}
				other := overlapping(owner[k], p.ips)
				if other == nil {
					owner[k] = append(owner[k], portClaim{s, p.ips})
					continue
				}
				lo, hi := 1024, 65535
				if r := b.rangeByName(s.Range); r != nil && p.name == "" {
					lo, hi = r.From, r.To
				}
				moved := freePort(lo, hi, p.port, func(n int) bool { return occupied[slot{n, p.proto}] })
				if moved == 0 {
					moved = freePort(1024, 65535, p.port, func(n int) bool { return occupied[slot{n, p.proto}] })
				}
				if moved == 0 {
					continue
				}
				field := "port"
				if p.name != "" {
					field = "ports." + p.name + ".port"
				}
				s.Notes.Add(field, fmt.Sprintf("compose published %d, which %s already publishes on %s; moved to %d", p.port, other.Name, h.Name, moved))
				b.finding("host-port-collision", publishedAt(s, p.port, p.proto), "%s: host port %d is already published by %s; %s moves to %d", s.Name, p.port, other.Name, s.Name, moved)
				s.movePort(p.name, moved)
				k = slot{moved, p.proto}
				occupied[k] = true
				owner[k] = append(owner[k], portClaim{s, p.ips})
				if r := b.rangeByName(s.Range); p.name == "" && r != nil && !r.Contains(moved) && s.Exception == "" {
					s.Exception = fmt.Sprintf("imported: moved to %d off a host port collision; %s is full", moved, r.Name)
				}
			}
		}
	}
}

type portSlot struct {
	name  string
	port  int
	proto string
	ips   []string
}

// portClaim is a host port a service publishes, on its host IPs.
type portClaim struct {
	s   *svc
	ips []string
}

// overlapping is the service of the first claim whose addresses overlap
// ips (see schema.AddressesOverlap), or nil.
func overlapping(claims []portClaim, ips []string) *svc {
	for _, c := range claims {
		if schema.AddressesOverlap(c.ips, ips) {
			return c.s
		}
	}
	return nil
}

// portsOf lists the host ports of a service that must be unique: the
// published ones on compose hosts, all of them elsewhere.
func portsOf(s *svc, compose bool) []portSlot {
	var out []portSlot
	if s.Publish || !compose {
		out = append(out, portSlot{"", s.Port, s.MainProtocol(), s.HostIPs})
	}
	for _, np := range s.namedPorts() {
		if np.Publish || !compose {
			out = append(out, portSlot{np.name, np.Port, np.Protocol, np.HostIPs})
		}
	}
	return out
}

// movePort moves the main port (name "") or a named port of a service
// to another host port.
func (s *svc) movePort(name string, port int) {
	if name == "" {
		s.Port = port
		return
	}
	np := s.Ports[name]
	np.Port = port
	s.Ports[name] = np
}

// freePort is the first port in lo..hi above from (then below it) that
// is not taken; 0 when there is none.
func freePort(lo, hi, from int, taken func(int) bool) int {
	for n := max(from+1, lo); n <= hi; n++ {
		if !taken(n) {
			return n
		}
	}
	for n := min(from-1, hi); n >= lo; n-- {
		if !taken(n) {
			return n
		}
	}
	return 0
}

func (b *builder) rangeByName(name string) *schema.Range {
	for _, r := range b.src.Platform.Ranges {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// resolveContainers keeps container names unique on each host.
func (b *builder) resolveContainers() {
	used := map[string]map[string]bool{}
	for _, s := range b.svcs {
		h := b.hosts[s.Host]
		if h.Compose == nil {
			s.Container = ""
			continue
		}
		if used[s.Host] == nil {
			used[s.Host] = map[string]bool{}
		}
		name := s.Container
		if name == "" {
			name = s.Name
		}
		if used[s.Host][name] {
			base := name
			for i := 2; used[s.Host][name]; i++ {
				name = fmt.Sprintf("%s-%d", base, i)
			}
			s.Notes.Add("container", fmt.Sprintf("container name %s is used by another service; renamed %s", base, name))
			b.finding("container-name", s.pos, "%s: container name %s is taken; it is %s now", s.Name, base, name)
			s.Container = name
		}
		used[s.Host][name] = true
	}
}

// fixNeeds undoes needs the rules would reject: a deployed service
// needing one that is not deployed (the need turns back into the value
// it came from), and start-order cycles (the closing need stops
// depending on its target, or goes if it had only the start to order).
func (b *builder) fixNeeds() {
	for _, s := range b.svcs {
		var drop []int
		for i, n := range s.Needs {
			t := b.service(n.Service)
			if t == nil || (s.Deployed && !t.Deployed) {
				drop = append(drop, i)
			}
		}
		for k := len(drop) - 1; k >= 0; k-- {
			b.revertNeed(s, drop[k])
		}
	}
	b.breakCycles()
	b.dedupePlans()
}

// revertNeed removes need i and restores the value it replaced.
func (b *builder) revertNeed(s *svc, i int) {
	n, orig := s.Needs[i], s.needValues[i]
	s.Needs = append(s.Needs[:i], s.Needs[i+1:]...)
	s.needValues = append(s.needValues[:i], s.needValues[i+1:]...)
	shiftNotes(s.Notes, "needs", i)
	if orig.name == "" {
		s.Notes.Add("", fmt.Sprintf("depends_on %s, which is not deployed, was dropped", n.Service))
		return
	}
	b.finding("need-dropped", s.pos, "%s: %s names %s, which is not deployed; it stays a plain value", s.Name, orig.name, n.Service)
	if schema.LooksSecret(orig.name, orig.value) {
		s.addSecret(orig.name, orig.name, "its value looks like a credential; set "+orig.name+" on the host")
		return
	}
	s.Notes.Add("env."+orig.name, fmt.Sprintf("names %s, which is not deployed, so it is not a need", n.Service))
	s.setEnv(orig.name, orig.value)
}

// shiftNotes drops the notes of list item i and renumbers those after.
func shiftNotes(notes Notes, list string, i int) {
	prefix := list + "["
	moved := Notes{}
	for k, v := range notes {
		var j int
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		if _, err := fmt.Sscanf(k[len(prefix):], "%d]", &j); err != nil {
			continue
		}
		delete(notes, k)
		switch {
		case j > i:
			moved[fmt.Sprintf("%s[%d]", list, j-1)] = v
		case j < i:
			moved[k] = v
		}
	}
	for k, v := range moved {
		notes[k] = v
	}
}

// breakCycles finds start-order cycles among needs on one compose host
// and makes the need that closes each one not start its target.
func (b *builder) breakCycles() {
	const (
		active = 1
		done   = 2
	)
	state := map[*svc]int{}
	var visit func(s *svc)
	visit = func(s *svc) {
		state[s] = active
		for i := range s.Needs {
			n := &s.Needs[i]
			t := b.service(n.Service)
			if t == nil || !n.Depends || t.Host != s.Host || !t.Deployed {
				continue
			}
			switch state[t] {
			case 0:
				visit(t)
			case active:
				n.Depends, n.Condition = false, ""
				if !n.NoURL {
					s.Notes.Add(fmt.Sprintf("needs[%d]", i), "depends: false breaks a start-order cycle compose would reject")
				}
				b.finding("dependency-cycle", s.pos, "%s: needing %s closes a start-order cycle; it no longer starts %s first", s.Name, t.Name, t.Name)
			}
		}
		state[s] = done
	}
	for _, s := range b.svcs {
		if state[s] == 0 {
			visit(s)
		}
	}
	for _, s := range b.svcs {
		b.dropIdleNeeds(s)
	}
}

// dropIdleNeeds removes the needs with url: false that a broken cycle
// left without a start to order: the source rejects a need that does
// nothing.
func (b *builder) dropIdleNeeds(s *svc) {
	for i := len(s.Needs) - 1; i >= 0; i-- {
		if n := s.Needs[i]; n.NoURL && !n.Depends {
			s.Needs = append(s.Needs[:i], s.Needs[i+1:]...)
			s.needValues = append(s.needValues[:i], s.needValues[i+1:]...)
			shiftNotes(s.Notes, "needs", i)
			s.Notes.Add("", fmt.Sprintf("depends_on %s was dropped: it closed a start-order cycle compose would reject", n.Service))
		}
	}
}

// dedupePlans keeps one service per planned slot on a host.
func (b *builder) dedupePlans() {
	type slot struct {
		host string
		port int
	}
	taken := map[slot]*svc{}
	for _, s := range b.svcs {
		if s.Planned == nil {
			continue
		}
		k := slot{s.Host, s.Planned.Port}
		other, ok := taken[k]
		if !ok {
			taken[k] = s
			continue
		}
		s.Notes.Add("", fmt.Sprintf("the port doc also plans %d, but %s holds that slot; no plan imported", s.Planned.Port, other.Name))
		b.finding("plan-collision", s.pos, "%s: planned port %d is already planned for %s", s.Name, s.Planned.Port, other.Name)
		s.Planned = nil
		if r := b.rangeByName(s.Range); r != nil && !r.Contains(s.Port) && s.Exception == "" {
			s.Exception = fmt.Sprintf("imported: port %d lies outside range %s", s.Port, r.Name)
		}
	}
}

// publishedAt is the line of the compose port entry that publishes
// port/proto for s, or the service's line.
func publishedAt(s *svc, port int, proto string) handwritten.Pos {
	if s.origin != nil {
		for _, m := range s.origin.Ports {
			if m.Published == port && m.Protocol == proto && m.Pos.IsValid() {
				return m.Pos
			}
		}
	}
	return s.pos
}
