package schema

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// checkLeftovers warns about what a removal leaves behind: parts of the
// source that only a service no longer there used. Each is harmless to
// the outputs, which is why nothing else would ever point at it: a
// compose secret or named volume no service reads, a raw tunnel rule or
// scrape target aimed at a port of a range that no service has, a
// hostname of the platform's domain nothing serves, a range with no
// services.
func checkLeftovers(c *collector, p *Platform) {
	for _, h := range p.Hosts {
		if h.Compose != nil {
			checkUnusedBlocks(c, p, h)
		}
		if h.Tunnel != nil {
			for i, r := range h.Tunnel.Rules {
				if why := aimedAtNothing(p, h, r.Service, false); why != "" {
					c.warnf(h.At(fmt.Sprintf("tunnel.rules[%d].service", i)), nil, "host %s: tunnel rule %s routes to %s; remove the rule, or declare the service", h.Name, ruleName(r), why)
				}
			}
		}
	}
	if pr := p.Prometheus; pr != nil {
		checkRawTargets(c, p, pr)
	}
	checkEmptyRanges(c, p)
}

// checkEmptyRanges warns about ranges no service's port or planned port
// lies in. A service declared in a range from outside it, by exception,
// does not fill it: the range is then named for what it no longer holds.
func checkEmptyRanges(c *collector, p *Platform) {
	used := map[string]bool{}
	outside := map[string][]string{}
	for _, s := range p.Services {
		if r := p.Range(s.Range); r != nil && r.Contains(s.Port) {
			used[r.Name] = true
		} else if r != nil {
			outside[r.Name] = append(outside[r.Name], fmt.Sprintf("%s at %d", s.Name, s.Port))
		}
		if s.Planned != nil {
			if r := plannedRange(s); r != nil && r.Contains(s.Planned.Port) {
				used[r.Name] = true
			}
		}
	}
	for _, r := range p.Ranges {
		if used[r.Name] {
			continue
		}
		if len(outside[r.Name]) > 0 {
			c.warnf(r.At(""), nil, "range %s (%d-%d) has no service in it, only services declared in it from outside (%s); give them a range they lie in, and remove it",
				r.Name, r.From, r.To, strings.Join(outside[r.Name], ", "))
			continue
		}
		c.warnf(r.At(""), nil, "range %s (%d-%d) has no service; remove it", r.Name, r.From, r.To)
	}
}

func ruleName(r TunnelRule) string {
	if r.Hostname == "" {
		return "(catch-all)"
	}
	return r.Hostname + r.Path
}

// checkUnusedBlocks warns about top-level compose secrets and named
// volumes of a host that no service of the host lists.
func checkUnusedBlocks(c *collector, p *Platform, h *Host) {
	secrets, volumes := map[string]bool{}, map[string]bool{}
	for _, s := range h.Services {
		for _, ref := range composeList(s.Compose["secrets"]) {
			secrets[ref] = true
		}
		for _, ref := range composeList(s.Compose["volumes"]) {
			volumes[ref] = true
		}
	}
	for _, name := range sortedKeys(h.Compose.Secrets) {
		if !secrets[name] {
			c.warnf(h.At("compose.secrets."+name), nil, "host %s: compose secret %s is read by no service; remove it", h.Name, name)
		}
	}
	for _, name := range sortedKeys(h.Compose.Volumes) {
		if !volumes[name] {
			c.warnf(h.At("compose.volumes."+name), nil, "host %s: named volume %s is mounted by no service; remove it (the volume's data stays on the host until `docker volume rm`)", h.Name, name)
		}
	}
}

// composeList returns the names a service's compose secrets or volumes
// list refers to: the short form's source ("name:/path:ro", "name") and
// the long form's source.
func composeList(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, item := range items {
		switch item := item.(type) {
		case string:
			name, _, _ := strings.Cut(item, ":")
			out = append(out, name)
		case map[string]any:
			if src, ok := item["source"].(string); ok {
				out = append(out, src)
			}
		}
	}
	return out
}

// checkRawTargets warns about targets of hand-written scrape jobs that
// name nothing of the platform any more.
func checkRawTargets(c *collector, p *Platform, pr *Prometheus) {
	h := p.Host(pr.Host)
	if h == nil {
		return
	}
	inNetwork := pr.Vantage != OnHost && h.IsCompose()
	for i, job := range pr.Jobs {
		name, _ := job["job_name"].(string)
		statics, _ := job["static_configs"].([]any)
		for j, st := range statics {
			m, _ := st.(map[string]any)
			targets, _ := m["targets"].([]any)
			for k, t := range targets {
				target, _ := t.(string)
				if why := aimedAtNothing(p, h, target, inNetwork); why != "" {
					c.warnf(pr.At(fmt.Sprintf("jobs[%d].static_configs[%d].targets[%d]", i, j, k)), nil,
						"prometheus: job %s targets %s; remove the target, or declare the service", name, why)
				}
			}
		}
	}
}

// aimedAtNothing says what is wrong with a raw target read from host h
// (a URL, or host:port), or "" when it may well reach something: a URL
// of the platform's domain that no service or tunnel rule serves; a
// port of one of the platform's ranges that no service has on the host
// the target names (localhost or a host's address); a bare name, which
// inside a compose network is a service's, that no service has, or
// that service on a port it does not listen on. Ports outside every
// range (22, say) belong to the machines, not to the platform.
func aimedAtNothing(p *Platform, h *Host, target string, inNetwork bool) string {
	hostname, port, ok := splitTarget(target)
	if !ok {
		return ""
	}
	if port == 0 {
		if p.Domain != "" && (hostname == p.Domain || strings.HasSuffix(hostname, "."+p.Domain)) && !servesHostname(p, hostname) {
			return fmt.Sprintf("%s, a hostname no service or tunnel rule has", target)
		}
		return ""
	}
	if s := p.Service(hostname); s != nil {
		for _, ref := range s.AllPorts() {
			if ref.ContainerPort == port || ref.Port == port {
				return ""
			}
		}
		return fmt.Sprintf("%s, a port %s does not listen on", target, s.Name)
	}
	on := hostByAddress(p, hostname)
	switch {
	case isLoopback(hostname) && !inNetwork:
		on = h
	case on == nil && inNetwork && !strings.Contains(hostname, ".") && !isLoopback(hostname):
		return fmt.Sprintf("%s, and no service is named %s", target, hostname)
	}
	if on == nil {
		return ""
	}
	r := rangeOf(p, port)
	if r == nil {
		return ""
	}
	for _, s := range on.Services {
		for _, ref := range s.AllPorts() {
			if ref.Port == port {
				return ""
			}
		}
	}
	return fmt.Sprintf("%s, a port of range %s that no service on host %s has", target, r.Name, on.Name)
}

// splitTarget reads "scheme://host[:port][/path]" or "host:port". A
// URL without a port has port 0; so has anything that names no host.
func splitTarget(target string) (host string, port int, ok bool) {
	if strings.Contains(target, "://") {
		u, err := url.Parse(target)
		if err != nil || u.Hostname() == "" {
			return "", 0, false
		}
		port, _ = strconv.Atoi(u.Port())
		return u.Hostname(), port, true
	}
	h, ps, err := net.SplitHostPort(target)
	if err != nil {
		return "", 0, false
	}
	port, err = strconv.Atoi(ps)
	return h, port, err == nil && h != ""
}

func isLoopback(host string) bool {
	switch host {
	case "localhost", "127.0.0.1", "::1", "0.0.0.0":
		return true
	}
	return false
}

func hostByAddress(p *Platform, addr string) *Host {
	for _, h := range p.Hosts {
		if h.Address != "" && h.Address == addr {
			return h
		}
	}
	return nil
}

func rangeOf(p *Platform, port int) *Range {
	for _, r := range p.Ranges {
		if r.Contains(port) {
			return r
		}
	}
	return nil
}

// servesHostname reports whether a service or a tunnel rule has the
// public hostname (wildcards included).
func servesHostname(p *Platform, name string) bool {
	match := func(pattern string) bool {
		if rest, ok := strings.CutPrefix(pattern, "*."); ok {
			return strings.HasSuffix(name, "."+rest)
		}
		return pattern == name
	}
	for _, s := range p.Services {
		for _, pub := range s.Public {
			if match(pub.Hostname) {
				return true
			}
		}
	}
	for _, h := range p.Hosts {
		if h.Tunnel != nil {
			for _, r := range h.Tunnel.Rules {
				if r.Hostname != "" && match(r.Hostname) {
					return true
				}
			}
		}
	}
	return false
}
