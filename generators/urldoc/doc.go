package urldoc

import (
	"strings"

	"portschema/schema"
)

// Doc is what the template shows. Text fields hold plain text; the
// template escapes them.
type Doc struct {
	Header      string
	Name        string
	SourceFiles []string
	// Columns are the vantages, in the order of every row's cells.
	Columns     []Column
	Hosts       []HostSection
	Routes      []Route
	NotDeployed []string
}

// Column is a vantage the document reads URLs from.
type Column struct {
	Title, About string
	vantage      schema.Vantage
}

// HostSection holds the ports of the deployed services of one host.
type HostSection struct {
	Name, Title string
	Rows        []Row
}

// Row is one port of a service: "service", or "service:name" for a
// named port.
type Row struct {
	Port  string
	Cells []Cell
}

// Cell is what one vantage reads for one port: URLs (the first is the
// one the generated files use), or why there is none.
type Cell struct {
	URLs        []URL
	Unreachable string
}

// URL is a URL of a port; Path is the pattern of the request paths a
// public hostname routes to the port, where it routes only some.
type URL struct {
	URL, Path string
}

// Route is a public hostname the source routes by hand (a raw tunnel
// rule), with the target as written.
type Route struct {
	Host, Hostname, Path, Service string
}

// Build computes the document from the model.
func Build(p *schema.Platform) Doc {
	d := Doc{Name: p.Name, SourceFiles: p.SourceFiles, Columns: columns(p)}
	for _, h := range p.Hosts {
		sec := HostSection{Name: h.Name, Title: h.Title}
		for _, s := range h.Services {
			if !s.Deployed {
				d.NotDeployed = append(d.NotDeployed, s.Name)
				continue
			}
			for _, pr := range s.AllPorts() {
				row := Row{Port: pr.Label()}
				for _, c := range d.Columns {
					row.Cells = append(row.Cells, cell(p, c.vantage, s, pr))
				}
				sec.Rows = append(sec.Rows, row)
			}
		}
		if len(sec.Rows) > 0 {
			d.Hosts = append(d.Hosts, sec)
		}
		if h.Tunnel != nil {
			for _, r := range h.Tunnel.Rules {
				if r.Hostname != "" {
					d.Routes = append(d.Routes, Route{Host: h.Name, Hostname: r.Hostname, Path: r.Path, Service: r.Service})
				}
			}
		}
	}
	return d
}

// columns are the vantages: the internet, the LAN, the compose network
// of each compose host, the service's own host and a laptop.
func columns(p *schema.Platform) []Column {
	cols := []Column{
		{Title: "Internet", About: "anywhere, through the service's public hostnames (the tunnel terminates TLS)", vantage: schema.Vantage{Kind: schema.Internet}},
		{Title: "LAN", About: "another machine on the LAN, as the service's host says it is reached", vantage: schema.Vantage{Kind: schema.OnLAN}},
	}
	for _, h := range p.Hosts {
		if h.Kind == schema.KindCompose {
			cols = append(cols, Column{Title: "Compose network of " + h.Name,
				About:   "a container of host " + h.Name + "'s compose project",
				vantage: schema.Vantage{Kind: schema.InNetwork, Host: h.Name}})
		}
	}
	return append(cols,
		Column{Title: "Its host", About: "the service's own machine, outside containers", vantage: schema.Vantage{Kind: schema.OnHost}},
		Column{Title: "Laptop", About: "a developer machine running every service on localhost", vantage: schema.Vantage{Kind: schema.Laptop}},
	)
}

// cell asks the model where port pr of s is reached from v. From the
// internet every public hostname of the port is listed, the one the
// model answers first.
func cell(p *schema.Platform, v schema.Vantage, s *schema.Service, pr schema.PortRef) Cell {
	if v.Kind == schema.OnHost {
		v.Host = s.Host
	}
	ep, err := p.Reach(v, s, pr.Name)
	if err != nil {
		return Cell{Unreachable: unreachable(err)}
	}
	c := Cell{URLs: []URL{{URL: ep.URL()}}}
	if v.Kind != schema.Internet {
		return c
	}
	c.URLs = nil
	for _, pub := range s.Public {
		if pub.Port != pr.Name {
			continue
		}
		u := URL{URL: ep.Scheme + "://" + pub.Hostname, Path: pub.Path}
		if u.URL == ep.URL() && u.Path == "" {
			c.URLs = append([]URL{u}, c.URLs...)
		} else {
			c.URLs = append(c.URLs, u)
		}
	}
	return c
}

// unreachable says in a few words why a vantage has no URL.
func unreachable(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "not published"):
		return "not published"
	case strings.Contains(msg, "no public hostname"):
		return "no public hostname"
	case strings.Contains(msg, "does not carry"):
		return "not over HTTPS"
	case strings.Contains(msg, "not reachable from other hosts"):
		return "host not reachable"
	case strings.Contains(msg, "has no address"):
		return "host has no address"
	case strings.Contains(msg, "no compose network"):
		return "not on a compose host"
	}
	return msg
}
