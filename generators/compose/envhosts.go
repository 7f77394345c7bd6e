package compose

import (
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"

	"portschema/schema"
)

// A plain env value that holds a URL connects to the host it names.
// Inside a compose network that is a service's name, its container
// name, a network alias, its `hostname:`, or an `extra_hosts` or
// `links` entry; a URL to a bare name none of these is reaches nothing.
// It is the quiet leftover of a service removed or renamed: a need
// would have failed at once, a plain value says nothing until the
// service calls it. checkEnvHosts warns, of kind env-url-host, since a
// name can come from outside what the source describes.

// checkEnvHosts warns about the plain env values of compose services
// whose URLs name no one on their compose network. Services that reach
// other names (host networking, another container's network, an
// external network) are left alone.
func checkEnvHosts(p *schema.Platform) schema.Diagnostics {
	var ds schema.Diagnostics
	for _, h := range composeHosts(p) {
		names := networkNames(h)
		known := slices.Sorted(maps.Keys(names))
		for _, s := range h.Services {
			if reachesOtherNames(h, s) {
				continue
			}
			for _, key := range slices.Sorted(maps.Keys(s.Env)) {
				for _, u := range urlsIn(s.Env[key].Value) {
					host := bareHost(u)
					if host == "" || names[host] {
						continue
					}
					ds = append(ds, schema.ServiceWarning(s, schema.WarnEnvURLHost, s.At("env."+key), nil,
						"%s: env %s connects to %s, but nothing on the compose network of host %s is called %s%s; a need (needs:) writes such a URL from the service it names",
						s.Name, key, u, h.Name, host, schema.Suggest(host, known)))
				}
			}
		}
	}
	return ds
}

// networkNames are the names a container on host h's compose network
// resolves: services, container names, hostnames, aliases, extra hosts
// and links, and the names every container has.
func networkNames(h *schema.Host) map[string]bool {
	names := map[string]bool{"localhost": true, "host.docker.internal": true, "host-gateway": true}
	defer func() {
		for n := range names {
			names[strings.ToLower(n)] = true
		}
	}()
	for _, s := range h.Services {
		names[s.Name] = true
		names[ContainerName(h, s)] = true
		if v, ok := s.Compose["hostname"].(string); ok {
			names[v] = true
		}
		if nets, ok := s.Compose["networks"].(map[string]any); ok {
			for _, n := range nets {
				if def, ok := n.(map[string]any); ok {
					for _, a := range asStrings(def["aliases"]) {
						names[a] = true
					}
				}
			}
		}
		for _, e := range asStrings(s.Compose["extra_hosts"]) {
			names[strings.SplitN(strings.SplitN(e, ":", 2)[0], "=", 2)[0]] = true
		}
		if m, ok := s.Compose["extra_hosts"].(map[string]any); ok {
			for k := range m {
				names[k] = true
			}
		}
		for _, l := range asStrings(s.Compose["links"]) {
			parts := strings.SplitN(l, ":", 2)
			names[parts[len(parts)-1]] = true
		}
	}
	return names
}

// reachesOtherNames reports whether service s can resolve names its
// host's compose network does not hold: on the host's network, in
// another container's, or on a network declared external.
func reachesOtherNames(h *schema.Host, s *schema.Service) bool {
	if mode, ok := s.Compose["network_mode"].(string); ok && mode != "" && mode != "bridge" {
		return true
	}
	var joined []string
	switch nets := s.Compose["networks"].(type) {
	case []any:
		joined = asStrings(nets)
	case map[string]any:
		joined = slices.Collect(maps.Keys(nets))
	}
	for _, n := range joined {
		if h.Compose == nil {
			return true
		}
		if def, ok := h.Compose.Networks[n].(map[string]any); ok && def["external"] != nil && def["external"] != false {
			return true
		}
	}
	return false
}

// urlsIn are the URLs of an env value: the value itself, or each part
// of one that lists several (Kafka's listeners, ASP.NET's URLs).
func urlsIn(v string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		if strings.Contains(part, "://") {
			out = append(out, part)
		}
	}
	return out
}

// bareHost is the host a URL connects to when it is a bare name (no
// dot, not an address, no variable), "" otherwise: a name with a dot
// lies outside the compose network, and a variable is filled in later.
func bareHost(u string) string {
	if strings.Contains(u, "$") {
		return ""
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return ""
	}
	host := strings.ToLower(parsed.Hostname())
	if host == "" || host == "+" || host == "*" || strings.Contains(host, ".") || net.ParseIP(host) != nil {
		return ""
	}
	return host
}

// asStrings is the strings of a list value, nil for anything else.
func asStrings(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
