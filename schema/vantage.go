package schema

import (
	"fmt"
	"strconv"
)

// VantageKind is where a URL is read from.
type VantageKind int

const (
	// InNetwork is inside the compose network of Vantage.Host: services
	// of that host are reached by compose service name and container port.
	InNetwork VantageKind = iota
	// OnHost is on Vantage.Host outside containers: its services are on
	// localhost at their host ports.
	OnHost
	// OnLAN is another machine on the LAN: services are reached through
	// their host's address, or as that host's reach says.
	OnLAN
	// Internet is anywhere: services are reached by public hostname.
	Internet
	// Laptop is a developer machine running everything on localhost.
	Laptop
)

func (k VantageKind) String() string {
	return [...]string{"compose network", "host", "LAN", "internet", "laptop"}[k]
}

// Vantage is a place URLs are read from. Host matters for InNetwork and
// OnHost (and, for OnLAN, names the machine the reader is on, if any).
type Vantage struct {
	Kind VantageKind
	Host string
}

func (v Vantage) String() string {
	if v.Host != "" && (v.Kind == InNetwork || v.Kind == OnHost) {
		return v.Kind.String() + " of " + v.Host
	}
	return v.Kind.String()
}

// Endpoint is where a port of a service is reached from a vantage.
type Endpoint struct {
	Scheme string
	Host   string
	// Port is 0 where the scheme's default applies (public hostnames).
	Port int
}

// HostPort is "host:port", or "host" when the port is the default.
func (e Endpoint) HostPort() string {
	if e.Port == 0 {
		return e.Host
	}
	return e.Host + ":" + strconv.Itoa(e.Port)
}

// URL is "scheme://host[:port]".
func (e Endpoint) URL() string { return e.Scheme + "://" + e.HostPort() }

// HomeVantage is where a service itself runs: inside its host's compose
// network for compose hosts, on the host otherwise.
func (p *Platform) HomeVantage(s *Service) Vantage {
	if h := p.Host(s.Host); h != nil && h.Kind == KindCompose {
		return Vantage{Kind: InNetwork, Host: s.Host}
	}
	return Vantage{Kind: OnHost, Host: s.Host}
}

// Reach answers "where is port `port` (MainPort for the main one) of
// service `target` reached from vantage v". Generators never type a URL:
// they ask this. The error says why the port cannot be reached.
func (p *Platform) Reach(v Vantage, target *Service, port string) (Endpoint, error) {
	pr, ok := target.PortNamed(port)
	if !ok {
		return Endpoint{}, fmt.Errorf("%s has no port named %q", target.Name, port)
	}
	switch v.Kind {
	case Laptop:
		return Endpoint{Scheme: pr.Scheme, Host: "localhost", Port: pr.Port}, nil
	case Internet:
		return p.publicEndpoint(target, port)
	case InNetwork:
		if target.Host == v.Host {
			return Endpoint{Scheme: pr.Scheme, Host: target.Name, Port: pr.ContainerPort}, nil
		}
	case OnHost:
		if target.Host == v.Host {
			if !pr.Publish && p.isCompose(target.Host) {
				return Endpoint{}, fmt.Errorf("%s is not published on host %s (publish: false)", pr.Label(), target.Host)
			}
			return Endpoint{Scheme: pr.Scheme, Host: "localhost", Port: pr.Port}, nil
		}
	}
	return p.fromOtherHost(target, pr)
}

// fromOtherHost is the endpoint of a port seen from another machine,
// as the target's host declares it is reached.
func (p *Platform) fromOtherHost(target *Service, pr PortRef) (Endpoint, error) {
	h := p.Host(target.Host)
	if h == nil {
		return Endpoint{}, fmt.Errorf("%s runs on unknown host %q", target.Name, target.Host)
	}
	switch h.Reach {
	case ReachPublic:
		return p.publicEndpoint(target, pr.Name)
	case ReachNone:
		return Endpoint{}, fmt.Errorf("host %s is not reachable from other hosts (reach: \"none\")", h.Name)
	}
	if h.Address == "" {
		return Endpoint{}, fmt.Errorf("host %s has no address, so %s cannot be reached from other hosts", h.Name, target.Name)
	}
	if !pr.Publish && h.Kind == KindCompose {
		return Endpoint{}, fmt.Errorf("%s is not published on host %s (publish: false)", pr.Label(), h.Name)
	}
	return Endpoint{Scheme: pr.Scheme, Host: h.Address, Port: pr.Port}, nil
}

func (p *Platform) publicEndpoint(target *Service, port string) (Endpoint, error) {
	for _, pub := range target.Public {
		if pub.Port == port && pub.Hostname[0] != '*' {
			return Endpoint{Scheme: "https", Host: pub.Hostname}, nil
		}
	}
	return Endpoint{}, fmt.Errorf("%s has no public hostname", target.Name)
}

func (p *Platform) isCompose(host string) bool {
	h := p.Host(host)
	return h != nil && h.Kind == KindCompose
}

// NeedURL is the URL of a need of service s as seen from vantage v,
// with the need's scheme, user, password reference and path. The
// password is a `${NAME}` reference to a secret, never a value.
// A need that asks for another vantage ("internet", "lan") gets it.
func (p *Platform) NeedURL(v Vantage, n Need) (string, error) {
	target := p.Service(n.Service)
	if target == nil {
		return "", fmt.Errorf("unknown service %q", n.Service)
	}
	switch n.From {
	case FromInternet:
		v = Vantage{Kind: Internet}
	case FromLAN:
		v = Vantage{Kind: OnLAN}
	}
	ep, err := p.Reach(v, target, n.Port)
	if err != nil {
		return "", err
	}
	if n.Scheme != "" {
		ep.Scheme = n.Scheme
	}
	userinfo := ""
	if n.User != "" {
		userinfo = n.User
		if n.Password != "" {
			userinfo += ":${" + n.Password + "}"
		}
		userinfo += "@"
	}
	return ep.Scheme + "://" + userinfo + ep.HostPort() + n.Path, nil
}
