// Package inventory lists the ports a platform uses and the ports each
// of its ranges has free: what a person adding a service looks up first
// (portschema ports), computed from the model instead of read off the
// port document.
//
// Free means what schema.Platform.FreePorts means: on one host, no
// service there has or plans the port and no deployed service elsewhere
// has it (a laptop runs them all); on every host, no service at all.
package inventory

import (
	"fmt"
	"sort"

	"portschema/schema"
)

// Inventory is the ports in use and the ranges' free ports, seen from one
// host or from every host.
type Inventory struct {
	// Host is the host the inventory is of, "" for every host.
	Host string `json:"host,omitempty"`
	// Range is the range it is limited to, "" for every range.
	Range  string     `json:"range,omitempty"`
	Ports  []Port     `json:"ports"`
	Ranges []RangeUse `json:"ranges"`
}

// Port is one port a service has, main or named.
type Port struct {
	Host string `json:"host"`
	// Address is the host's LAN address, "" when it has none.
	Address  string `json:"address,omitempty"`
	Port     int    `json:"port"`
	Protocol string `json:"protocol"`
	// Service is "service" for a main port, "service:name" otherwise.
	Service string `json:"service"`
	// Range is the range the port is counted in: the service's own for
	// its main port, the one holding the number for a named port; ""
	// when no range does.
	Range string `json:"range,omitempty"`
	// Outside is set for a main port outside its service's range (which
	// a planned slot or an exception allows).
	Outside bool `json:"outside,omitempty"`
	// Planned is the slot the service plans to move its main port to.
	Planned *Slot `json:"planned,omitempty"`
	// Published is false for a compose port reachable only inside the
	// compose network.
	Published bool `json:"published"`
	// HostIPs are the host's addresses the port is published on; none
	// means every address.
	HostIPs  []string `json:"host_ips,omitempty"`
	Deployed bool     `json:"deployed"`
	// Pos is where the port is declared.
	Pos schema.Pos `json:"-"`
}

// Slot is a port of a range.
type Slot struct {
	Port  int    `json:"port"`
	Range string `json:"range"`
}

// RangeUse is how full a range is.
type RangeUse struct {
	Name    string `json:"name"`
	From    int    `json:"from"`
	To      int    `json:"to"`
	Purpose string `json:"purpose,omitempty"`
	// Used is the number of its ports that are not free.
	Used int `json:"used"`
	Size int `json:"size"`
	// Free are its free ports, in order.
	Free []int `json:"free"`
}

// Percent is the share of the range in use, rounded down.
func (r RangeUse) Percent() int { return r.Used * 100 / r.Size }

// Filter limits an inventory to a host and a range; "" means all.
type Filter struct {
	Host, Range string
}

// Take builds the inventory of p through filter. An unknown host or
// range is an error that suggests the closest known name.
func Take(p *schema.Platform, f Filter) (Inventory, error) {
	if err := f.check(p); err != nil {
		return Inventory{}, err
	}
	inv := Inventory{Host: f.Host, Range: f.Range, Ports: []Port{}, Ranges: []RangeUse{}}
	for _, s := range p.Services {
		if f.Host != "" && s.Host != f.Host {
			continue
		}
		for _, pr := range s.AllPorts() {
			port := portOf(p, s, pr)
			if f.Range == "" || port.Range == f.Range {
				inv.Ports = append(inv.Ports, port)
			}
		}
	}
	sort.SliceStable(inv.Ports, func(i, j int) bool {
		a, b := inv.Ports[i], inv.Ports[j]
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if a.Port != b.Port {
			return a.Port < b.Port
		}
		return a.Protocol < b.Protocol
	})
	for _, r := range p.Ranges {
		if f.Range != "" && r.Name != f.Range {
			continue
		}
		free := p.FreePorts(r, f.Host)
		inv.Ranges = append(inv.Ranges, RangeUse{Name: r.Name, From: r.From, To: r.To, Purpose: r.Purpose,
			Used: r.Size() - len(free), Size: r.Size(), Free: append([]int{}, free...)})
	}
	return inv, nil
}

// Next is the first free port of the named range on host ("" for every
// host), ready to paste into a new service.
func Next(p *schema.Platform, host, rangeName string) (int, error) {
	if rangeName == "" {
		return 0, fmt.Errorf("name the range to take a port from (--range)")
	}
	if err := (Filter{Host: host, Range: rangeName}).check(p); err != nil {
		return 0, err
	}
	r := p.Range(rangeName)
	port, ok := p.NextFreePort(r, host)
	if !ok {
		where := "on any host"
		if host != "" {
			where = "on host " + host
		}
		return 0, &FullError{Range: r.Name, From: r.From, To: r.To, Where: where}
	}
	return port, nil
}

// FullError says a range has no free port: a finding about the
// platform, not a mistake on the command line.
type FullError struct {
	Range    string
	From, To int
	Where    string
}

func (e *FullError) Error() string {
	return fmt.Sprintf("range %s (%d-%d) has no free port %s", e.Range, e.From, e.To, e.Where)
}

// check refuses names the platform does not have.
func (f Filter) check(p *schema.Platform) error {
	if f.Host != "" && p.Host(f.Host) == nil {
		names := make([]string, len(p.Hosts))
		for i, h := range p.Hosts {
			names[i] = h.Name
		}
		return fmt.Errorf("unknown host %q%s", f.Host, schema.DidYouMean(f.Host, names))
	}
	if f.Range != "" && p.Range(f.Range) == nil {
		names := make([]string, len(p.Ranges))
		for i, r := range p.Ranges {
			names[i] = r.Name
		}
		return fmt.Errorf("unknown range %q%s", f.Range, schema.DidYouMean(f.Range, names))
	}
	return nil
}

// portOf describes one port of a service.
func portOf(p *schema.Platform, s *schema.Service, pr schema.PortRef) Port {
	port := Port{Host: s.Host, Port: pr.Port, Protocol: pr.Protocol, Service: pr.Label(),
		Published: pr.Publish || !isCompose(p, s.Host), HostIPs: pr.HostIPs, Deployed: s.Deployed, Pos: pr.Pos}
	if h := p.Host(s.Host); h != nil {
		port.Address = h.Address
	}
	if pr.Name == schema.MainPort {
		port.Range = s.Range
		if r := p.Range(s.Range); r != nil && !r.Contains(pr.Port) {
			port.Outside = true
		}
		if s.Planned != nil && (s.Planned.Port != s.Port || s.Planned.Range != "" && s.Planned.Range != s.Range) {
			slot := Slot{Port: s.Planned.Port, Range: s.Planned.Range}
			if slot.Range == "" {
				slot.Range = s.Range
			}
			port.Planned = &slot
		}
		return port
	}
	for _, r := range p.Ranges {
		if r.Contains(pr.Port) {
			port.Range = r.Name
		}
	}
	return port
}

// isCompose reports whether host runs compose, where a port may be
// left unpublished.
func isCompose(p *schema.Platform, host string) bool {
	h := p.Host(host)
	return h != nil && h.Kind == schema.KindCompose
}
