package cloudflared

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"portschema/schema"
)

// extraRule checks a rule written by hand (tunnel.rules) the way
// cloudflared will when it starts, so that a mistake is reported at its
// line instead of as a tunnel that does not come up.
func extraRule(h *schema.Host, i int) (ingressRule, schema.Diagnostics) {
	r := h.Tunnel.Rules[i]
	field := fmt.Sprintf("tunnel.rules[%d]", i)
	rule := ingressRule{Hostname: r.Hostname, Path: r.Path, Service: r.Service, Comment: r.Comment}
	or, diags := originRequest(h, field+".origin_request", r.OriginRequest)
	rule.OriginRequest = or
	if (r.Hostname == "" || r.Hostname == "*") && r.Path == "" {
		diags = append(diags, errorAt(h.At(field), "host %s: tunnel rule %d matches every request, so no rule after it would be used; the catch-all http_status:404 is generated last",
			h.Name, i))
	}
	if err := checkPath(r.Path); err != nil {
		diags = append(diags, errorAt(h.At(field+".path"), "host %s: tunnel rule %d: %v", h.Name, i, err))
	}
	if err := checkService(r.Service); err != nil {
		diags = append(diags, errorAt(h.At(field+".service"), "host %s: tunnel rule %d: %v", h.Name, i, err))
	}
	return rule, diags
}

// checkPath: cloudflared compiles a rule's path as a Go regular
// expression and matches it anywhere in the request path.
func checkPath(path string) error {
	if _, err := regexp.Compile(path); err != nil {
		return fmt.Errorf("path %q is not a valid regular expression: %w", path, err)
	}
	return nil
}

// checkService accepts the origin services cloudflared accepts: its
// named services, unix sockets, http_status:N, and URLs with a scheme, a
// host and no path.
func checkService(service string) error {
	switch {
	case strings.HasPrefix(service, "unix:"), strings.HasPrefix(service, "unix+tls:"):
		return nil
	case service == "hello_world", service == "hello-world", service == "socks-proxy", service == "bastion":
		return nil
	case strings.HasPrefix(service, "http_status:"):
		code, err := strconv.Atoi(strings.TrimPrefix(service, "http_status:"))
		if err != nil || code < 100 || code > 999 {
			return fmt.Errorf("service %q: http_status needs a status code from 100 to 999", service)
		}
		return nil
	}
	u, err := url.Parse(service)
	switch {
	case err != nil:
		return fmt.Errorf("service %q: %w", service, err)
	case u.Scheme == "" || u.Hostname() == "":
		return fmt.Errorf("service %q needs a scheme and a host, e.g. http://localhost:8080", service)
	case u.Path != "":
		return errors.New("service " + strconv.Quote(service) + " has a path; cloudflared cannot proxy to a different path")
	}
	return nil
}
