package schema

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// VantageKind is where a URL is read from. The source names it with a
// keyword (a need's from:, prometheus' vantage:), parsed into this one
// type when the source is decoded.
type VantageKind int

const (
	// Home is no place of its own: where the reader already runs. It is
	// a need's default (from: unset), the needing service's own place.
	Home VantageKind = iota
	// InNetwork is inside the compose network of Vantage.Host: services
	// of that host are reached by compose service name and container port.
	InNetwork
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
	// InCluster is inside the Kubernetes cluster Vantage.Host: its
	// services are reached through their Services' cluster DNS names at
	// their container ports. OnHost and OnLAN of a cluster mean this too:
	// what runs on a cluster runs in its pods. No source names it.
	InCluster
)

func (k VantageKind) String() string {
	switch k {
	case InNetwork:
		return "compose network"
	case OnHost:
		return "host"
	case OnLAN:
		return "LAN"
	case Internet:
		return "internet"
	case Laptop:
		return "laptop"
	case InCluster:
		return "cluster network"
	}
	return "home"
}

// Keyword is the kind as the source writes it: "compose", "host", "lan",
// "internet" or "laptop"; "" for Home, which the source leaves unset.
func (k VantageKind) Keyword() string {
	switch k {
	case InNetwork:
		return "compose"
	case InCluster:
		return "cluster"
	case Home:
		return ""
	}
	return strings.ToLower(k.String())
}

// MarshalText writes the source's keyword.
func (k VantageKind) MarshalText() ([]byte, error) { return []byte(k.Keyword()), nil }

// UnmarshalText reads the source's keyword; the definitions say which
// keywords each field allows.
func (k *VantageKind) UnmarshalText(b []byte) error {
	for kind := Home; kind <= Laptop; kind++ {
		if kind.Keyword() == string(b) {
			*k = kind
			return nil
		}
	}
	return fmt.Errorf("unknown vantage %q", b)
}

// Vantage is a place URLs are read from. Host names the machine for
// InNetwork and OnHost. For OnLAN it may name the machine the reader is
// on: that machine's own services are then read as from OnHost.
type Vantage struct {
	Kind VantageKind
	Host string
}

func (v Vantage) String() string {
	if v.Host != "" && (v.Kind == InNetwork || v.Kind == OnHost || v.Kind == InCluster) {
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
	// Public is true behind a public hostname, where the tunnel
	// terminates TLS.
	Public bool
}

// HostPort is "host:port", or "host" when the port is the default. An
// IPv6 address is bracketed, as URLs and scrape targets need it.
func (e Endpoint) HostPort() string {
	if e.Port == 0 {
		if strings.Contains(e.Host, ":") {
			return "[" + e.Host + "]"
		}
		return e.Host
	}
	return net.JoinHostPort(e.Host, strconv.Itoa(e.Port))
}

// URL is "scheme://host[:port]".
func (e Endpoint) URL() string { return e.Scheme + "://" + e.HostPort() }

// NetworkModeHost is the compose network_mode of a service that shares
// its host's network instead of joining the compose network.
const NetworkModeHost = "host"

// HostNetwork reports whether a compose service runs in its host's
// network (compose network_mode: host): it is then not on the compose
// network, it sees its host's ports on localhost, and it listens on the
// host directly, published or not.
func (s *Service) HostNetwork() bool {
	mode, _ := s.Compose["network_mode"].(string)
	return mode == NetworkModeHost
}

// HomeVantage is where a service itself runs: inside its host's compose
// network for compose hosts, inside the cluster for clusters, on the
// host otherwise (and for compose services that share the host's
// network).
func (p *Platform) HomeVantage(s *Service) Vantage {
	if s.HostRef.IsCluster() {
		return Vantage{Kind: InCluster, Host: s.Host}
	}
	if s.HostRef.IsCompose() && !s.HostNetwork() {
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
	if (v.Kind == OnHost || v.Kind == OnLAN) && p.Host(v.Host).IsCluster() {
		v.Kind = InCluster
	}
	switch v.Kind {
	case Laptop:
		// Everything runs on one machine, each service on its host port.
		return Endpoint{Scheme: pr.Scheme, Host: "localhost", Port: pr.Port}, nil
	case Internet:
		return p.publicEndpoint(pr)
	case InNetwork:
		if !p.isCompose(v.Host) {
			return Endpoint{}, fmt.Errorf("host %s has no compose network", v.Host)
		}
		if target.Host == v.Host && !target.HostNetwork() {
			return Endpoint{Scheme: pr.Scheme, Host: target.Name, Port: pr.ContainerPort}, nil
		}
		// A service in the host's own network is not on the compose
		// network: containers reach it as other machines do.
	case InCluster:
		if target.Host == v.Host {
			return p.clusterEndpoint(pr), nil
		}
	case OnHost, OnLAN:
		if target.Host == v.Host {
			if err := p.checkPublished(pr); err != nil {
				return Endpoint{}, err
			}
			return Endpoint{Scheme: pr.Scheme, Host: "localhost", Port: pr.Port}, nil
		}
	}
	return p.fromOtherHost(target, pr)
}

// checkPublished fails for a port that only exists inside its compose
// network, so that nothing outside the network points at it.
func (p *Platform) checkPublished(pr PortRef) error {
	if pr.Publish || !pr.Service.HostRef.HasOwnNetwork() || pr.Service.HostNetwork() {
		return nil
	}
	return fmt.Errorf("%s is not published on host %s (publish: false)", pr.Label(), pr.Service.Host)
}

// fromOtherHost is the endpoint of a port seen from another machine,
// as the target's host declares it is reached.
func (p *Platform) fromOtherHost(target *Service, pr PortRef) (Endpoint, error) {
	h := target.HostRef
	switch h.Reach {
	case ReachPublic:
		return p.publicEndpoint(pr)
	case ReachNone:
		return Endpoint{}, fmt.Errorf("host %s is not reachable from other hosts (reach: \"none\")", h.Name)
	}
	if h.Address == "" {
		return Endpoint{}, fmt.Errorf("host %s has no address, so %s cannot be reached from other hosts", h.Name, pr.Label())
	}
	if err := p.checkPublished(pr); err != nil {
		return Endpoint{}, err
	}
	return Endpoint{Scheme: pr.Scheme, Host: h.Address, Port: pr.Port}, nil
}

// publicEndpoint is a port's public hostname, behind the tunnel's TLS.
// A hostname that routes the whole host wins over one that only routes
// a path; wildcards name no single host and are skipped.
func (p *Platform) publicEndpoint(pr PortRef) (Endpoint, error) {
	host := ""
	for _, pub := range pr.Service.Public {
		if pub.Port != pr.Name || strings.HasPrefix(pub.Hostname, "*") {
			continue
		}
		if host == "" || pub.Path == "" {
			host = pub.Hostname
		}
		if pub.Path == "" {
			break
		}
	}
	switch {
	case host == "" && pr.Name != MainPort:
		return Endpoint{}, fmt.Errorf("%s has no public hostname for port %q", pr.Service.Name, pr.Name)
	case host == "":
		return Endpoint{}, fmt.Errorf("%s has no public hostname", pr.Service.Name)
	}
	scheme, ok := tlsScheme(pr.Scheme)
	if !ok {
		return Endpoint{}, fmt.Errorf("%s speaks %s, which its public hostname (HTTPS) does not carry", pr.Label(), pr.Scheme)
	}
	return Endpoint{Scheme: scheme, Host: host, Public: true}, nil
}

// tlsScheme is the scheme a URL takes through a public hostname, where
// the tunnel terminates TLS: http becomes https and ws becomes wss.
// Other protocols do not pass an HTTP tunnel.
func tlsScheme(scheme string) (string, bool) {
	switch scheme {
	case "http", "https":
		return "https", true
	case "ws", "wss":
		return "wss", true
	}
	return "", false
}

// isCompose reports whether the named host is a compose host.
func (p *Platform) isCompose(host string) bool { return p.Host(host).IsCompose() }

// IsCompose reports whether h is a compose host; a nil host is not.
func (h *Host) IsCompose() bool { return h != nil && h.Kind == KindCompose }

// IsCluster reports whether h is a Kubernetes cluster; a nil host is not.
func (h *Host) IsCluster() bool { return h != nil && h.Kind == KindCluster }

// HasOwnNetwork reports whether a host runs its services in a network
// of their own (a compose network, a cluster's pod network), where only
// published ports take a port on the host.
func (h *Host) HasOwnNetwork() bool { return h.IsCompose() || h.IsCluster() }

// SecretURL is a URL that may carry one secret by reference: the text
// Head, then the secret named Secret, then Tail. Writers that quote for
// a syntax with interpolation (dotenv, compose) keep the reference live
// and everything else literal; Head and Tail may contain any character.
type SecretURL struct {
	Head   string
	Secret string
	Tail   string
}

// String writes the reference as `${NAME}`, the form compose and dotenv
// files interpolate.
func (u SecretURL) String() string {
	if u.Secret == "" {
		return u.Head + u.Tail
	}
	return u.Head + "${" + u.Secret + "}" + u.Tail
}

// NeedURL is the URL of a need of service s as seen from vantage v,
// with the need's scheme, user, password reference and path. The
// password is a `${NAME}` reference to a secret, never a value.
func (p *Platform) NeedURL(v Vantage, n Need) (string, error) {
	u, err := p.NeedSecretURL(v, n)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// NeedSecretURL is NeedURL with the password reference kept apart.
//
// A need that asks for another vantage ("internet" for URLs handed to
// browsers, "lan" for URLs handed to other machines) gets it, except on
// a laptop: there the browser and every machine are the laptop itself.
func (p *Platform) NeedSecretURL(v Vantage, n Need) (SecretURL, error) {
	target := n.Target
	if target == nil {
		return SecretURL{}, fmt.Errorf("unknown service %q", n.Service)
	}
	if n.From != Home && v.Kind != Laptop {
		v = Vantage{Kind: n.From}
	}
	ep, err := p.Reach(v, target, n.Port)
	if err != nil {
		return SecretURL{}, err
	}
	scheme := ep.Scheme
	if n.Scheme != "" {
		scheme = n.Scheme
		if ep.Public {
			tls, ok := tlsScheme(n.Scheme)
			if !ok {
				return SecretURL{}, fmt.Errorf("scheme %s does not pass the public hostname of %s (HTTPS)", n.Scheme, target.Name)
			}
			scheme = tls
		}
	}
	rest := ep.HostPort() + n.Path
	switch {
	case n.Password != "":
		// A password without a user is valid: redis://:secret@host.
		return SecretURL{Head: scheme + "://" + n.User + ":", Secret: n.Password, Tail: "@" + rest}, nil
	case n.User != "":
		return SecretURL{Head: scheme + "://" + n.User + "@" + rest}, nil
	}
	return SecretURL{Head: scheme + "://" + rest}, nil
}

// LaptopClashes are warnings for ports that two deployed services share
// on a laptop that runs every service on localhost: the same port on
// two hosts, or an unpublished one, is fine in production, but there
// both services' .env files set it and their URLs cannot tell them
// apart. Each warning is at the later port and names the earlier.
func (p *Platform) LaptopClashes() Diagnostics {
	type slot struct {
		port     int
		protocol string
	}
	first := map[slot]PortRef{}
	var warns Diagnostics
	for _, s := range p.Services {
		if !s.Deployed {
			continue
		}
		for _, pr := range s.AllPorts() {
			k := slot{pr.Port, pr.Protocol}
			other, taken := first[k]
			if !taken {
				first[k] = pr
				continue
			}
			warns = append(warns, ServiceWarning(s, WarnLaptopClash, pr.Pos, []Pos{other.Pos},
				"%s: on a laptop running every service on localhost, port %d is also %s's (host %s)",
				pr.Label(), pr.Port, other.Label(), other.Service.Host))
		}
	}
	return warns.Sort()
}
