package audit

import (
	"fmt"
	"strings"

	"portschema/schema/adoption/handwritten"
)

func (a *auditor) checkTunnels() {
	for _, f := range a.files.Cloudflared {
		for _, p := range f.Validate() {
			a.add(InvalidRule, p.Message, p.Pos)
		}
		a.checkShadowedRules(f)
		for _, r := range f.Rules {
			a.checkRoute(r)
		}
	}
	a.checkDuplicateHostnames()
	a.checkTunnelCopies()
}

// checkShadowedRules reports a rule an earlier wildcard rule (without a
// path) always matches first, so cloudflared never reaches it. Exact
// duplicates are left to checkDuplicateHostnames.
func (a *auditor) checkShadowedRules(f *handwritten.CloudflaredFile) {
	for i, r := range f.Rules {
		if r.Hostname == "" || r.IsCatchAll() {
			continue
		}
		for _, earlier := range f.Rules[:i] {
			if earlier.Path != "" || earlier.IsCatchAll() || !strings.HasPrefix(earlier.Hostname, "*.") || !earlier.Matches(r.Hostname) {
				continue
			}
			a.add(InvalidRule,
				fmt.Sprintf("rule #%d (%s) is never reached: rule #%d (%s) matches it first", r.Number, r.Hostname, earlier.Number, earlier.Hostname),
				r.Pos, earlier.Pos)
			break
		}
	}
}

// checkDuplicateHostnames reports a hostname and path routed twice: in
// one file (the first rule wins) or by two tunnels (a DNS name points at
// one tunnel only). Files of the same tunnel id are copies of one config,
// compared by checkTunnelCopies instead.
func (a *auditor) checkDuplicateHostnames() {
	type key struct{ host, path string }
	type seen struct {
		rule handwritten.IngressRule
		file *handwritten.CloudflaredFile
	}
	firstRule := map[key]seen{}
	for _, f := range a.files.Cloudflared {
		for _, r := range f.Rules {
			if r.Hostname == "" || r.Hostname == "*" {
				continue
			}
			k := key{strings.ToLower(r.Hostname), r.Path}
			prev, ok := firstRule[k]
			if !ok {
				firstRule[k] = seen{r, f}
				continue
			}
			if prev.file != f && sameTunnel(prev.file, f) {
				continue
			}
			what := r.Hostname
			if r.Path != "" {
				what += " path " + r.Path
			}
			var msg string
			switch {
			case prev.file != f:
				msg = fmt.Sprintf("%s is routed by two tunnel configs (to %s and to %s); its DNS record can point at only one tunnel", what, prev.rule.Service, r.Service)
			case prev.rule.Service == r.Service:
				msg = fmt.Sprintf("%s is routed twice to %s; the second rule is never used", what, r.Service)
			default:
				msg = fmt.Sprintf("%s is routed again (to %s); the earlier rule (to %s) always wins", what, r.Service, prev.rule.Service)
			}
			a.add(DuplicateHostname, msg, r.Pos, prev.rule.Pos)
		}
	}
}

// sameTunnel reports whether two config files run the same tunnel.
func sameTunnel(f, g *handwritten.CloudflaredFile) bool {
	return f.Tunnel != "" && strings.EqualFold(f.Tunnel, g.Tunnel)
}

// checkTunnelCopies compares config files of one tunnel id: whichever
// runs decides the routes, so a rule one copy has and the other lacks, or
// routes elsewhere, is a finding (a stale copy).
func (a *auditor) checkTunnelCopies() {
	fs := a.files.Cloudflared
	for i, f := range fs {
		for _, g := range fs[i+1:] {
			if !sameTunnel(f, g) {
				continue
			}
			a.compareCopies(f, g)
			a.compareCopies(g, f)
		}
	}
}

// compareCopies reports each rule of f that g lacks or routes elsewhere.
func (a *auditor) compareCopies(f, g *handwritten.CloudflaredFile) {
	for _, r := range f.Rules {
		if r.IsCatchAll() {
			continue
		}
		other, ok := findRule(g, r)
		switch {
		case !ok:
			a.add(TunnelCopiesDiffer,
				fmt.Sprintf("tunnel %s: %s routes %s to %s, but %s has no rule for it", f.Tunnel, f.Path, r.Hostname+r.Path, r.Service, g.Path),
				r.Pos, g.TunnelPos)
		case other.Service != r.Service && f.Path < g.Path:
			a.add(TunnelCopiesDiffer,
				fmt.Sprintf("tunnel %s: %s routes %s to %s, but %s routes it to %s", f.Tunnel, f.Path, r.Hostname+r.Path, r.Service, g.Path, other.Service),
				r.ServicePos, other.ServicePos)
		}
	}
}

func findRule(f *handwritten.CloudflaredFile, r handwritten.IngressRule) (handwritten.IngressRule, bool) {
	for _, o := range f.Rules {
		if strings.EqualFold(o.Hostname, r.Hostname) && o.Path == r.Path {
			return o, true
		}
	}
	return handwritten.IngressRule{}, false
}

// checkRoute follows a rule's service to what serves it. A cloudflared
// running on the host reaches compose services through published ports,
// so a loopback port must be published (by the service the hostname
// names, if it names one). A cloudflared running as a compose service
// reaches them by name, so the name must exist and listen on the port.
// LAN and public addresses are another machine's business.
func (a *auditor) checkRoute(r handwritten.IngressRule) {
	addr, ok := handwritten.ParseAddress(r.Service)
	if !ok || !isWebScheme(addr.Scheme) || addr.Port == 0 || len(a.world.services) == 0 {
		return
	}
	cf := a.world.tunnelService()
	switch {
	case cf == nil || cf.hostNetwork():
		// On the host: localhost is the host, compose names do not
		// resolve (unless mapped by hand in the container's extra_hosts).
		if addr.IsLoopback() {
			a.checkLoopbackRoute(r, addr)
		} else if cf != nil && isBareName(addr.Host) && a.world.lookup(addr.Host, nil) != nil && !a.world.extraHosts[addr.Host] {
			a.add(RoutePortMismatch,
				fmt.Sprintf("%s routes to %s, but cloudflared runs on the host's network (%s), where the compose name %s does not resolve", r.Hostname, r.Service, cf.Name, addr.Host),
				r.ServicePos, cf.Pos)
		}
	case cf.sharesWith != nil && addr.IsLoopback():
		// localhost is the namespace cloudflared shares.
		a.checkNamedRoute(r, addr, cf.sharesWith)
	case addr.IsLoopback():
		if listens, _ := cf.listensOn(addr.Port); !listens {
			owner := ""
			if pubs := a.world.published[addr.Port]; len(pubs) > 0 {
				owner = fmt.Sprintf(" (host port %d is %s's; route to %s:%d)", addr.Port, pubs[0].svc.Name, pubs[0].svc.Name, pubs[0].mapping.Target)
			}
			a.add(RoutePortMismatch,
				fmt.Sprintf("%s routes to %s, but cloudflared runs in its own container (%s), where localhost is cloudflared itself%s", r.Hostname, r.Service, cf.Name, owner),
				r.ServicePos, cf.Pos)
		}
	case isBareName(addr.Host):
		t := a.world.lookup(addr.Host, cf.file)
		if t == nil {
			if !cf.onExternalNetwork() && !a.world.extraHosts[addr.Host] {
				a.add(RoutePortMismatch, fmt.Sprintf("%s routes to %s, but no compose service or container is called %s", r.Hostname, r.Service, addr.Host), r.ServicePos)
			}
			return
		}
		a.checkNamedRoute(r, addr, t)
	}
}

// checkNamedRoute checks that t listens on the route's port.
func (a *auditor) checkNamedRoute(r handwritten.IngressRule, addr handwritten.Address, t *service) {
	if listens, known := t.listensOn(addr.Port); known && !listens {
		a.add(RoutePortMismatch,
			fmt.Sprintf("%s routes to %s, but %s listens on %s%s", r.Hostname, addr.HostPort(), t.Name, t.listenSummary(), hostPortHint(t, addr.Port)),
			append([]Location{r.ServicePos}, t.listenPositions()...)...)
	}
}

// checkLoopbackRoute checks a route to a port of the machine cloudflared
// runs on: some compose service must publish it. Which one it is the
// route says by its port; a hostname's resemblance to a service's name
// is no evidence against it.
func (a *auditor) checkLoopbackRoute(r handwritten.IngressRule, addr handwritten.Address) {
	if len(a.world.published[addr.Port]) > 0 {
		return
	}
	f := a.add(RoutePortMismatch,
		fmt.Sprintf("%s routes to %s, but no compose service publishes host port %d", r.Hostname, r.Service, addr.Port),
		r.ServicePos)
	if a.world.hostUnknown {
		f.Confidence = Likely // a host-network service may listen there
	}
}

// tunnelService is the compose service that runs cloudflared, or nil
// when cloudflared runs outside compose (on the host).
func (w *world) tunnelService() *service {
	for _, s := range w.services {
		if imageName(s.Image) == "cloudflared" {
			return s
		}
	}
	return nil
}

func isWebScheme(s string) bool {
	return s == "http" || s == "https" || s == "ws" || s == "wss"
}
