package audit

import (
	"fmt"
	"net"
	"slices"
	"sort"
	"strings"

	"portschema/schema/adoption/handwritten"
)

func (a *auditor) checkCompose() {
	for _, f := range a.files.Compose {
		a.checkCollisions(f)
	}
	for _, s := range a.world.services {
		a.checkPortTargets(s)
		a.checkServiceURLs(s)
	}
}

// checkCollisions reports host ports published twice within one compose
// file. Files are not compared with each other: several files may be
// several hosts, and the audit cannot tell.
func (a *auditor) checkCollisions(f *handwritten.ComposeFile) {
	type key struct {
		port  int
		proto string
	}
	groups := map[key][]publication{}
	var keys []key
	for _, s := range a.world.services {
		if s.file != f || s.hostNetwork() {
			continue
		}
		for _, m := range s.Ports {
			if m.Published == 0 {
				continue
			}
			k := key{m.Published, m.Protocol}
			if groups[k] == nil {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], publication{svc: s, mapping: m})
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i].port < keys[j].port || keys[i].port == keys[j].port && keys[i].proto < keys[j].proto
	})
	for _, k := range keys {
		pubs := clashing(groups[k])
		if len(pubs) < 2 {
			continue
		}
		var names []string
		var locs []Location
		for _, p := range pubs {
			if !slices.Contains(names, p.svc.Name) {
				names = append(names, p.svc.Name)
			}
			locs = append(locs, p.mapping.Pos)
		}
		proto := ""
		if k.proto != "tcp" {
			proto = "/" + k.proto
		}
		msg := fmt.Sprintf("host port %d%s is published by %s", k.port, proto, andList(names))
		if len(names) == 1 {
			msg = fmt.Sprintf("host port %d%s is published twice by %s", k.port, proto, names[0])
		}
		msg += mergedFrom(pubs)
		if hosts, routes := a.routesTo(k.port); len(hosts) > 0 && k.proto == "tcp" {
			msg += fmt.Sprintf("; the tunnel sends %s there", andList(hosts))
			locs = append(locs, routes...)
		}
		a.add(HostPortCollision, msg, locs...)
	}
}

// mergedFrom explains a collision whose ports were written in several
// files of one project: compose merged them, and an overlay's ports add
// to the base file's unless the overlay replaces them.
func mergedFrom(pubs []publication) string {
	var files []string
	for _, p := range pubs {
		if !slices.Contains(files, p.mapping.Pos.File) {
			files = append(files, p.mapping.Pos.File)
		}
	}
	if len(files) < 2 {
		return ""
	}
	msg := fmt.Sprintf(" once compose merges %s into one project", andList(files))
	if !slices.ContainsFunc(pubs, func(p publication) bool { return p.svc != pubs[0].svc }) {
		msg += "; an overlay's ports add to the base file's unless it writes `ports: !override`"
	}
	return msg
}

// routesTo lists the tunnel hostnames routed to a loopback port, so a
// collision says which service the public name was meant for.
func (a *auditor) routesTo(port int) (hosts []string, locs []Location) {
	for _, f := range a.files.Cloudflared {
		for _, r := range f.Rules {
			addr, ok := handwritten.ParseAddress(r.Service)
			if ok && addr.IsLoopback() && addr.Port == port && r.Hostname != "" {
				hosts = append(hosts, r.Hostname)
				locs = append(locs, r.ServicePos)
			}
		}
	}
	return hosts, locs
}

// clashing keeps the publications that can be up at the same time on the
// same address: services with disjoint profiles never run together, and
// two different specific host IPs do not collide.
func clashing(pubs []publication) []publication {
	var out []publication
	for i, p := range pubs {
		for j, q := range pubs {
			if i != j && sameAddress(p.mapping.HostIP, q.mapping.HostIP) && mayRunTogether(p.svc, q.svc) {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

func sameAddress(a, b string) bool {
	wild := func(ip string) bool { return ip == "" || ip == "0.0.0.0" || ip == "::" || ip == "[::]" }
	return wild(a) || wild(b) || a == b
}

func mayRunTogether(s, t *service) bool {
	if len(s.Profiles) == 0 || len(t.Profiles) == 0 {
		return true
	}
	for _, p := range s.Profiles {
		if slices.Contains(t.Profiles, p) {
			return true
		}
	}
	return false
}

// checkPortTargets reports a service whose PORT says where it listens
// while none of its published ports leads there.
func (a *auditor) checkPortTargets(s *service) {
	var declared []evidence
	for _, e := range s.listen {
		if e.declared {
			declared = append(declared, e)
		}
	}
	if len(declared) == 0 || s.hostNetwork() {
		return
	}
	var published []handwritten.PortMapping
	for _, m := range s.Ports {
		if m.Protocol != "tcp" {
			continue
		}
		for _, e := range declared {
			if m.Target == e.port {
				return
			}
		}
		published = append(published, m)
	}
	if len(published) == 0 {
		return
	}
	m := published[0]
	a.add(PortTargetMismatch,
		fmt.Sprintf("%s publishes %s, but its %s: the published port leads to a container port nothing listens on",
			s.Name, portMappingText(m), declared[0].how),
		m.Pos, declared[0].pos)
}

func portMappingText(m handwritten.PortMapping) string {
	if m.Published == 0 {
		return fmt.Sprint(m.Target)
	}
	return fmt.Sprintf("%d:%d", m.Published, m.Target)
}

// checkEnvURLs checks each URL in the service's environment against the
// service it names. A value may hold several URLs (a list of listeners);
// each is checked. Listen addresses (`http://+:80`, 0.0.0.0) say where
// the service itself listens, and are evidence, not targets.
func (a *auditor) checkServiceURLs(s *service) {
	for _, e := range s.Environment {
		a.checkEnvURLs(s, e)
	}
}

func (a *auditor) checkEnvURLs(s *service, e handwritten.EnvVar) {
	{
		if !e.HasValue || !strings.Contains(e.Value, "://") {
			return
		}
		value, complete := handwritten.ExpandDefaults(e.Value)
		if !complete {
			return
		}
		urls := handwritten.SplitURLs(value)
		for _, u := range urls {
			addr, ok := handwritten.ParseAddress(u)
			if !ok || addr.IsWildcard() {
				continue
			}
			a.checkEnvURL(s, e, u, addr, len(urls) > 1)
		}
	}
}

func (a *auditor) checkEnvURL(s *service, e handwritten.EnvVar, value string, addr handwritten.Address, listeners bool) {
	if addr.IsLoopback() {
		if !listeners {
			a.checkLoopbackURL(s, e, value, addr)
		}
		return
	}
	if addr.Host == "host.docker.internal" {
		a.checkHostGateway(s, e, value, addr)
		return
	}
	if !isBareName(addr.Host) {
		return
	}
	t := a.world.lookup(addr.Host, s.file)
	if t == nil {
		if !a.world.extraHosts[addr.Host] && len(a.files.Compose) > 0 && !s.onExternalNetwork() {
			a.add(EnvURLUnknownHost,
				fmt.Sprintf("%s of %s points at %s, but no compose service or container is called %s", e.Name, s.Name, redact(value), addr.Host),
				e.Pos)
		}
		return
	}
	// A URL without a port leaves it to the protocol's default or to
	// the client's own setting; only a written port is compared.
	if addr.PortWritten {
		if listens, known := t.listensOn(addr.Port); known && !listens {
			a.add(EnvURLMismatch,
				fmt.Sprintf("%s of %s points at %s, but %s listens on %s%s", e.Name, s.Name, addr.HostPort(), t.Name, t.listenSummary(), hostPortHint(t, addr.Port)),
				append([]Location{e.Pos}, t.listenPositions()...)...)
		}
	}
	if need, pos := credentialsNeeded(t); need != "" && need == schemeFamily(addr.Scheme) && !addr.HasPassword && !passwordBeside(s, e.Name, need) {
		a.add(MissingCredentials,
			fmt.Sprintf("%s of %s connects to %s without a password, but %s requires one", e.Name, s.Name, redact(value), t.Name),
			e.Pos, pos)
	}
}

// checkLoopbackURL reports a URL to localhost inside a container that
// means another service: localhost there is the container itself. It
// speaks only when the port is another service's and not this one's, so
// a service calling itself, or a service on the host's network, is left
// alone.
func (a *auditor) checkLoopbackURL(s *service, e handwritten.EnvVar, value string, addr handwritten.Address) {
	if s.hostNetwork() || s.sharesWith != nil || !addr.PortWritten {
		return
	}
	if listens, _ := s.listensOn(addr.Port); listens {
		return
	}
	if _, own := s.publishes(addr.Port); own {
		return
	}
	var owner *service
	for _, p := range a.world.published[addr.Port] {
		if p.svc != s && p.svc.file == s.file {
			owner = p.svc
			break
		}
	}
	if owner == nil {
		return
	}
	a.add(EnvURLLoopback,
		fmt.Sprintf("%s of %s points at %s, but inside its container localhost is %s itself; port %d is %s's", e.Name, s.Name, redact(value), s.Name, addr.Port, owner.Name),
		e.Pos, a.world.published[addr.Port][0].mapping.Pos)
}

// checkHostGateway checks a URL to host.docker.internal: the Docker
// host, whose ports are the ones compose services publish. A port no
// service publishes is served by a program outside compose or by
// nothing; the audit cannot see which, so the finding is likely.
func (a *auditor) checkHostGateway(s *service, e handwritten.EnvVar, value string, addr handwritten.Address) {
	if !addr.PortWritten || len(a.world.published[addr.Port]) > 0 {
		return
	}
	msg := fmt.Sprintf("%s of %s points at %s, the Docker host, but no compose service publishes host port %d", e.Name, s.Name, redact(value), addr.Port)
	locs := []Location{e.Pos}
	if d := a.files.Doc; d != nil {
		for _, row := range d.PortRows() {
			if row.Ports.Contains(addr.Port) && row.Name != "" {
				if host := rowHost(d, row); host != "" {
					msg += fmt.Sprintf("; the doc puts %s on %s there", row.Name, d.Tables[row.Table].Rows[row.Row].Cells[d.Tables[row.Table].Column(hostColumns...)])
					locs = append(locs, row.Pos)
					break
				}
			}
		}
	}
	a.add(EnvURLHostPort, msg, locs...)
}

// isBareName reports whether host is a single-label name, which on a
// compose network can only be a service, container or hand-mapped host.
// Names with dots (public or LAN hosts) and IP addresses are left alone:
// the audit cannot check another machine.
func isBareName(host string) bool {
	return host != "" && !strings.Contains(host, ".") && net.ParseIP(host) == nil
}

// hostPortHint explains a port that is the target's host port, a common
// slip inside a compose network.
func hostPortHint(t *service, port int) string {
	if m, ok := t.publishes(port); ok {
		return fmt.Sprintf("; %d is its host port (%s), which containers on the compose network do not use", port, portMappingText(m))
	}
	return ""
}

// credentialsNeeded tells which kind of URL must carry a password to
// reach t ("redis", "postgres", "mysql"), and where t says so.
func credentialsNeeded(t *service) (string, handwritten.Pos) {
	image := strings.ToLower(t.Image)
	if strings.Contains(t.Command, "--requirepass") {
		return "redis", t.CommandPos
	}
	for _, rule := range []struct{ family, image, env string }{
		{"redis", "redis", "REDIS_PASSWORD"},
		{"postgres", "postgres", "POSTGRES_PASSWORD"},
		{"mysql", "mysql", "MYSQL_ROOT_PASSWORD"},
		{"mysql", "mariadb", "MARIADB_ROOT_PASSWORD"},
	} {
		if !strings.Contains(image, rule.image) {
			continue
		}
		if e, ok := t.Env(rule.env); ok && e.HasValue && e.Value != "" {
			if trust, _ := t.Env("POSTGRES_HOST_AUTH_METHOD"); trust.Value == "trust" {
				return "", handwritten.Pos{}
			}
			return rule.family, e.Pos
		}
	}
	return "", handwritten.Pos{}
}

// passwordBeside reports whether the service passes a password in a
// variable of its own next to the URL (redis_exporter reads REDIS_ADDR
// and REDIS_PASSWORD), so the URL needs none.
func passwordBeside(s *service, urlVar, family string) bool {
	prefix, _, _ := strings.Cut(urlVar, "_")
	for _, e := range s.Environment {
		if !strings.Contains(e.Name, "PASS") || !e.HasValue || e.Value == "" {
			continue
		}
		if strings.HasPrefix(e.Name, prefix+"_") || strings.Contains(e.Name, strings.ToUpper(family)) {
			return true
		}
	}
	return false
}

func schemeFamily(scheme string) string {
	switch scheme {
	case "redis", "rediss":
		return "redis"
	case "postgres", "postgresql":
		return "postgres"
	case "mysql", "mariadb":
		return "mysql"
	}
	return ""
}

// redact hides a URL's password so findings never print secrets.
func redact(value string) string {
	scheme, rest, ok := strings.Cut(value, "://")
	if !ok {
		return value
	}
	at := strings.LastIndex(rest, "@")
	slash := strings.Index(rest, "/")
	if at < 0 || (slash >= 0 && slash < at) {
		return value
	}
	user, _, hasPass := strings.Cut(rest[:at], ":")
	if !hasPass {
		return value
	}
	return scheme + "://" + user + ":***" + rest[at:]
}

// andList renders "a", "a and b", "a, b and c".
func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
