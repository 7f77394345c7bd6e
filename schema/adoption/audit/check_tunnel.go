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

// checkDuplicateHostnames reports a hostname and path routed twice, in one
// file or across tunnels (a DNS name points at one tunnel only).
func (a *auditor) checkDuplicateHostnames() {
	type key struct{ host, path string }
	firstRule := map[key]handwritten.IngressRule{}
	for _, f := range a.files.Cloudflared {
		for _, r := range f.Rules {
			if r.Hostname == "" || r.Hostname == "*" {
				continue
			}
			k := key{strings.ToLower(r.Hostname), r.Path}
			prev, seen := firstRule[k]
			if !seen {
				firstRule[k] = r
				continue
			}
			what := r.Hostname
			if r.Path != "" {
				what += " path " + r.Path
			}
			var msg string
			switch {
			case prev.Pos.File != r.Pos.File:
				msg = fmt.Sprintf("%s is routed by two tunnel configs (to %s and to %s); its DNS record can point at only one tunnel", what, prev.Service, r.Service)
			case prev.Service == r.Service:
				msg = fmt.Sprintf("%s is routed twice to %s; the second rule is never used", what, r.Service)
			default:
				msg = fmt.Sprintf("%s is routed again (to %s); the earlier rule (to %s) always wins", what, r.Service, prev.Service)
			}
			a.add(DuplicateHostname, msg, r.Pos, prev.Pos)
		}
	}
}

// checkRoute follows a rule's service to what serves it. A cloudflared
// running on the host reaches compose services through published ports,
// so a loopback port must be published (by the service the hostname
// names, if it names one). A cloudflared running as a compose service
// reaches them by name, so the name must exist and listen on the port.
// LAN and public addresses are another machine's business.
func (a *auditor) checkRoute(r handwritten.IngressRule) {
	addr, ok := handwritten.ParseAddress(r.Service)
	if !ok || !isWebScheme(addr.Scheme) || addr.Port == 0 || len(a.files.Compose) == 0 {
		return
	}
	inCompose := a.world.tunnelInCompose()
	if addr.IsLoopback() {
		if !inCompose {
			a.checkLoopbackRoute(r, addr)
		}
		return
	}
	if !isBareName(addr.Host) || !inCompose {
		return
	}
	t := a.world.lookup(addr.Host, nil)
	if t == nil {
		a.add(RoutePortMismatch, fmt.Sprintf("%s routes to %s, but no compose service or container is called %s", r.Hostname, r.Service, addr.Host), r.ServicePos)
		return
	}
	if listens, known := t.listensOn(addr.Port); known && !listens {
		a.add(RoutePortMismatch,
			fmt.Sprintf("%s routes to %s, but %s listens on %s%s", r.Hostname, addr.HostPort(), t.Name, t.listenSummary(), hostPortHint(t, addr.Port)),
			append([]Location{r.ServicePos}, t.listenPositions()...)...)
	}
}

func (a *auditor) checkLoopbackRoute(r handwritten.IngressRule, addr handwritten.Address) {
	pubs := a.world.published[addr.Port]
	if len(pubs) == 0 {
		a.add(RoutePortMismatch,
			fmt.Sprintf("%s routes to %s, but no compose service publishes host port %d", r.Hostname, r.Service, addr.Port),
			r.ServicePos)
		return
	}
	named := a.world.namedBy(r.Hostname)
	if named == nil {
		return
	}
	for _, p := range pubs {
		if p.svc == named {
			return
		}
	}
	locs := []Location{r.ServicePos, pubs[0].mapping.Pos}
	owner := fmt.Sprintf("host port %d belongs to %s", addr.Port, pubs[0].svc.Name)
	if len(named.Ports) > 0 {
		locs = append(locs, named.Ports[0].Pos)
		owner += fmt.Sprintf(" while %s publishes %s", named.Name, portMappingText(named.Ports[0]))
	}
	a.add(RoutePortMismatch, fmt.Sprintf("%s routes to %s, but %s", r.Hostname, r.Service, owner), locs...)
}

// namedBy finds the compose service a public hostname is named after:
// its first label is the service name or container name, with or without
// a "<project>-" style prefix shared by the file's services. Only exact
// names count; a guess would make findings a person has to dismiss.
func (w *world) namedBy(hostname string) *service {
	label, _, _ := strings.Cut(strings.ToLower(hostname), ".")
	if label == "" || label == "*" {
		return nil
	}
	if s := w.lookup(label, nil); s != nil {
		return s
	}
	var match *service
	for _, s := range w.services {
		for _, n := range s.DNSNames() {
			if prefix, ok := strings.CutSuffix(strings.ToLower(n), "-"+label); ok && !strings.Contains(prefix, "-") {
				if match != nil && match != s {
					return nil
				}
				match = s
			}
		}
	}
	return match
}

// tunnelInCompose reports whether cloudflared itself is a compose service
// on the compose network, which decides what its "localhost" means.
func (w *world) tunnelInCompose() bool {
	for _, s := range w.services {
		if strings.Contains(strings.ToLower(s.Image), "cloudflared") && !s.hostNetwork() {
			return true
		}
	}
	return false
}

func isWebScheme(s string) bool {
	return s == "http" || s == "https" || s == "ws" || s == "wss"
}
