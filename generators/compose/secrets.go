package compose

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/consts"
	"github.com/compose-spec/compose-go/v2/template"

	"portschema/schema"
)

// A compose host's environment (its .env, listed by the secrets
// template) holds the secrets and settings of its services, by name. The
// source names each of them where it is declared, a service's secrets:,
// the password of a need's URL or the host's compose.variables, and
// compose reads them where a compose key or a port's host address
// interpolates `${NAME}` or a compose secret takes `environment: NAME`. A name written differently in two places is no
// error to compose: it fills in an empty string, and the template gains
// an empty variable nobody sets. checkSecrets finds both halves of such a
// mistake.

// variableUse is one place the source names a host variable.
type variableUse struct {
	// service is the service that names it, "" for the host's own
	// compose blocks.
	service string
	pos     schema.Pos
	// declares is true for a secret, a need's password or a host
	// variable, false for a compose interpolation or a compose secret's
	// environment.
	declares bool
	// hostVariable is set for a declaration in the host's
	// compose.variables, which gives the variable to compose alone.
	hostVariable bool
	// optional is set for a read with a default (`${X:-word}`): compose
	// needs no value for it, yet it reads one the host gives.
	optional bool
	// how says how the place names it, for messages ("compose key
	// command reads ${X}", "secret X").
	how string
}

// hostVariableUses maps each variable of a compose host's environment to
// the places that name it, in service order, the host's own
// declarations first.
func hostVariableUses(h *schema.Host, services []*schema.Service) map[string][]variableUse {
	uses := map[string][]variableUse{}
	add := func(name string, u variableUse) { uses[name] = append(uses[name], u) }
	if h.Compose != nil {
		for i, v := range h.Compose.Variables {
			add(v.Name, variableUse{pos: h.At(fmt.Sprintf("compose.variables[%d]", i)), declares: true, hostVariable: true,
				how: "variable " + v.Name})
		}
	}
	for _, s := range services {
		for i, sec := range s.Secrets {
			add(sec.From, variableUse{service: s.Name, pos: s.At(fmt.Sprintf("secrets[%d]", i)), declares: true,
				how: "secret " + sec.From})
		}
		for i, n := range s.Needs {
			if n.Password != "" {
				add(n.Password, variableUse{service: s.Name, pos: s.At(fmt.Sprintf("needs[%d].password", i)), declares: true,
					how: "password " + n.Password + " (of " + n.EnvName() + ")"})
			}
		}
		interpolations(s.Compose, "compose", func(name, path string, optional bool) {
			add(name, variableUse{service: s.Name, pos: s.At(path), how: readsIn(path, name), optional: optional})
		})
		for _, pr := range s.AllPorts() {
			at := "host_ips"
			if pr.Name != schema.MainPort {
				at = "ports." + pr.Name + ".host_ips"
			}
			for i, ip := range pr.HostIPs {
				path := fmt.Sprintf("%s[%d]", at, i)
				interpolations(ip, path, func(name, path string, optional bool) {
					add(name, variableUse{service: s.Name, pos: s.At(path), optional: optional,
						how: "the host address " + path + " reads ${" + name + "}"})
				})
			}
		}
	}
	if c := h.Compose; c != nil {
		blocks := map[string]any{"volumes": c.Volumes, "networks": c.Networks, "secrets": c.Secrets, "configs": c.Configs}
		interpolations(blocks, "compose", func(name, path string, optional bool) {
			add(name, variableUse{pos: h.At(path), how: readsIn(path, name), optional: optional})
		})
		for _, key := range slices.Sorted(maps.Keys(c.Secrets)) {
			if def, ok := c.Secrets[key].(map[string]any); ok {
				if name, ok := def["environment"].(string); ok && name != "" {
					add(name, variableUse{pos: h.At("compose.secrets." + key + ".environment"),
						how: "compose secret " + key + " reads variable " + name})
				}
			}
		}
	}
	return uses
}

// readsIn says that the compose value at path reads a variable.
func readsIn(path, name string) string {
	return "compose key " + strings.TrimPrefix(path, "compose.") + " reads ${" + name + "}"
}

// interpolations calls found with every variable a block of compose keys
// reads from the host's environment and the path of the value that
// reads it, in key order; optional for a variable with a default
// (`${X:-word}`), for which compose needs no value. `$${X}` is the
// container's, not the host's.
func interpolations(v any, path string, found func(name, path string, optional bool)) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if mayInterpolate(v[k]) {
				interpolations(v[k], path+"."+k, found)
			}
		}
	case []any:
		for i, e := range v {
			if mayInterpolate(e) {
				interpolations(e, fmt.Sprintf("%s[%d]", path, i), found)
			}
		}
	case string:
		if !strings.Contains(v, "$") {
			return
		}
		vars := template.ExtractVariables(map[string]any{"v": v}, nil)
		for _, name := range slices.Sorted(maps.Keys(vars)) {
			x := vars[name]
			found(name, path, x.DefaultValue != "" || x.PresenceValue != "")
		}
	}
}

// mayInterpolate reports whether v can read a variable: a block, or a
// string with a "$" (every reference has one). The others are passed
// by without writing their paths, which most values of a large
// platform would cost.
func mayInterpolate(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.Contains(v, "$")
	case map[string]any, []any:
		return true
	}
	return false
}

// checkSecrets reports, on every compose host, a variable compose reads
// that neither a service nor the host declares (an error: compose would
// fill in an empty string), a host variable declared twice (an error) or
// read by nothing (a warning: it is misspelt, or outlived its reader),
// and a secret or password named in one place only whose name is near a
// variable others use (a warning of kind unread-secret: nothing but its
// own service reads it, and the variable it was meant to be goes
// without it).
func checkSecrets(p *schema.Platform) schema.Diagnostics {
	var ds schema.Diagnostics
	for _, h := range composeHosts(p) {
		uses := hostVariableUses(h, h.Services)
		declared, read, _ := declaredAndRead(uses)
		names := slices.Sorted(maps.Keys(uses))
		for _, name := range names {
			if name == consts.ComposeProjectName {
				continue // compose sets it, see checkProjectNames
			}
			ds = append(ds, hostVariables(h, name, uses[name], read)...)
			switch {
			case !slices.Contains(declared, name):
				ds = append(ds, undeclared(h, name, uses[name], declared)...)
			case uses[name][0].hostVariable:
				// The host's declaration is the variable's; the checks
				// above say all there is to say of it.
			default:
				if d, ok := misspelt(p, h, name, names, uses); ok {
					ds = append(ds, d)
				}
			}
		}
	}
	return ds
}

// declaredAndRead lists, sorted, the variables of a host that something
// declares, those that something reads, and those that something reads
// without a default.
func declaredAndRead(uses map[string][]variableUse) (declared, read, required []string) {
	for _, name := range slices.Sorted(maps.Keys(uses)) {
		if slices.ContainsFunc(uses[name], func(u variableUse) bool { return u.declares }) {
			declared = append(declared, name)
		}
		if slices.ContainsFunc(uses[name], func(u variableUse) bool { return !u.declares }) {
			read = append(read, name)
		}
		if slices.ContainsFunc(uses[name], func(u variableUse) bool { return !u.declares && !u.optional }) {
			required = append(required, name)
		}
	}
	return declared, read, required
}

// hostVariables checks the host's own declarations of a variable: one
// is enough, and one that no compose key, host address or compose
// secret reads (service secrets and need passwords reach the
// containers without it) declares nothing compose needs.
func hostVariables(h *schema.Host, name string, uses []variableUse, read []string) schema.Diagnostics {
	var ds schema.Diagnostics
	var first *variableUse
	for i, u := range uses {
		if !u.hostVariable {
			continue
		}
		if first != nil {
			ds.Errorf(u.pos, []schema.Pos{first.pos}, "host %s: variable %s is declared twice in compose.variables", h.Name, name)
			continue
		}
		first = &uses[i]
	}
	if first != nil && !slices.Contains(read, name) {
		ds.Warnf(first.pos, nil, "host %s: variable %s is declared in compose.variables but nothing on the host reads it%s; remove it, or read it as ${%s} in a compose key",
			h.Name, name, nearest(name, slices.DeleteFunc(slices.Clone(read), func(r string) bool { return r == name })), name)
	}
	return ds
}

// undeclared is an error at each place that reads a variable neither
// a service on the host nor the host declares.
func undeclared(h *schema.Host, name string, uses []variableUse, declared []string) schema.Diagnostics {
	var ds schema.Diagnostics
	for _, u := range uses {
		if u.optional {
			continue
		}
		who := u.service
		if who == "" {
			who = "host " + h.Name
		}
		ds.Errorf(u.pos, nil, "%s: %s, which neither a service's secrets: nor the compose.variables of host %s declare%s; compose would fill in an empty string",
			who, u.how, h.Name, nearest(name, declared))
	}
	return ds
}

// Undeclared lists, sorted, the variables the given services of a
// compose host and its compose blocks read from the host's environment
// that neither a service nor the host declares: what the host must list
// under compose.variables for vet to accept it.
func Undeclared(h *schema.Host, services []*schema.Service) []string {
	uses := hostVariableUses(h, services)
	declared, _, required := declaredAndRead(uses)
	return slices.DeleteFunc(required, func(name string) bool {
		return name == consts.ComposeProjectName || slices.Contains(declared, name)
	})
}

// misspelt is the unread-secret warning for a name declared by one
// service and read by nothing else on the host, when another service
// uses a name near it (see nearName); names are the keys of uses, sorted.
func misspelt(p *schema.Platform, h *schema.Host, name string, names []string, uses map[string][]variableUse) (schema.Diagnostic, bool) {
	own := uses[name]
	owner := own[0].service
	if !namedByOneService(own) {
		return schema.Diagnostic{}, false
	}
	s := p.Service(owner)
	for _, other := range names {
		if other == name || !nearName(name, other) {
			continue
		}
		// Two names each named once: either may be the misspelt one, so
		// the pair is reported once, at the first.
		if namedByOneService(uses[other]) && uses[other][0].pos.Less(own[0].pos) {
			continue
		}
		i := slices.IndexFunc(uses[other], func(u variableUse) bool { return u.service != owner && !u.hostVariable && !u.optional })
		if i < 0 {
			continue
		}
		them := uses[other][i]
		reader := them.service
		if reader == "" {
			reader = "the host's compose blocks"
		}
		return schema.ServiceWarning(s, schema.WarnUnreadSecret, own[0].pos, []schema.Pos{them.pos},
			"%s: %s is named here only, read by nothing else on host %s, while %s names %s (did you mean %q?); one secret spelt two ways is two variables of the host, and the one left unset reaches its reader empty",
			owner, own[0].how, h.Name, reader, other, other), true
	}
	return schema.Diagnostic{}, false
}

// namedByOneService reports whether every use declares the variable,
// and all in one service.
func namedByOneService(uses []variableUse) bool {
	for _, u := range uses {
		if u.service != uses[0].service || !u.declares {
			return false
		}
	}
	return true
}

// nearName reports whether two variable names look like one name
// misspelt: a letter or two apart, or one cut short of the other
// (REDIS_PASS, REDIS_PASSWORD). A name much shorter than the other is
// another name (DB and DB_PASSWORD), and so is one that ends the other
// (API_KEY and GROQ_API_KEY).
func nearName(a, b string) bool {
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	if strings.HasPrefix(long, short) && 3*len(short) >= 2*len(long) {
		return true
	}
	return schema.Near(a, b, 2)
}

// nearest returns ` (did you mean "x"?)` for the declared name closest
// to name among those nearName accepts, or "". Variable names share
// long parts (_PASSWORD, _API_KEY), so a looser match would suggest a
// different secret.
func nearest(name string, declared []string) string {
	best, bestD := "", 0
	for _, d := range declared {
		if !nearName(name, d) {
			continue
		}
		if dist := schema.Distance(name, d); best == "" || dist < bestD {
			best, bestD = d, dist
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}
