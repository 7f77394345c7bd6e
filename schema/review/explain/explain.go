// Package explain says what the platform derives from one service
// (portschema explain): its URL from every vantage, who needs it and
// whom it needs, its tunnel routes, scrape jobs and probes, the secrets
// it reads (by name; the source holds no values), and every generated
// file and line where it appears.
package explain

import (
	"fmt"
	"sort"

	"portschema/generators/output"
	"portschema/schema"
	"portschema/schema/review/derived"
)

// Explanation is everything derived from one service.
type Explanation struct {
	Service     string
	Description string
	Runtime     string
	Host        string
	HostKind    string
	Range       string
	Deployed    bool
	// Declared is where the service is written in the source.
	Declared schema.Pos
	Ports    []Port
	Needs    []Link
	NeededBy []Link
	Routes   []derived.Route
	Jobs     []JobUse
	Probes   []JobUse
	Secrets  []Secret
	// Appears lists the generated files and lines that mention it.
	Appears []derived.Appearance
}

// Port is one port of the service and its URL from every vantage.
type Port struct {
	// Name is "" for the main port.
	Name          string
	Port          int
	ContainerPort int
	Protocol      string
	URLs          []URL
}

// URL is a port as read from one vantage, or why it cannot be.
type URL struct {
	Vantage string
	URL     string
	// Unreachable says why the vantage does not reach the port.
	Unreachable string
}

// Link is one need between two services.
type Link struct {
	// Service is the other party: the needed service in Needs, the
	// needing one in NeededBy.
	Service string
	// Env is the variable that carries the URL, "" for a need that only
	// orders the start.
	Env string
	// URL is what the needing service reads, from where it runs; secrets
	// in it are `${NAME}` references.
	URL string
	// StartsAfter is set when the needing service starts after the
	// needed one (on one compose host).
	StartsAfter bool
	Pos         schema.Pos
}

// JobUse is a scrape or probe job with the targets that are this
// service's.
type JobUse struct {
	Name    string
	File    string
	Line    int
	Targets []derived.Target
}

// Secret is a secret the service reads, by name.
type Secret struct {
	// Env is the variable the service reads.
	Env string
	// From is the host's variable it is filled from.
	From string
	// In is the need variable whose URL carries it as a password, "" for
	// a secret of its own.
	In string
}

// Service explains the named service of p, whose generated files are
// files. An unknown name is an error that suggests the closest one.
func Service(p *schema.Platform, files []output.File, name string) (*Explanation, error) {
	s := p.Service(name)
	if s == nil {
		names := make([]string, len(p.Services))
		for i, s := range p.Services {
			names[i] = s.Name
		}
		return nil, fmt.Errorf("unknown service %q%s", name, schema.DidYouMean(name, names))
	}
	e := &Explanation{Service: s.Name, Description: s.Description, Runtime: s.Runtime, Host: s.Host,
		Range: s.Range, Deployed: s.Deployed, Declared: s.At("")}
	if h := p.Host(s.Host); h != nil {
		e.HostKind = h.Kind
	}
	e.Ports = ports(p, s)
	e.Needs, e.NeededBy = needs(p, s), neededBy(p, s)
	e.Secrets = secrets(s)
	configs := derived.Read(files)
	e.Routes = routes(p, s, configs.Routes)
	e.Jobs, e.Probes = jobs(p, s, configs.Jobs)
	e.Appears = derived.Find(files, derived.Marks(p, s))
	return e, nil
}

func ports(p *schema.Platform, s *schema.Service) []Port {
	var out []Port
	for _, pr := range s.AllPorts() {
		port := Port{Name: pr.Name, Port: pr.Port, ContainerPort: pr.ContainerPort, Protocol: pr.Protocol}
		for _, v := range derived.Vantages(p, s) {
			u := URL{Vantage: v.String()}
			if ep, err := p.Reach(v, s, pr.Name); err != nil {
				u.Unreachable = err.Error()
			} else {
				u.URL = ep.URL()
			}
			port.URLs = append(port.URLs, u)
		}
		out = append(out, port)
	}
	return out
}

// needs are the services s needs, with the URLs it reads from its home.
func needs(p *schema.Platform, s *schema.Service) []Link {
	var out []Link
	for i, n := range s.Needs {
		out = append(out, link(p, s, i, n.Service))
	}
	return out
}

// neededBy are the services that need s, each with the URL it reads.
func neededBy(p *schema.Platform, s *schema.Service) []Link {
	var out []Link
	for _, other := range p.Services {
		for i, n := range other.Needs {
			if n.Service == s.Name {
				out = append(out, link(p, other, i, other.Name))
			}
		}
	}
	return out
}

// link describes need i of service from; other names the party shown.
func link(p *schema.Platform, from *schema.Service, i int, other string) Link {
	n := from.Needs[i]
	l := Link{Service: other, Pos: from.At(fmt.Sprintf("needs[%d]", i))}
	if target := p.Service(n.Service); target != nil && n.Depends && target.Host == from.Host {
		if h := p.Host(from.Host); h != nil && h.Kind == schema.KindCompose {
			l.StartsAfter = true
		}
	}
	if n.NoURL {
		return l
	}
	l.Env = n.EnvName()
	if u, err := p.NeedURL(p.HomeVantage(from), n); err == nil {
		l.URL = u
	}
	return l
}

func secrets(s *schema.Service) []Secret {
	var out []Secret
	for _, sec := range s.Secrets {
		out = append(out, Secret{Env: sec.Env, From: sec.From})
	}
	for _, n := range s.Needs {
		if n.Password != "" && !n.NoURL {
			out = append(out, Secret{Env: n.Password, From: n.Password, In: n.EnvName()})
		}
	}
	return out
}

// routes are the tunnel rules for the service's public hostnames, and
// hand-written rules that send requests to one of its URLs.
func routes(p *schema.Platform, s *schema.Service, all []derived.Route) []derived.Route {
	mine := map[string]bool{}
	for _, pub := range s.Public {
		mine[pub.Hostname+pub.Path] = true
	}
	urls := map[string]bool{}
	for _, e := range derived.Endpoints(p, s) {
		urls[e.URL()] = true
	}
	var out []derived.Route
	for _, r := range all {
		if mine[r.Key()] || urls[r.Service] {
			out = append(out, r)
		}
	}
	return out
}

// jobs are the scrape jobs and the probe jobs with a target of the
// service: labelled with its name, or at one of its addresses.
func jobs(p *schema.Platform, s *schema.Service, all []derived.Job) (scrapes, probes []JobUse) {
	addresses := map[string]bool{}
	for _, e := range derived.Endpoints(p, s) {
		addresses[e.HostPort()] = true
	}
	for _, j := range all {
		use := JobUse{Name: j.Name, File: j.File, Line: j.Line}
		for _, t := range j.Targets {
			if t.Service == s.Name || !j.Probe && addresses[t.Address] {
				use.Targets = append(use.Targets, t)
			}
		}
		switch {
		case len(use.Targets) == 0:
		case j.Probe:
			probes = append(probes, use)
		default:
			scrapes = append(scrapes, use)
		}
	}
	sort.SliceStable(scrapes, func(i, j int) bool { return scrapes[i].Name < scrapes[j].Name })
	sort.SliceStable(probes, func(i, j int) bool { return probes[i].Name < probes[j].Name })
	return scrapes, probes
}
