// Package cloudflared generates one cloudflared configuration file per
// host that runs a tunnel (hosts.X.tunnel): out/cloudflared-<host>.yml,
// or the path tunnel.output names.
//
// Each file has the tunnel's id and credentials file, its originRequest
// defaults, and the ingress rules in this order:
//
//  1. the extra rules written by hand (tunnel.rules: ssh, unix sockets,
//     http_status), in source order, and among them one rule per public
//     hostname (and path) of every deployed service the tunnel routes:
//     these are ordered most specific first (exact names before
//     wildcards, longer paths before shorter, see Before), each before
//     any rule written by hand that could take one of its requests but
//     after any rule it would hide (see order), so that no rule hides
//     another and the user's own order is kept;
//  2. the catch-all http_status:404.
//
// Which tunnel routes a service: its own host's tunnel; otherwise the
// platform's only tunnel; otherwise it is an error (see tunnelFor). The
// origin URL is never typed: it is the model's answer to "where is this
// port reached from the tunnel's host" (schema.Platform.Reach, from the
// host itself): http://localhost:<host port> on the tunnel's own host,
// the LAN address and port on another host. Services that are not
// deployed get no route, so a removed service cannot leave one behind.
package cloudflared

import (
	"fmt"
	"sort"

	"portschema/generators/output"
	"portschema/schema"
)

// OutputPath is where a tunnel host's file goes.
func OutputPath(h *schema.Host) string {
	if h.Tunnel.Output != "" {
		return h.Tunnel.Output
	}
	return "out/cloudflared-" + h.Name + ".yml"
}

// Plan is the tunnel configurations of one model, worked out once
// per run: both the rules (Diagnostics) and the files (Files) need
// them.
type Plan struct {
	tunnels []*schema.Host
	cfgs    []*config // one per tunnel host
	diags   schema.Diagnostics
}

// Prepare works out the configuration of every tunnel of p.
func Prepare(p *schema.Platform, _ output.Read) (*Plan, error) {
	w := &Plan{}
	w.tunnels, w.cfgs, w.diags = configsOf(p)
	return w, nil
}

// Diagnostics are the source's problems that only a tunnel has (a
// public hostname no tunnel can route, a rule that hides another, an
// origin setting cloudflared rejects), reported in the same run as
// every other rule.
func (w *Plan) Diagnostics() schema.Diagnostics { return w.diags }

// Files returns one file per tunnel, for a source whose Diagnostics
// hold no error.
func (w *Plan) Files() ([]output.File, error) {
	var files []output.File
	for i, h := range w.tunnels {
		data, err := w.cfgs[i].marshal()
		if err != nil {
			return nil, fmt.Errorf("cloudflared: host %s: %w", h.Name, err)
		}
		files = append(files, output.File{Path: OutputPath(h), Data: data})
	}
	return files, nil
}

// configsOf is every tunnel host and its configuration, in the order
// of tunnelHosts, and the problems found on the way.
func configsOf(p *schema.Platform) ([]*schema.Host, []*config, schema.Diagnostics) {
	tunnels := tunnelHosts(p)
	routed := map[string][]*schema.Service{}
	var diags schema.Diagnostics
	for _, s := range p.Services {
		if !s.Deployed || len(s.Public) == 0 {
			continue
		}
		h, ds := tunnelFor(tunnels, s)
		diags = append(diags, ds...)
		if h != nil {
			routed[h.Name] = append(routed[h.Name], s)
		}
	}
	cfgs := make([]*config, len(tunnels))
	for i, h := range tunnels {
		var ds schema.Diagnostics
		cfgs[i], ds = tunnelConfig(p, h, routed[h.Name])
		diags = append(diags, ds...)
	}
	return tunnels, cfgs, diags
}

// tunnelConfig is the configuration of the tunnel on host h, routing
// the public hostnames of services.
func tunnelConfig(p *schema.Platform, h *schema.Host, services []*schema.Service) (*config, schema.Diagnostics) {
	cfg := &config{tunnelHead: tunnelHead{Tunnel: h.Tunnel.ID, CredentialsFile: h.Tunnel.CredentialsFile}}
	var diags schema.Diagnostics
	cfg.OriginRequest, diags = originRequest(h, "tunnel.origin_request", h.Tunnel.OriginRequest)
	var rules []ingressRule
	var at []schema.Pos
	var fixed []bool
	for i := range h.Tunnel.Rules {
		rule, ds := extraRule(h, i)
		diags = append(diags, ds...)
		rules = append(rules, rule)
		at = append(at, h.At(fmt.Sprintf("tunnel.rules[%d]", i)))
		fixed = append(fixed, true)
	}
	type generated struct {
		rule ingressRule
		pos  schema.Pos
	}
	var gen []generated
	for _, s := range services {
		for i := range s.Public {
			rule, ds := route(p, h, s, i)
			diags = append(diags, ds...)
			gen = append(gen, generated{rule, s.At(fmt.Sprintf("public[%d]", i))})
		}
	}
	sort.SliceStable(gen, func(i, j int) bool { return Before(matchOf(gen[i].rule), matchOf(gen[j].rule)) })
	for _, g := range gen {
		rules = append(rules, g.rule)
		at = append(at, g.pos)
		fixed = append(fixed, false)
	}
	rules, at, fixed = reorder(order(matches(rules), fixed), rules, at, fixed)
	for k := len(rules) - 1; k > 0; k-- {
		if !fixed[k] && !fixed[k-1] && rules[k-1].Comment == rules[k].Comment {
			// One comment heads a run of one service's rules.
			rules[k].Comment = ""
		}
	}
	diags = append(diags, shadowed(h, rules, at)...)
	cfg.Ingress = append(rules, catchAll)
	return cfg, diags
}

// shadowed reports every rule that an earlier rule hides, at the hidden
// rule, naming the earlier one.
func shadowed(h *schema.Host, rules []ingressRule, at []schema.Pos) schema.Diagnostics {
	var diags schema.Diagnostics
	facts := factsOfAll(matches(rules))
	hosts := indexHosts(facts)
	for j := range rules {
		for _, i := range hosts.meeting(j) { // only these can hide it
			if i >= j {
				break
			}
			if shadows(facts[i], facts[j]) {
				d := errorAt(at[j], "tunnel on %s: the route of %s%s is never used: an earlier rule for %s%s matches first",
					h.Name, rules[j].Hostname, rules[j].Path, rules[i].Hostname, rules[i].Path)
				d.Related = []schema.Pos{at[i]}
				diags = append(diags, d)
				break
			}
		}
	}
	return diags
}

func matchOf(r ingressRule) Match { return Match{Hostname: r.Hostname, Path: r.Path} }

func matches(rules []ingressRule) []Match {
	out := make([]Match, len(rules))
	for i, r := range rules {
		out[i] = matchOf(r)
	}
	return out
}

// reorder puts the rules, their positions and their origin in the order
// given by indexes.
func reorder(idx []int, rules []ingressRule, at []schema.Pos, fixed []bool) ([]ingressRule, []schema.Pos, []bool) {
	r, a, f := make([]ingressRule, len(idx)), make([]schema.Pos, len(idx)), make([]bool, len(idx))
	for k, i := range idx {
		r[k], a[k], f[k] = rules[i], at[i], fixed[i]
	}
	return r, a, f
}
