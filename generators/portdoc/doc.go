package portdoc

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"portschema/schema"
)

// Doc is everything the template shows, computed from the model. Text
// fields hold plain text; the template escapes them (Cell, Inline).
type Doc struct {
	Header      string
	Name        string
	SourceFiles []string
	Principles  []string
	Summary     Summary
	Ranges      []RangeSection
	Hosts       []HostSection
	Backlog     []Move
	NotDeployed []Undeployed
	Public      []PublicName
	Diagram     Diagram
	Adding      Adding
}

// Summary counts what the platform has.
type Summary struct {
	Services, Deployed, Hosts, Ranges, Moves int
}

// RangeSection is one range with every service declared in it.
type RangeSection struct {
	Name     string
	From, To int
	Purpose  string
	Note     string
	Rows     []RangeRow
	Size     int
	// Free is the number of ports of the range that no service uses or
	// plans; FreeSpans lists the first of them as spans.
	Free      int
	FreeSpans []Span
	// MoreSpans is the number of free spans not listed.
	MoreSpans int
}

// RangeRow is a service in its range's table.
type RangeRow struct {
	Port        int
	Service     string
	Host        string
	Runtime     string
	Description string
	// Planned is the planned move ("→ 3002"), an exception's reason, or
	// "not deployed", joined.
	Planned string
}

// Span is a run of consecutive ports.
type Span struct{ From, To int }

// String is how the template prints a free span: a lone port as itself,
// a run as "from–to" with the en dash the headings use.
func (s Span) String() string {
	if s.From == s.To {
		return strconv.Itoa(s.From)
	}
	return strconv.Itoa(s.From) + "–" + strconv.Itoa(s.To)
}

// HostSection is a host with the ports in use on it today.
type HostSection struct {
	Name, Title, Kind, Address string
	// Reach says in words how other hosts reach its services.
	Reach          string
	ComposeProject string
	Tunnel         string
	Rows           []HostRow
}

// HostRow is one port of a deployed service on its host.
type HostRow struct {
	// Port is the host port, with "/udp" for UDP ports.
	Port string
	// Service is "service" for a main port, "service:name" otherwise.
	Service       string
	ContainerPort string
	Published     string
	Range         string
}

// Move is a planned move of a service to another slot.
type Move struct {
	Service, Host string
	From, To      int
	Range         string
}

// Undeployed is a service declared but not deployed.
type Undeployed struct {
	Service, Host string
	Port          int
	Range         string
	Description   string
}

// PublicName is a public hostname (and path) and what it reaches.
type PublicName struct {
	Hostname, Path string
	// Service is the service name, or the target of a hand-written
	// tunnel rule.
	Service string
	Host    string
	Port    string

	// target is the deployed service reached, "" for a tunnel rule or a
	// service not deployed.
	target string
}

const notApplicable = "—"

// Build computes the document's data from the model. It is pure: the
// same platform gives the same Doc.
func Build(p *schema.Platform) Doc {
	d := Doc{
		Name:        p.Name,
		SourceFiles: p.SourceFiles,
		Principles:  p.Principles,
		Ranges:      buildRanges(p),
		Hosts:       buildHosts(p),
		Backlog:     buildBacklog(p),
		NotDeployed: buildNotDeployed(p),
		Public:      buildPublic(p),
		Diagram:     buildDiagram(p),
		Adding:      buildAdding(p),
	}
	d.Summary = Summary{Services: len(p.Services), Hosts: len(p.Hosts), Ranges: len(p.Ranges), Moves: len(d.Backlog)}
	for _, s := range p.Services {
		if s.Deployed {
			d.Summary.Deployed++
		}
	}
	return d
}

// maxSpans caps the free spans listed under a range.
const maxSpans = 6

func buildRanges(p *schema.Platform) []RangeSection {
	used := usedPorts(p)
	out := make([]RangeSection, 0, len(p.Ranges))
	for _, r := range p.Ranges {
		sec := RangeSection{Name: r.Name, From: r.From, To: r.To, Purpose: r.Purpose, Note: r.Note, Size: r.Size()}
		for _, s := range p.Services {
			if s.Range == r.Name {
				sec.Rows = append(sec.Rows, RangeRow{Port: s.Port, Service: s.Name, Host: s.Host,
					Runtime: s.Runtime, Description: s.Description, Planned: plannedText(p, s)})
			}
		}
		slices.SortStableFunc(sec.Rows, func(a, b RangeRow) int { return cmp.Compare(a.Port, b.Port) })
		spans := freeSpans(r, used)
		for _, sp := range spans {
			sec.Free += sp.To - sp.From + 1
		}
		if len(spans) > maxSpans {
			sec.MoreSpans = len(spans) - maxSpans
			spans = spans[:maxSpans]
		}
		sec.FreeSpans = spans
		out = append(out, sec)
	}
	return out
}

// usedPorts is every port number a service uses (main and named, on any
// host, deployed or not) or plans to move to.
func usedPorts(p *schema.Platform) map[int]bool {
	used := map[int]bool{}
	for _, s := range p.Services {
		for _, pr := range s.AllPorts() {
			used[pr.Port] = true
		}
		if s.Planned != nil {
			used[s.Planned.Port] = true
		}
	}
	return used
}

func freeSpans(r *schema.Range, used map[int]bool) []Span {
	var spans []Span
	for port := r.From; port <= r.To; port++ {
		if used[port] {
			continue
		}
		if n := len(spans); n > 0 && spans[n-1].To == port-1 {
			spans[n-1].To = port
		} else {
			spans = append(spans, Span{port, port})
		}
	}
	return spans
}

// plannedText says where a service should go, why it may stay off its
// range, and whether it runs at all.
func plannedText(p *schema.Platform, s *schema.Service) string {
	var parts []string
	if m, ok := moveOf(p, s); ok {
		t := "→ " + strconv.Itoa(m.To)
		if m.Range != s.Range {
			t += " (" + m.Range + ")"
		}
		parts = append(parts, t)
	}
	if s.Exception != "" {
		parts = append(parts, "exception: "+s.Exception)
	}
	if !s.Deployed {
		parts = append(parts, "not deployed")
	}
	return strings.Join(parts, "; ")
}

// moveOf is the planned move of a service, if its plan differs from
// where it is.
func moveOf(p *schema.Platform, s *schema.Service) (Move, bool) {
	if s.Planned == nil {
		return Move{}, false
	}
	rng := s.Range
	if s.Planned.Range != "" {
		rng = s.Planned.Range
	}
	if s.Planned.Port == s.Port && rng == s.Range {
		return Move{}, false
	}
	return Move{Service: s.Name, Host: s.Host, From: s.Port, To: s.Planned.Port, Range: rng}, true
}

func buildBacklog(p *schema.Platform) []Move {
	var out []Move
	for _, s := range p.Services {
		if m, ok := moveOf(p, s); ok {
			out = append(out, m)
		}
	}
	return out
}

func buildNotDeployed(p *schema.Platform) []Undeployed {
	var out []Undeployed
	for _, s := range p.Services {
		if !s.Deployed {
			out = append(out, Undeployed{Service: s.Name, Host: s.Host, Port: s.Port, Range: s.Range, Description: s.Description})
		}
	}
	return out
}

func buildHosts(p *schema.Platform) []HostSection {
	out := make([]HostSection, 0, len(p.Hosts))
	for _, h := range p.Hosts {
		sec := HostSection{Name: h.Name, Title: h.Title, Kind: h.Kind, Address: h.Address, Reach: reachText(h)}
		if h.Compose != nil {
			sec.ComposeProject = h.Compose.Project
		}
		if h.Tunnel != nil {
			sec.Tunnel = h.Tunnel.ID
		}
		// A cluster, like a compose host, has container ports and
		// publishes some of them.
		compose := h.HasOwnNetwork()
		for _, s := range h.Services {
			if !s.Deployed {
				continue
			}
			for _, pr := range s.AllPorts() {
				sec.Rows = append(sec.Rows, hostRow(p, s, pr, compose))
			}
		}
		slices.SortStableFunc(sec.Rows, func(a, b HostRow) int {
			switch {
			case portLess(a.Port, b.Port):
				return -1
			case portLess(b.Port, a.Port):
				return 1
			}
			return 0
		})
		out = append(out, sec)
	}
	return out
}

// reachText says how other hosts reach a host's services.
func reachText(h *schema.Host) string {
	switch h.Reach {
	case schema.ReachPublic:
		return "other hosts reach its services through their public hostnames"
	case schema.ReachNone:
		return "other hosts do not reach its services"
	}
	if h.Address == "" {
		return "without an address, other hosts cannot reach its services"
	}
	return "other hosts reach its services at its LAN address"
}

func hostRow(p *schema.Platform, s *schema.Service, pr schema.PortRef, compose bool) HostRow {
	row := HostRow{Port: strconv.Itoa(pr.Port), Service: pr.Label(), ContainerPort: notApplicable,
		Published: notApplicable, Range: rangeOfPort(p, s, pr)}
	if pr.Protocol == "udp" {
		row.Port += "/udp"
	}
	if compose {
		row.ContainerPort = strconv.Itoa(pr.ContainerPort)
		row.Published = "no"
		if pr.Publish {
			row.Published = "yes"
		}
	}
	return row
}

// rangeOfPort names the range a port lies in: the service's own range
// for its main port (marked when the port lies outside it), the range
// containing it for a named port.
func rangeOfPort(p *schema.Platform, s *schema.Service, pr schema.PortRef) string {
	if pr.Name == schema.MainPort {
		if !s.RangeRef.Contains(pr.Port) {
			return s.Range + " (outside)"
		}
		return s.Range
	}
	for _, r := range p.Ranges {
		if r.Contains(pr.Port) {
			return r.Name
		}
	}
	return notApplicable
}

// portLess orders "3001" before "3001/udp" before "3002".
func portLess(a, b string) bool {
	na, _ := strconv.Atoi(strings.TrimSuffix(a, "/udp"))
	nb, _ := strconv.Atoi(strings.TrimSuffix(b, "/udp"))
	if na != nb {
		return na < nb
	}
	return a < b
}

func buildPublic(p *schema.Platform) []PublicName {
	var out []PublicName
	for _, s := range p.Services {
		for _, pub := range s.Public {
			port := notApplicable
			if pr, ok := s.PortNamed(pub.Port); ok {
				port = strconv.Itoa(pr.Port)
				if pr.Name != schema.MainPort {
					port += " (" + pr.Name + ")"
				}
			}
			pn := PublicName{Hostname: pub.Hostname, Path: pub.Path, Service: s.Name, Host: s.Host, Port: port, target: s.Name}
			if !s.Deployed {
				pn.Service += " (not deployed)"
				pn.target = ""
			}
			out = append(out, pn)
		}
	}
	for _, h := range p.Hosts {
		if h.Tunnel == nil {
			continue
		}
		for _, r := range h.Tunnel.Rules {
			if r.Hostname != "" {
				out = append(out, PublicName{Hostname: r.Hostname, Path: r.Path, Service: r.Service, Host: h.Name, Port: notApplicable})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b PublicName) int {
		return cmp.Or(strings.Compare(a.Hostname, b.Hostname), strings.Compare(a.Path, b.Path))
	})
	return out
}
