package cloudflared

import (
	"fmt"
	"strings"

	"portschema/schema"
)

// tunnelHosts are the hosts that run a tunnel, sorted by name.
func tunnelHosts(p *schema.Platform) []*schema.Host {
	var out []*schema.Host
	for _, h := range p.Hosts {
		if h.Tunnel != nil {
			out = append(out, h)
		}
	}
	return out
}

// tunnelFor decides which tunnel routes a service's public hostnames:
//
//  1. the tunnel of the service's own host, if it runs one;
//  2. otherwise the platform's only tunnel, which reaches the service
//     the way its host is reached from other machines (LAN address);
//  3. otherwise, with several tunnels and none on its host, nothing can
//     choose for the user: an error at the service's public hostnames.
//
// A platform without any tunnel routes nothing and is not an error: its
// public hostnames are served some other way.
func tunnelFor(tunnels []*schema.Host, s *schema.Service) (*schema.Host, schema.Diagnostics) {
	if s.HostRef.Tunnel != nil {
		return s.HostRef, nil
	}
	switch len(tunnels) {
	case 0:
		return nil, nil
	case 1:
		return tunnels[0], nil
	}
	names := make([]string, len(tunnels))
	for i, h := range tunnels {
		names[i] = h.Name
	}
	return nil, schema.Diagnostics{errorAt(s.At("public"),
		"%s: no tunnel routes its public hostnames: host %s runs none and the platform has several (%s); run a tunnel on %s or move the hostnames to a service behind one",
		s.Name, s.Host, strings.Join(names, ", "), s.Host)}
}

// route is the ingress rule of one public hostname of a service.
func route(p *schema.Platform, tunnel *schema.Host, s *schema.Service, i int) (ingressRule, schema.Diagnostics) {
	pub := s.Public[i]
	pos := s.At(fmt.Sprintf("public[%d]", i))
	rule := ingressRule{Hostname: pub.Hostname, Path: pub.Path, Comment: s.Name}
	if s.Description != "" {
		rule.Comment += ": " + s.Description
	}
	if s.Host != tunnel.Name {
		rule.Comment += " (on " + s.Host + ")"
	}
	var diags schema.Diagnostics
	if err := checkPath(pub.Path); err != nil {
		diags = append(diags, errorAt(s.At(fmt.Sprintf("public[%d].path", i)), "%s: %v", s.Name, err))
	}
	if h := s.HostRef; h != tunnel && h.Reach == schema.ReachPublic {
		// Reach would answer with the public hostname itself: the
		// tunnel would route the name to itself.
		return rule, append(diags, errorAt(pos, "%s: the tunnel on %s cannot reach host %s, which is reached only through public hostnames (reach: %q)",
			s.Name, tunnel.Name, h.Name, schema.ReachPublic))
	}
	ep, err := p.Reach(schema.Vantage{Kind: schema.OnHost, Host: tunnel.Name}, s, pub.Port)
	if err != nil {
		return rule, append(diags, errorAt(pos, "%s: the tunnel on %s cannot reach %s: %v", s.Name, tunnel.Name, pub.Hostname, err))
	}
	rule.Service = ep.URL()
	return rule, diags
}
