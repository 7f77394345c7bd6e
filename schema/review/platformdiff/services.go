package platformdiff

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"portschema/schema"
	"portschema/schema/review/derived"
)

// compareServices finds the services added, removed and changed.
func compareServices(old, new *schema.Platform) Services {
	var out Services
	for _, s := range old.Services {
		if new.Service(s.Name) == nil {
			out.Removed = append(out.Removed, serviceOf(old, s))
		}
	}
	for _, s := range new.Services {
		before := old.Service(s.Name)
		if before == nil {
			out.Added = append(out.Added, serviceOf(new, s))
			continue
		}
		if c, ok := serviceChange(old, new, before, s); ok {
			out.Changed = append(out.Changed, c)
		}
	}
	out.AddedStacks = stacks(new, out.Added)
	out.RemovedStacks = stacks(old, out.Removed)
	return out
}

func serviceOf(p *schema.Platform, s *schema.Service) Service {
	var about []string
	if !s.Deployed {
		about = append(about, "not deployed")
	}
	if s.Description != "" {
		about = append(about, s.Description)
	}
	return Service{Name: s.Name, Host: s.Host, Port: s.Port, Range: s.Range, Summary: strings.Join(about, "; ")}
}

// serviceChange says how a service on both sides changed: where it is
// reached (port, host, address; a move) and its range or deployment.
func serviceChange(old, new *schema.Platform, a, b *schema.Service) (Change, bool) {
	c := Change{Name: b.Name, marks: append(derived.Marks(old, a), derived.Marks(new, b)...)}
	var parts []string
	moved := func(what string, x, y any) {
		parts = append(parts, fmt.Sprintf("%s %v → %v", what, x, y))
		c.Moved = true
	}
	if a.Host != b.Host {
		moved("host", a.Host, b.Host)
	} else if x, y := address(old, a.Host), address(new, b.Host); x != y {
		moved("address", orNone(x), orNone(y))
	}
	oldPorts := map[string]schema.PortRef{}
	for _, pr := range a.AllPorts() {
		oldPorts[pr.Name] = pr
	}
	for _, pr := range b.AllPorts() {
		before, ok := oldPorts[pr.Name]
		delete(oldPorts, pr.Name)
		switch {
		case !ok:
			parts = append(parts, fmt.Sprintf("port %s %d added", pr.Name, pr.Port))
		case before.Port != pr.Port:
			moved(strings.TrimSpace("port "+pr.Name), before.Port, pr.Port)
		case before.ContainerPort != pr.ContainerPort:
			parts = append(parts, fmt.Sprintf("%s %d → %d", strings.TrimSpace("container port "+pr.Name), before.ContainerPort, pr.ContainerPort))
		}
	}
	for _, name := range sortedKeys(oldPorts) {
		parts = append(parts, fmt.Sprintf("port %s %d removed", name, oldPorts[name].Port))
	}
	if a.Range != b.Range {
		parts = append(parts, fmt.Sprintf("range %s → %s", a.Range, b.Range))
	}
	if a.Deployed != b.Deployed {
		parts = append(parts, map[bool]string{true: "now deployed", false: "no longer deployed"}[b.Deployed])
	}
	parts = append(parts, needsChange(a, b)...)
	for _, f := range []struct {
		what string
		same bool
	}{
		{"description", a.Description == b.Description},
		{"runtime", a.Runtime == b.Runtime},
		{"tier", a.Tier == b.Tier},
		{"plain env values", reflect.DeepEqual(a.Env, b.Env)},
		{"compose keys", reflect.DeepEqual(a.Compose, b.Compose)},
	} {
		if !f.same {
			parts = append(parts, f.what+" changed")
		}
	}
	c.Detail = strings.Join(parts, "; ")
	return c, len(parts) > 0
}

// needsChange lists the services a service needs now and did not, and
// the other way round.
func needsChange(a, b *schema.Service) []string {
	names := func(s *schema.Service) map[string]bool {
		m := map[string]bool{}
		for _, n := range s.Needs {
			m[n.Service] = true
		}
		return m
	}
	before, after := names(a), names(b)
	var out []string
	for _, n := range sortedKeys(after) {
		if !before[n] {
			out = append(out, "needs "+n)
		}
	}
	for _, n := range sortedKeys(before) {
		if !after[n] {
			out = append(out, "no longer needs "+n)
		}
	}
	return out
}

func address(p *schema.Platform, host string) string {
	if h := p.Host(host); h != nil {
		return h.Address
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// stacks groups services that need each other (or are a frontend of one
// another), in the platform they belong to: a stack is what was added
// or removed together. Each group is sorted, and groups by first name.
func stacks(p *schema.Platform, services []Service) [][]string {
	in := map[string]bool{}
	for _, s := range services {
		in[s.Name] = true
	}
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if parent[x] == "" || parent[x] == x {
			return x
		}
		parent[x] = find(parent[x])
		return parent[x]
	}
	union := func(a, b string) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[ra] = rb
		}
	}
	for _, s := range services {
		svc := p.Service(s.Name)
		for _, n := range svc.Needs {
			if in[n.Service] {
				union(s.Name, n.Service)
			}
		}
		if in[svc.FrontendOf] {
			union(s.Name, svc.FrontendOf)
		}
	}
	groups := map[string][]string{}
	for _, s := range services {
		r := find(s.Name)
		groups[r] = append(groups[r], s.Name)
	}
	var out [][]string
	for _, g := range groups {
		sort.Strings(g)
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
