package env

import (
	"fmt"
	"strconv"
	"strings"

	"portschema/schema"
)

// serviceDocument is a service's .env. Secrets, and the secrets that
// URLs carry as passwords, come before the URLs: dotenv expands a
// `${NAME}` from the variables above it.
func serviceDocument(p *schema.Platform, s *schema.Service) (document, schema.Diagnostics) {
	laptop := schema.Vantage{Kind: schema.Laptop}
	doc := document{About: serviceAbout(s)}
	var diags schema.Diagnostics
	if s.PortEnv != "" {
		ep, _ := p.Reach(laptop, s, schema.MainPort) // a laptop reaches every main port
		doc.add("Port", assignment{Name: s.PortEnv, Value: literal(strconv.Itoa(ep.Port))})
	}
	secrets, ds := secretAssignments(s)
	diags = append(diags, ds...)
	doc.add(secretsTitle, secrets...)
	var urls []assignment
	for i, n := range s.Needs {
		if n.NoURL {
			continue
		}
		u, err := p.NeedSecretURL(laptop, n)
		if err != nil {
			diags = append(diags, errorAt(s.At(fmt.Sprintf("needs[%d]", i)), "%s: cannot reach %s from a laptop: %v", s.Name, n.Service, err))
			continue
		}
		urls = append(urls, assignment{Name: n.EnvName(), Value: u})
	}
	doc.add("Services it needs", urls...)
	var plain []assignment
	for name, v := range s.Env {
		plain = append(plain, assignment{Name: name, Value: literal(v.Value)})
	}
	doc.add("Plain values", plain...)
	return doc, diags
}

func serviceAbout(s *schema.Service) []string {
	head := s.Name
	if s.Description != "" {
		head += ": " + s.Description
	}
	where := "host " + s.Host
	if s.Runtime != "" {
		where = s.Runtime + ", " + where
	}
	if !s.Deployed {
		where += ", not deployed"
	}
	return []string{
		head + " (" + where + ").",
		"Its environment on a developer laptop that runs every service on localhost.",
		"Secrets are generated empty: fill them in here (regen keeps what you",
		"fill in, and check never shows it) or set them in the environment.",
	}
}

// secretsTitle heads the section of a service's secrets: the
// assignments a developer fills in.
const secretsTitle = "Secrets"

// secretAssignments are the empty assignments of a service's secrets,
// and of the secrets its need URLs carry as passwords, each with the
// host secret it comes from. A password is read from the variable named
// after its host secret; a variable of that name that holds something
// else would fill in the wrong value, and is an error.
func secretAssignments(s *schema.Service) ([]assignment, schema.Diagnostics) {
	var out []assignment
	held := map[string]int{} // variable -> index in s.Secrets
	for i, sec := range s.Secrets {
		held[sec.Env] = i
		out = append(out, assignment{Name: sec.Env, Comments: []string{origin(s.HostRef, sec.From)}})
	}
	others := otherVariables(s)
	var diags schema.Diagnostics
	var order []string
	carriers := map[string][]string{} // password secret -> URL variables
	for i, n := range s.Needs {
		if n.Password == "" {
			continue
		}
		pos := s.At(fmt.Sprintf("needs[%d].password", i))
		if field, ok := others[n.Password]; ok {
			diags = append(diags, schema.Diagnostic{Pos: pos, Related: []schema.Pos{s.At(field)}, Message: fmt.Sprintf(
				"%s: the password of %s is read from variable %s, which %s sets to something else", s.Name, n.EnvName(), n.Password, field)})
			continue
		}
		if k, ok := held[n.Password]; ok && s.Secrets[k].From != n.Password {
			field := fmt.Sprintf("secrets[%d]", k)
			diags = append(diags, schema.Diagnostic{Pos: pos, Related: []schema.Pos{s.At(field)}, Message: fmt.Sprintf(
				"%s: the password of %s is read from variable %s, which holds secret %s", s.Name, n.EnvName(), n.Password, s.Secrets[k].From)})
			continue
		}
		if carriers[n.Password] == nil {
			order = append(order, n.Password)
		}
		carriers[n.Password] = append(carriers[n.Password], n.EnvName())
	}
	for _, secret := range order {
		note := "the password in " + strings.Join(carriers[secret], ", ")
		if k, ok := held[secret]; ok {
			out[k].Comments = append(out[k].Comments, note)
			continue
		}
		out = append(out, assignment{Name: secret, Comments: []string{origin(s.HostRef, secret), note}})
	}
	return out, diags
}

// otherVariables are the variables of a service's .env that are not
// secrets, with the source field that sets each.
func otherVariables(s *schema.Service) map[string]string {
	vars := map[string]string{}
	if s.PortEnv != "" {
		vars[s.PortEnv] = "port_env"
	}
	for i, n := range s.Needs {
		if !n.NoURL {
			vars[n.EnvName()] = fmt.Sprintf("needs[%d]", i)
		}
	}
	for name := range s.Env {
		vars[name] = "env." + name
	}
	return vars
}

// origin says where a secret's value comes from: the host's secret of
// that name, listed in the host's secrets template on compose hosts.
func origin(h *schema.Host, secret string) string {
	text := "host " + h.Name + "'s secret " + secret
	if h.Compose != nil {
		text += ", listed in " + SecretsPath(h)
	}
	return text
}
