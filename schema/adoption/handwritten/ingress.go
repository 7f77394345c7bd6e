package handwritten

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// RuleProblem is one reason cloudflared would refuse a tunnel config.
type RuleProblem struct {
	Rule    int // 1-based rule number; 0 for the file as a whole
	Pos     Pos
	Message string
}

// Validate applies the checks cloudflared's ingress parser makes before
// it starts a tunnel (its validateIngress and validateHostname), so a
// config that would fail at deploy time fails here first. Every problem
// is reported, not just the first, each at the line of the value at fault.
func (f *CloudflaredFile) Validate() []RuleProblem {
	if len(f.Rules) == 0 {
		pos := f.IngressPos
		if !pos.IsValid() {
			pos = Pos{File: f.Path, Line: 1}
		}
		return []RuleProblem{{Pos: pos, Message: "the config file doesn't contain any ingress rules"}}
	}
	var out []RuleProblem
	for i, r := range f.Rules {
		out = append(out, r.problems(i == len(f.Rules)-1)...)
	}
	return out
}

func (r IngressRule) problems(last bool) []RuleProblem {
	var out []RuleProblem
	add := func(pos Pos, format string, args ...any) {
		if !pos.IsValid() {
			pos = r.Pos
		}
		out = append(out, RuleProblem{Rule: r.Number, Pos: pos, Message: fmt.Sprintf(format, args...)})
	}
	if msg := serviceProblem(r.Service, r.OriginRequest); msg != "" {
		add(r.ServicePos, "rule #%d: %s", r.Number, msg)
	}
	if msg := hostnameProblem(r.Hostname); msg != "" {
		add(r.HostnamePos, "rule #%d: %s", r.Number, msg)
	}
	if r.Path != "" {
		if _, err := regexp.Compile(r.Path); err != nil {
			add(r.PathPos, "rule #%d has an invalid path regex %q", r.Number, r.Path)
		}
	}
	if r.OriginRequest["access.required"] == "true" && r.OriginRequest["access.audTag"] != "" && r.OriginRequest["access.teamName"] == "" {
		add(r.Pos, "rule #%d requires Access with an audTag but no teamName", r.Number)
	}
	switch {
	case last && !r.IsCatchAll():
		add(r.Pos, "the last ingress rule must match all URLs (no hostname or path), but rule #%d has hostname %q path %q", r.Number, r.Hostname, r.Path)
	case !last && r.IsCatchAll():
		add(r.Pos, "rule #%d matches every hostname, so the rules after it are never reached", r.Number)
	}
	return out
}

// serviceProblem checks a rule's service the way cloudflared parses it.
func serviceProblem(service string, origin map[string]string) string {
	switch {
	case service == "":
		return "no service"
	case strings.HasPrefix(service, "unix:"), strings.HasPrefix(service, "unix+tls:"),
		service == "hello_world", service == "hello-world", service == "socks-proxy",
		service == "bastion", origin["bastionMode"] == "true":
		return ""
	case strings.HasPrefix(service, "http_status:"):
		code, err := strconv.Atoi(strings.TrimPrefix(service, "http_status:"))
		if err != nil || code < 100 || code > 999 {
			return fmt.Sprintf("invalid HTTP status code in %q", service)
		}
		return ""
	}
	u, err := url.Parse(service)
	if err != nil || u.Scheme == "" || u.Hostname() == "" {
		return fmt.Sprintf("%q is an invalid address: it needs a scheme and a hostname", service)
	}
	if u.Path != "" {
		return fmt.Sprintf("%q has a path: ingress rules don't support proxying to a different path", service)
	}
	return ""
}

// hostnameProblem checks a rule's hostname the way cloudflared does.
func hostnameProblem(h string) string {
	if h == "" || h == "*" {
		return ""
	}
	if _, _, err := net.SplitHostPort(h); err == nil {
		return fmt.Sprintf("hostname %q cannot contain a port", h)
	}
	if strings.LastIndex(h, "*") > 0 {
		return fmt.Sprintf("hostname %q: a wildcard can only be the first character, as in \"*.example.com\"", h)
	}
	return ""
}

// Matches reports whether a request for host would match the rule's
// hostname pattern (ignoring its path), as cloudflared's matchHost does.
func (r IngressRule) Matches(host string) bool {
	h := strings.ToLower(r.Hostname)
	host = strings.ToLower(host)
	switch {
	case h == "" || h == "*":
		return true
	case strings.HasPrefix(h, "*."):
		return strings.HasSuffix(host, h[1:])
	}
	return h == host
}
