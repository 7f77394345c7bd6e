package importer

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"portschema/generators/cloudflared"
	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

var (
	hostnameRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	})
	tunnelIDRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._-]+$`) })
	addressRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9.:-]+$`) })
)

// lanService returns the service listening on port of the machine at
// address, creating a manual host for the address and the service on
// it when no input declared them. Names come from the hints (a scrape
// job's instance label for the host, a job name or public hostname for
// the service).
func (b *builder) lanService(address string, port int, hostHint, nameHint string, pos handwritten.Pos) *svc {
	h := b.lan[address]
	if h == nil {
		if !addressRE().MatchString(address) {
			return nil
		}
		name := SanitizeName(hostHint, "")
		if name == "" {
			name = SanitizeName("lan-"+address, "lan-host")
		}
		h = b.addHost(&schema.Host{Name: name, Title: "Host at " + address, Kind: schema.KindManual, Address: address})
		b.hostNotes(h).Add("", fmt.Sprintf("Inferred from %s, which reaches %s on the LAN.", where(pos), address))
		b.finding("host-inferred", pos, "host %s (%s) is inferred from a LAN address; its kind is %q until you say otherwise", h.Name, address, schema.KindManual)
	}
	for _, s := range b.svcs {
		if s.Host == h.Name {
			if _, ok := publishedPortName(s, port); ok {
				return s
			}
		}
	}
	if h.Kind == schema.KindCompose {
		return nil
	}
	s := &svc{Service: &schema.Service{Host: h.Name, Port: port, ContainerPort: port, Publish: true, Deployed: true, Scheme: "http"},
		pos: pos, dependsOn: map[string]string{}}
	b.addService(s, SanitizeName(nameHint, fmt.Sprintf("port-%d", port)))
	s.Notes.Add("", fmt.Sprintf("Inferred from %s: %s:%d.", where(pos), address, port))
	b.claimHostPort(h.Name, port, s)
	return s
}

// tunnelHost picks the host a tunnel runs on: the i-th compose host, or
// a manual host of its own when there are more tunnels than compose
// files.
func (b *builder) tunnelHost(i int, f *handwritten.CloudflaredFile) *schema.Host {
	n := 0
	for _, h := range b.src.Platform.Hosts {
		if h.Compose == nil {
			continue
		}
		if n == i && h.Tunnel == nil {
			return h
		}
		n++
	}
	h := b.addHost(&schema.Host{Name: composeHostName(f.Path, "tunnel"), Title: "Tunnel host of " + baseName(f.Path), Kind: schema.KindManual})
	b.finding("host-inferred", handwritten.Pos{File: f.Path}, "no compose host is left for tunnel %s; it runs on new host %s", f.Path, h.Name)
	return h
}

// addTunnel reads a cloudflared config: each rule routing to a service
// becomes a public hostname of that service; the others (ssh, unix
// sockets, unknown ports) are kept as the tunnel's extra rules.
func (b *builder) addTunnel(i int, t *TunnelInput) {
	f := t.File
	h := b.tunnelHost(i, f)
	tun := &schema.Tunnel{ID: f.Tunnel, CredentialsFile: f.CredentialsFile}
	if !tunnelIDRE().MatchString(tun.ID) {
		tun.ID = SanitizeName(tun.ID, "tunnel")
		b.hostNotes(h).Add("tunnel", fmt.Sprintf("tunnel id %q is not valid; replaced by %q", f.Tunnel, tun.ID))
		b.finding("tunnel-id", f.TunnelPos, "tunnel id %q is not valid; replaced by %q", f.Tunnel, tun.ID)
	}
	if tun.CredentialsFile == "" {
		tun.CredentialsFile = tun.ID + ".json"
		b.hostNotes(h).Add("tunnel", "the config names no credentials file; set credentials_file")
		b.finding("tunnel-credentials", handwritten.Pos{File: f.Path}, "no credentials-file; %s is assumed", tun.CredentialsFile)
	}
	if or := handwritten.ValueOf(t.Raw, "originRequest"); or != nil {
		if m, ok := handwritten.Plain(or).(map[string]any); ok {
			tun.OriginRequest = m
		}
	}
	h.Tunnel = tun
	rawRules, _ := handwritten.ValueOf(t.Raw, "ingress").([]any)
	var kept []keptRule
	for j, r := range f.Rules {
		var raw []handwritten.Field
		if j < len(rawRules) {
			raw = handwritten.FieldsOf(rawRules[j])
		}
		b.addIngressRule(h, r, raw, j == len(f.Rules)-1, &kept)
	}
}

// keptRule is a rule of the tunnel's config that import kept, in the
// config's order: as a service's public hostname or as a rule of the
// tunnel (written by hand, in regen's terms).
type keptRule struct {
	match  cloudflared.Match
	pos    handwritten.Pos
	public bool
}

// hiddenBy is the earlier rule that takes every request r would: r is
// never used, in the config as in anything regen writes.
func hiddenBy(kept []keptRule, m cloudflared.Match) *keptRule {
	for i := range kept {
		if cloudflared.Shadows(kept[i].match, m) {
			return &kept[i]
		}
	}
	return nil
}

// placedBefore is the earlier rule that regen, which places public
// hostnames by its own order (see cloudflared.Before and the package
// doc), could put after m although some request matches both: m must
// then stay a rule of the tunnel, in its place, for requests to go where
// they go today.
func placedBefore(kept []keptRule, m cloudflared.Match) *keptRule {
	for i := range kept {
		k := &kept[i]
		if cloudflared.Overlap(k.match, m) && (!k.public || !cloudflared.Before(k.match, m)) {
			return k
		}
	}
	return nil
}

// addIngressRule routes one rule: to a service, as one of its public
// hostnames, when regen would keep the rule's place among the others;
// otherwise as a rule of the tunnel, in its place. A rule an earlier one
// hides is dropped: cloudflared never uses it.
func (b *builder) addIngressRule(h *schema.Host, r handwritten.IngressRule, raw []handwritten.Field, last bool, kept *[]keptRule) {
	if r.IsCatchAll() {
		if !last || r.Service != "http_status:404" {
			b.hostNotes(h).Add("tunnel", fmt.Sprintf("catch-all rule %q was dropped: the generator ends every tunnel with http_status:404", r.Service))
			b.finding("tunnel-rule", r.Pos, "catch-all rule %q is replaced by the generated http_status:404", r.Service)
		}
		return
	}
	host := strings.ToLower(r.Hostname)
	if host != "" && !hostnameRE().MatchString(host) {
		b.hostNotes(h).Add("tunnel", fmt.Sprintf("rule for %q was dropped: not a valid public hostname", r.Hostname))
		b.finding("tunnel-rule", r.HostnamePos, "hostname %q is not valid and its rule is dropped", r.Hostname)
		return
	}
	m := cloudflared.Match{Hostname: host, Path: r.Path}
	if k := hiddenBy(*kept, m); k != nil {
		b.hostNotes(h).Add("tunnel", fmt.Sprintf("the rule for %s%s was dropped: the earlier rule at %s takes all its requests", host, r.Path, where(k.pos)))
		b.finding("tunnel-shadowed", r.Pos, "%s%s is never used: the earlier rule at %s takes all its requests; it is dropped", host, r.Path, where(k.pos))
		return
	}
	key := host + r.Path
	if b.claimed[key] {
		b.hostNotes(h).Add("tunnel", fmt.Sprintf("a second rule for %s%s was dropped: another tunnel routes it", host, r.Path))
		b.finding("tunnel-duplicate", r.Pos, "%s%s is routed by another tunnel too; this rule is dropped", host, r.Path)
		return
	}
	b.claimed[key] = true
	if s, port := b.tunnelTarget(h, r); s != nil && host != "" && len(r.OriginRequest) == 0 && !strings.HasPrefix(host, "*") {
		if k := placedBefore(*kept, m); k != nil {
			b.hostNotes(h).Add("tunnel", fmt.Sprintf("the route of %s%s to %s stays a rule of the tunnel: it must stay after the rule at %s, which takes some of the same requests", host, r.Path, s.Name, where(k.pos)))
			b.finding("tunnel-order", r.Pos, "%s%s stays a rule of the tunnel, after the rule at %s that takes some of the same requests; it does not follow %s's port", host, r.Path, where(k.pos), s.Name)
		} else {
			s.Public = append(s.Public, schema.Public{Hostname: host, Path: r.Path, Port: port})
			if r.Path == "" {
				if _, taken := b.public[host]; !taken {
					b.public[host] = s
				}
			}
			*kept = append(*kept, keptRule{match: m, pos: r.Pos, public: true})
			return
		}
	}
	rule := schema.TunnelRule{Hostname: host, Path: r.Path, Service: r.Service}
	if or := handwritten.ValueOf(raw, "originRequest"); or != nil {
		if m, ok := handwritten.Plain(or).(map[string]any); ok {
			rule.OriginRequest = m
		}
	}
	h.Tunnel.Rules = append(h.Tunnel.Rules, rule)
	*kept = append(*kept, keptRule{match: m, pos: r.Pos})
}

// tunnelTarget finds the service a rule routes to: a port on the
// tunnel's own host (localhost), or on a LAN machine.
func (b *builder) tunnelTarget(h *schema.Host, r handwritten.IngressRule) (*svc, string) {
	a, ok := handwritten.ParseAddress(r.Service)
	if !ok || a.Port == 0 || a.Path != "" {
		return nil, ""
	}
	switch a.Scheme {
	case "http", "https", "ws", "wss":
	default:
		return nil, ""
	}
	var s *svc
	switch {
	case a.IsLoopback():
		s = b.hostPort[h.Name][a.Port]
	case b.lan[a.Host] != nil || a.IsIP():
		label := strings.Split(r.Hostname, ".")[0]
		s = b.lanService(a.Host, a.Port, "", label, r.ServicePos)
	}
	if s == nil {
		return nil, ""
	}
	port, ok := publishedPortName(s, a.Port)
	if !ok {
		return nil, ""
	}
	if a.Scheme != "http" && port == "" && s.Scheme == "http" && len(s.Public) == 0 {
		s.Scheme = a.Scheme
	}
	if a.Scheme != s.Scheme && port == "" {
		return nil, ""
	}
	return s, port
}
