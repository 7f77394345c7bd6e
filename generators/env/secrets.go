package env

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/consts"
	"github.com/compose-spec/compose-go/v2/template"

	"portschema/schema"
)

// SecretsPath is where a compose host's secrets template goes: the
// source's compose.secrets_output, or out/env.<host>.example.
func SecretsPath(h *schema.Host) string {
	if h.Compose != nil && h.Compose.SecretsOutput != "" {
		return h.Compose.SecretsOutput
	}
	return "out/env." + h.Name + ".example"
}

// use is one place a host variable is read: a service ("" for the
// host's own compose blocks) and how, when it needs saying.
type use struct {
	service string
	note    string
}

// hostVariables finds every variable a compose host's compose file reads
// from the host's environment: the services' secrets, the passwords of
// their need URLs, and the `${NAME}` references written in compose keys
// passed through from the source or in the host addresses of their
// ports (`$${NAME}` is the container's and is left out). Each name maps
// to its uses in service order. The host's own compose.variables are
// listed apart, see secretsDocument.
func hostVariables(p *schema.Platform, h *schema.Host) map[string][]use {
	vars := map[string][]use{}
	add := func(name string, u use) { vars[name] = append(vars[name], u) }
	for _, s := range h.Services {
		for _, sec := range s.Secrets {
			note := ""
			if sec.Env != sec.From {
				note = "as " + sec.Env
			}
			add(sec.From, use{s.Name, note})
		}
		for _, n := range s.Needs {
			if n.Password != "" {
				add(n.Password, use{s.Name, "the password in " + n.EnvName()})
			}
		}
		for _, name := range referencedIn(s.Compose) {
			add(name, use{s.Name, "read by its compose keys"})
		}
		for _, name := range hostIPVariables(s) {
			add(name, use{s.Name, "the address a port is published on"})
		}
	}
	blocks := map[string]any{"volumes": h.Compose.Volumes, "networks": h.Compose.Networks,
		"secrets": h.Compose.Secrets, "configs": h.Compose.Configs}
	for _, name := range referencedIn(blocks) {
		add(name, use{"", "read by the host's compose blocks"})
	}
	for _, name := range environmentSecrets(h.Compose.Secrets) {
		add(name, use{"", "a compose secret from the environment"})
	}
	return vars
}

// hostIPVariables lists, sorted and once each, the variables the host
// addresses of a service's ports read (host_ips: ["${TAILSCALE_IP}"]).
func hostIPVariables(s *schema.Service) []string {
	var ips []any
	for _, pr := range s.AllPorts() {
		for _, ip := range pr.HostIPs {
			ips = append(ips, ip)
		}
	}
	return referencedIn(map[string]any{"host_ips": ips})
}

// referencedIn lists, sorted, the variables a block of compose keys
// interpolates from the host's environment. COMPOSE_PROJECT_NAME is
// left out: compose sets it to the project's name, and a value in the
// host's .env would rename the project.
func referencedIn(block map[string]any) []string {
	// compose-go reads values only, and every reference has a "$": the
	// loader is handed those strings alone rather than every value.
	vars := template.ExtractVariables(map[string]any{"values": withDollar(block, nil)}, nil)
	delete(vars, consts.ComposeProjectName)
	return slices.Sorted(maps.Keys(vars))
}

// withDollar appends to out the strings below v (values, not keys)
// that hold a "$".
func withDollar(v any, out []any) []any {
	switch v := v.(type) {
	case string:
		if strings.Contains(v, "$") {
			out = append(out, v)
		}
	case map[string]any:
		for _, e := range v {
			out = withDollar(e, out)
		}
	case []any:
		for _, e := range v {
			out = withDollar(e, out)
		}
	}
	return out
}

// environmentSecrets lists, sorted, the variables that top-level compose
// secrets read with `environment: NAME`.
func environmentSecrets(secrets map[string]any) []string {
	var names []string
	for _, def := range secrets {
		if m, ok := def.(map[string]any); ok {
			if name, ok := m["environment"].(string); ok && name != "" {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return names
}

// secretsDocument is a compose host's secrets template. The host's own
// variables (compose.variables) come first, each with its description,
// whether it is a secret and who reads it; then a variable that several
// services read is listed once, with their names; every other one under
// the one service that reads it.
func secretsDocument(p *schema.Platform, h *schema.Host) document {
	doc := document{About: []string{
		"Host " + h.Name + ": " + h.Title + ".",
		"Every variable its compose file reads from the host's environment, without",
		"values. Copy this file to the .env file compose reads on that host, fill in",
		"the values, and keep that copy out of version control.",
	}}
	vars := hostVariables(p, h)
	doc.add("The host's variables (compose.variables)", declaredVariables(h, vars)...)
	var shared []assignment
	own := map[string][]assignment{}
	for name, uses := range vars {
		if h.Compose.Declares(name) {
			continue
		}
		readers := serviceNames(uses)
		if len(readers) > 1 {
			shared = append(shared, assignment{Name: name, Comments: wrap("used by "+strings.Join(readers, ", "), 76)})
			continue
		}
		own[readers[0]] = append(own[readers[0]], assignment{Name: name, Comments: notes(uses)})
	}
	doc.add("Shared by several services", shared...)
	doc.add("The host's own compose blocks", own[""]...)
	for _, s := range h.Services {
		title := s.Name
		if s.Description != "" {
			title += ": " + s.Description
		}
		if !s.Deployed {
			title += " (not deployed)"
		}
		doc.add(title, own[s.Name]...)
	}
	return doc
}

// declaredVariables are the assignments of the host's own variables,
// whether or not anything reads them (vet warns of one nothing reads).
func declaredVariables(h *schema.Host, vars map[string][]use) []assignment {
	var out []assignment
	seen := map[string]bool{}
	for _, v := range h.Compose.Variables {
		if seen[v.Name] {
			continue
		}
		seen[v.Name] = true
		var comments []string
		if v.Description != "" {
			comments = wrap(v.Description, 76)
		}
		if v.Secret {
			comments = append(comments, "a secret: keep its value out of version control")
		}
		if readers := serviceNames(vars[v.Name]); len(vars[v.Name]) > 0 {
			if readers[0] == "" {
				readers[0] = "the host"
			}
			comments = append(comments, wrap("used by "+strings.Join(readers, ", "), 76)...)
		}
		out = append(out, assignment{Name: v.Name, Comments: comments})
	}
	return out
}

// serviceNames are the distinct readers of a variable, sorted; the host
// itself reads as "the host".
func serviceNames(uses []use) []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range uses {
		if !seen[u.service] {
			seen[u.service] = true
			out = append(out, u.service)
		}
	}
	sort.Strings(out)
	if len(out) > 1 && out[0] == "" {
		out[0] = "the host"
	}
	return out
}

// notes are the distinct notes of a variable's uses, in order.
func notes(uses []use) []string {
	var out []string
	for _, u := range uses {
		if u.note != "" && !slices.Contains(out, u.note) {
			out = append(out, u.note)
		}
	}
	return out
}

// wrap breaks text at spaces into lines of at most width bytes (a longer
// word stands alone).
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len(line)+1+len(word) > width:
			lines = append(lines, line)
			line = word
		default:
			line += " " + word
		}
	}
	return append(lines, line)
}
