package compose

import (
	"fmt"
	"strconv"
	"strings"

	"portschema/schema"
)

// environment is a service's environment: the port variable it reads,
// the URL of each need as the service sees it (none for url: false),
// its plain values and its secrets. Compose interpolates `$` in the
// file, so plain values and URLs are escaped and reach the container as
// written in the source; secrets, and the password of a need's URL, are
// `${NAME}` references that compose fills in from the host's
// environment, never values.
func environment(p *schema.Platform, s *schema.Service) (map[string]any, schema.Diagnostics) {
	env := map[string]any{}
	if s.PortEnv != "" {
		env[s.PortEnv] = strconv.Itoa(s.ContainerPort)
	}
	var diags schema.Diagnostics
	home := p.HomeVantage(s)
	for i, n := range s.Needs {
		if n.NoURL {
			continue
		}
		url, err := needURL(p, home, n)
		if err != nil {
			// Load reports unreachable needs; this only fires for a
			// model built by hand.
			diags = append(diags, schema.Diagnostic{Pos: s.At(fmt.Sprintf("needs[%d]", i)),
				Message: fmt.Sprintf("%s: cannot reach %s from the %s: %v", s.Name, n.Service, home, err)})
			continue
		}
		env[n.EnvName()] = url
	}
	for name, v := range s.Env {
		env[name] = escape(v.Value)
	}
	for _, sec := range s.Secrets {
		env[sec.Env] = reference(sec.From)
	}
	return env, diags
}

// needURL is the URL of a need seen from vantage v, escaped for compose
// except for the `${NAME}` reference to the secret that holds the
// password.
func needURL(p *schema.Platform, v schema.Vantage, n schema.Need) (string, error) {
	u, err := p.NeedSecretURL(v, n)
	if err != nil {
		return "", err
	}
	url := escape(u.Head)
	if u.Secret != "" {
		url += reference(u.Secret)
	}
	return url + escape(u.Tail), nil
}

// escape doubles every `$`, so compose's interpolation hands the
// container the value unchanged.
func escape(value string) string { return strings.ReplaceAll(value, "$", "$$") }

// reference is compose's reference to a variable of the host's
// environment.
func reference(name string) string { return "${" + name + "}" }
