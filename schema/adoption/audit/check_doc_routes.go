package audit

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"portschema/schema/adoption/handwritten"
)

// hostnameText finds host names in doc text, with the path that follows
// one in a URL ("api.example.com/calendar"); the character before must
// not make it part of an address or a longer word (an e-mail's domain).
var hostnameText = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)(^|[^@\w.-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9])(/[^\s|),]*)?`)
})

// wholeHost is a table cell that is a host name or URL and nothing else.
var wholeHost = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)^(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9](?:/\S*)?$`)
})

func isWholeHost(cell string) bool { return wholeHost().MatchString(strings.TrimSpace(cell)) }

// labelledHost finds a host name a list item labels as a public address
// ("public: app.example.com", "URL: https://app.example.com"); a host
// name inside prose ("writes the status page (status.example.com)") says
// nothing of what serves it.
var labelledHost = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(?:public|url|hostname|host name|domain|routed? (?:at|to|as)|served at|reachable at)\s*(?::|=|→|->)?\s*(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9](?:/[^\s|),]*)?)`)
})

// nameToken finds names in doc text that may be a compose service's.
var nameToken = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]`) })

// docRoute is what a row or list item of a doc says of one public host
// name: the compose service it is for, or the port, where it says.
type docRoute struct {
	pos  Location
	host string
	path string // "" when the doc gives none: a request for "/"
	svc  *service
	name string // svc as the doc writes it
	port handwritten.PortRange
}

// checkDocRoutes compares the public host names a doc states, in its
// tables (a route or URL table, a port table with a hostname column)
// and its list items, with where the audited tunnels send them. Only
// names under a domain the tunnels serve are the tunnels' business, and
// only a row or item naming one host name says which service it is for.
func (a *auditor) checkDocRoutes(d *handwritten.Doc, modes []docMode) {
	domains := a.tunnelDomains()
	if len(domains) == 0 {
		return
	}
	for _, r := range a.docRoutes(d, modes, domains) {
		a.checkDocRoute(r)
	}
}

// tunnelDomains are the domains the tunnels route names under: each
// rule's hostname without its first label (or itself, for a name of two
// labels), so "auth.example.com" gives "example.com".
func (a *auditor) tunnelDomains() map[string]bool {
	out := map[string]bool{}
	for _, f := range a.files.Cloudflared {
		for _, r := range f.Rules {
			h := strings.TrimPrefix(strings.ToLower(r.Hostname), "*.")
			if strings.Count(h, ".") >= 2 {
				_, h, _ = strings.Cut(h, ".")
			}
			if strings.Contains(h, ".") {
				out[h] = true
			}
		}
	}
	return out
}

func underDomain(host string, domains map[string]bool) bool {
	for h := strings.ToLower(host); ; {
		if domains[h] {
			return true
		}
		var ok bool
		if _, h, ok = strings.Cut(h, "."); !ok {
			return false
		}
	}
}

// hostsIn lists the distinct host names (with paths) under the domains
// in text.
func hostsIn(text string, domains map[string]bool) [][2]string {
	var out [][2]string
	for _, m := range hostnameText().FindAllStringSubmatch(text, -1) {
		h := [2]string{strings.ToLower(m[2]), m[3]}
		if underDomain(h[0], domains) && !containsHost(out, h) {
			out = append(out, h)
		}
	}
	return out
}

func containsHost(hs [][2]string, h [2]string) bool {
	for _, x := range hs {
		if x == h {
			return true
		}
	}
	return false
}

// docRoutes gathers the host names the doc ties to a service or port,
// where it states facts.
func (a *auditor) docRoutes(d *handwritten.Doc, modes []docMode, domains map[string]bool) []docRoute {
	var out []docRoute
	for ti := range d.Tables {
		t := &d.Tables[ti]
		if modes[t.Section] == plan || ipAddress().MatchString(d.Sections[t.Section].Title) {
			continue
		}
		sc, pc, pathc := t.Column("service", "services", "name", "app"), t.Column("port", "ports"), t.Column("path")
		for _, row := range t.Rows {
			// One host name in the row, written as a cell of its own: a
			// name inside prose, or a row of two names (a redirect), does
			// not say what serves it.
			text := strings.Join(row.Cells, " | ")
			hosts := hostsIn(text, domains)
			if len(hosts) != 1 || !slices.ContainsFunc(row.Cells, isWholeHost) || planRow().MatchString(text) {
				continue
			}
			r := docRoute{pos: row.Pos, host: hosts[0][0], path: hosts[0][1]}
			if pathc >= 0 && strings.HasPrefix(row.Cells[pathc], "/") {
				r.path = row.Cells[pathc]
			}
			if sc >= 0 {
				r.name = handwritten.LeadingName(strings.Trim(row.Cells[sc], "*_` "))
				r.svc = a.world.lookup(r.name, nil)
			}
			if r.svc == nil {
				r.name, r.svc = a.namedService(row.Cells)
			}
			if pc >= 0 {
				r.port, _ = handwritten.ParsePortCell(row.Cells[pc])
			}
			out = append(out, r)
		}
	}
	for i, s := range d.Sections {
		if modes[i] == plan {
			continue
		}
		for _, item := range s.Items {
			var labelled []string
			for _, m := range labelledHost().FindAllStringSubmatch(item.Text, -1) {
				labelled = append(labelled, m[1])
			}
			hosts := hostsIn(strings.Join(labelled, " "), domains)
			if len(hosts) != 1 || ipAddress().MatchString(item.Lead) || planRow().MatchString(item.Text) {
				continue
			}
			r := docRoute{pos: item.Pos, host: hosts[0][0], path: hosts[0][1]}
			if m := namePort().FindStringSubmatch(hostnameText().ReplaceAllString(item.Text, "$1")); m != nil {
				if s := a.world.lookup(m[1], nil); s != nil {
					r.name, r.svc = m[1], s
					r.port, _ = handwritten.ParsePortCell(m[2])
				}
			}
			out = append(out, r)
		}
	}
	return out
}

// namedService is the one compose service that a row's cells name as a
// whole cell ("mana-auth") or in parentheses ("Central auth (mana-auth)");
// nil when none or several do.
func (a *auditor) namedService(cells []string) (string, *service) {
	var name string
	var found *service
	for _, c := range cells {
		c = strings.Trim(c, "*_` ")
		cands := []string{c}
		if open := strings.LastIndex(c, "("); open >= 0 && strings.HasSuffix(c, ")") {
			cands = append(cands, c[open+1:len(c)-1])
		}
		for _, n := range cands {
			if !nameToken().MatchString(n) || nameToken().FindString(n) != n {
				continue
			}
			s := a.world.lookup(n, nil)
			switch {
			case s == nil:
			case found != nil && found != s:
				return "", nil
			default:
				name, found = n, s
			}
		}
	}
	return name, found
}

// checkDocRoute compares one host name of the doc with the rule that
// routes it.
func (a *auditor) checkDocRoute(r docRoute) {
	if r.svc == nil && r.port.From == 0 {
		return
	}
	rule, routed := a.ruleFor(r.host, r.path)
	what := r.host + r.path
	if !routed {
		if r.svc == nil || !rule.ServicePos.IsValid() {
			return
		}
		f := a.add(DocRouteMismatch,
			fmt.Sprintf("the doc gives %s to %s, but no tunnel rule routes it: cloudflared answers it with %s", what, r.name, rule.Service),
			r.pos, rule.ServicePos)
		f.Confidence = Likely // another proxy or DNS record may serve it
		return
	}
	t := a.ruleTarget(rule)
	if t == nil {
		a.checkDocRouteElsewhere(r, rule)
		return
	}
	switch {
	case r.svc != nil && !sameNamespace(t, r.svc):
		a.add(DocRouteMismatch,
			fmt.Sprintf("the doc gives %s to %s, but the tunnel routes it to %s, which is %s", what, r.name, rule.Service, t.Name),
			r.pos, rule.ServicePos)
	case r.svc == nil && !t.servesDocPort(r.port):
		a.add(DocRouteMismatch,
			fmt.Sprintf("the doc gives %s port %s, but the tunnel routes it to %s, which is %s on %s", what, rangeText(r.port), rule.Service, t.Name, t.portSummary()),
			r.pos, rule.ServicePos)
	}
}

// checkDocRouteElsewhere compares the port a doc gives a host name with
// a route to another machine (a LAN address, a name outside compose):
// the audit cannot see that machine, but a port the route does not use
// is likely one of the two wrong.
func (a *auditor) checkDocRouteElsewhere(r docRoute, rule handwritten.IngressRule) {
	addr, ok := handwritten.ParseAddress(rule.Service)
	if !ok || !isWebScheme(addr.Scheme) || !addr.PortWritten || addr.IsLoopback() || r.svc != nil || r.port.From == 0 || r.port.Contains(addr.Port) {
		return
	}
	f := a.add(DocRouteMismatch,
		fmt.Sprintf("the doc gives %s port %s, but the tunnel routes it to %s", r.host+r.path, rangeText(r.port), rule.Service),
		r.pos, rule.ServicePos)
	f.Confidence = Likely // a proxy on that machine may forward the port
}

// servesDocPort reports whether a doc port is one of t's host or
// container ports.
func (s *service) servesDocPort(r handwritten.PortRange) bool {
	for p := r.From; p <= r.To; p++ {
		if s.publishedAs(p) || s.hasPort(p) {
			return true
		}
	}
	return false
}

func sameNamespace(s, t *service) bool {
	return s == t || s.sharesWith == t || t.sharesWith == s || s.sharesWith != nil && s.sharesWith == t.sharesWith
}

// routesAny reports whether a tunnel routes one of the host names in
// cells (to anything but its catch-all).
func (a *auditor) routesAny(cells []string) bool {
	for _, c := range cells {
		for _, m := range hostnameText().FindAllStringSubmatch(c, -1) {
			if _, routed := a.ruleFor(m[2], m[3]); routed {
				return true
			}
		}
	}
	return false
}

// ruleFor finds the rule cloudflared sends a request for host and path
// to: the first rule of a tunnel config that matches both (a rule's
// path is an unanchored regular expression; no path is a request for
// "/"). routed is false when only a catch-all rule, or a rule answering
// with a status, takes it.
func (a *auditor) ruleFor(host, path string) (rule handwritten.IngressRule, routed bool) {
	for _, f := range a.files.Cloudflared {
		for _, r := range f.Rules {
			if !r.Matches(host) || !pathMatches(r.Path, path) {
				continue
			}
			if r.IsCatchAll() || strings.HasPrefix(r.Service, "http_status:") {
				if !rule.ServicePos.IsValid() {
					rule = r
				}
				break
			}
			return r, true
		}
	}
	return rule, false
}

// ruleTarget is the compose service a rule's requests reach, resolved
// the way the cloudflared that runs it sees the network; nil when it is
// not a compose service of the audit, or not one alone.
func (a *auditor) ruleTarget(r handwritten.IngressRule) *service {
	addr, ok := handwritten.ParseAddress(r.Service)
	if !ok || !isWebScheme(addr.Scheme) || addr.Port == 0 {
		return nil
	}
	cf := a.world.tunnelService()
	switch {
	case cf == nil || cf.hostNetwork():
		if !addr.IsLoopback() {
			return nil
		}
		var only *service
		for _, p := range a.world.published[addr.Port] {
			if only != nil && only != p.svc {
				return nil
			}
			only = p.svc
		}
		return only
	case addr.IsLoopback():
		return cf.sharesWith
	case isBareName(addr.Host):
		return a.world.lookup(addr.Host, cf.file)
	}
	return nil
}
