package schema

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// checkSecretValues applies the secret rule (see LooksSecret) to every
// value the source passes through to an output: a service's compose
// keys (labels, command, healthcheck, build args, x-* and the rest), a
// compose host's volumes, networks, secrets and configs, tunnel
// origin_request settings, Prometheus' global, alerting and jobs, and
// metrics labels. A service's env has its own check (checkEnv). The
// message names the field, never the value.
func checkSecretValues(c *collector, p *Platform) {
	report := func(pos Pos, who, field, why string) {
		c.errorf(pos, nil, "%s: %s looks like a secret (%s); declare it by name (a service's secrets:) so that its value comes from the host's environment, and write a ${NAME} reference here", who, field, why)
	}
	for _, s := range p.Services {
		secretsIn(s.Compose, "compose", func(path, why string) { report(s.At(path), s.Name, path, why) })
		if s.Metrics != nil {
			for _, k := range sortedKeys(s.Metrics.Labels) {
				if why := secretIn(k, s.Metrics.Labels[k]); why != "" {
					path := "metrics.labels." + k
					report(s.At(path), s.Name, path, why)
				}
			}
		}
	}
	for _, h := range p.Hosts {
		who := "host " + h.Name
		at := func(path, why string) { report(h.At(path), who, path, why) }
		if h.Compose != nil {
			for key, block := range map[string]map[string]any{"compose.volumes": h.Compose.Volumes, "compose.networks": h.Compose.Networks, "compose.secrets": h.Compose.Secrets, "compose.configs": h.Compose.Configs} {
				secretsIn(block, key, at)
			}
		}
		if h.Tunnel != nil {
			secretsIn(h.Tunnel.OriginRequest, "tunnel.origin_request", at)
			for i, r := range h.Tunnel.Rules {
				secretsIn(r.OriginRequest, fmt.Sprintf("tunnel.rules[%d].origin_request", i), at)
			}
		}
	}
	if pr := p.Prometheus; pr != nil {
		at := func(path, why string) { report(pr.At(path), "prometheus", path, why) }
		secretsIn(pr.Global, "global", at)
		secretsIn(pr.Alerting, "alerting", at)
		for i, job := range pr.Jobs {
			secretsIn(job, fmt.Sprintf("jobs[%d]", i), at)
		}
	}
}

// secretsIn calls found with the path (as Positions keys are written)
// of every value below v that is a secret, and why.
func secretsIn(v any, path string, found func(path, why string)) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := joinElem(path, k)
			if s, ok := scalarText(v[k]); ok {
				if why := secretIn(k, s); why != "" {
					found(p, why)
				}
				continue
			}
			secretsIn(v[k], p, found)
		}
	case []any:
		flag := ""
		for i, item := range v {
			p := fmt.Sprintf("%s[%d]", path, i)
			s, ok := scalarText(item)
			if !ok {
				secretsIn(item, p, found)
				flag = ""
				continue
			}
			// ["--requirepass", "hunter2"]: the flag names the next item.
			if flag != "" && secretByName(strings.TrimLeft(flag, "-"), s) {
				found(p, "by the flag before it")
			} else if why := secretIn("", s); why != "" {
				found(p, why)
			}
			flag = flagName(s)
		}
	}
}

// scalarText is a leaf value as text; false for maps and lists.
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case map[string]any, []any, nil:
		return "", false
	default:
		return fmt.Sprint(v), true
	}
}

// assignment matches NAME=value and --flag=value inside a string.
var assignment = regexp.MustCompile(`^-{0,2}([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$`)

// secretIn says why a value under key name is a secret ("" if it is
// not): by the name, by its form, or by an assignment or flag inside
// it (a command line, a label, a config's content).
func secretIn(name, value string) string {
	if name != "" && secretByName(name, value) {
		return "by its name"
	}
	if SecretForm(value) {
		return "by its form"
	}
	flag := ""
	for _, line := range strings.Split(value, "\n") {
		for _, word := range strings.Fields(line) {
			word = strings.Trim(word, `"'`)
			if m := assignment.FindStringSubmatch(word); m != nil && secretByName(m[1], m[2]) {
				return "by the name " + m[1] + " it is assigned to"
			}
			if flag != "" && secretByName(strings.TrimLeft(flag, "-"), word) {
				return "by the flag " + flag + " before it"
			}
			flag = flagName(word)
		}
		flag = ""
	}
	return ""
}

// flagName is a command-line flag without a value (--requirepass,
// -password) as written, or "".
func flagName(word string) string {
	if !strings.HasPrefix(word, "-") || strings.Contains(word, "=") || strings.Trim(word, "-") == "" {
		return ""
	}
	return word
}
