package cloudflared

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// This file re-implements, as a test oracle, the checks cloudflared
// applies to a configuration's ingress rules when it starts
// (ingress.ParseIngress: validateIngress and validateHostname in
// cloudflared's ingress/ingress.go). cloudflared itself cannot be
// imported or installed here, so every generated file is held to these
// rules instead. The messages are cloudflared's own.

// parsedConfig is a cloudflared configuration file as cloudflared reads it.
type parsedConfig struct {
	Tunnel          string         `yaml:"tunnel"`
	CredentialsFile string         `yaml:"credentials-file"`
	OriginRequest   map[string]any `yaml:"originRequest"`
	Ingress         []parsedRule   `yaml:"ingress"`
}

type parsedRule struct {
	Hostname      string         `yaml:"hostname"`
	Path          string         `yaml:"path"`
	Service       string         `yaml:"service"`
	OriginRequest map[string]any `yaml:"originRequest"`
}

// parseConfig reads a configuration; YAML errors (an unquoted wildcard
// hostname, say) are errors here as they are for cloudflared.
func parseConfig(data []byte) (parsedConfig, error) {
	var cfg parsedConfig
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		return cfg, fmt.Errorf("parsing: %w", err)
	}
	return cfg, nil
}

// validateIngress applies cloudflared's ingress rules to a file.
func validateIngress(data []byte) error {
	cfg, err := parseConfig(data)
	if err != nil {
		return err
	}
	if len(cfg.Ingress) == 0 {
		return errors.New("The config file doesn't contain any ingress rules")
	}
	for i, r := range cfg.Ingress {
		if err := validateService(r); err != nil {
			return err
		}
		if err := validateAccess(r.OriginRequest); err != nil {
			return err
		}
		if err := validateHostname(r.Hostname); err != nil {
			return err
		}
		catchAll := (r.Hostname == "" || r.Hostname == "*") && r.Path == ""
		last := i == len(cfg.Ingress)-1
		if last && !catchAll {
			return errors.New("The last ingress rule must match all URLs (i.e. it should not have a hostname or path filter)")
		}
		if catchAll && !last {
			return fmt.Errorf("Rule #%d is matching the hostname '%s', but this will match every hostname, meaning the rules which follow it will never be triggered.", i+1, r.Hostname)
		}
		if r.Path != "" {
			if _, err := regexp.Compile(r.Path); err != nil {
				return fmt.Errorf("Rule #%d has an invalid regex: %w", i+1, err)
			}
		}
	}
	return nil
}

// validateService: cloudflared checks the service first. Named
// services and unix sockets pass, http_status needs a code from 100 to
// 999, and anything else must be a URL with a scheme and a hostname and
// no path.
func validateService(r parsedRule) error {
	s := r.Service
	switch {
	case strings.HasPrefix(s, "unix:"), strings.HasPrefix(s, "unix+tls:"):
		return nil
	case strings.HasPrefix(s, "http_status:"):
		code, err := strconv.Atoi(strings.TrimPrefix(s, "http_status:"))
		if err != nil {
			return fmt.Errorf("invalid HTTP status code: %w", err)
		}
		if code < 100 || code > 999 {
			return fmt.Errorf("invalid HTTP status code: %d", code)
		}
		return nil
	case s == "hello_world", s == "hello-world", s == "socks-proxy", s == "bastion", r.OriginRequest["bastionMode"] == true:
		return nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme == "" || u.Hostname() == "" {
		return fmt.Errorf("%s is an invalid address, please make sure it has a scheme and a hostname", s)
	}
	if u.Path != "" {
		return fmt.Errorf("%s is an invalid address, ingress rules don't support proxying to a different path on the origin service. The path will be the same as the eyeball request's path", s)
	}
	return nil
}

// validateAccess: access.required with an audience tag needs a team name.
func validateAccess(or map[string]any) error {
	access, _ := or["access"].(map[string]any)
	if access == nil || access["required"] != true {
		return nil
	}
	if aud, _ := access["audTag"].([]any); len(aud) > 0 && access["teamName"] == nil {
		return errors.New("access.TeamName cannot be blank when access.audTag is present")
	}
	return nil
}

// validateHostname: no port, and a wildcard only as the first character.
func validateHostname(h string) error {
	if h == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(h); err == nil {
		return errors.New("Hostname cannot contain a port")
	}
	if strings.LastIndex(h, "*") > 0 {
		return errors.New(`Hostname patterns can have at most one wildcard character ("*") and it can only be used for subdomains, e.g. "*.example.com"`)
	}
	return nil
}

func TestValidateIngressAcceptsGoodConfigs(t *testing.T) {
	good := map[string]string{
		"documented example": `tunnel: 6ff42ae2-765d-4adf-8112-31c55c1551ef
credentials-file: /etc/cloudflared/6ff42ae2.json
originRequest:
  connectTimeout: 30s
ingress:
  - hostname: alpha.example.com
    service: http://10.0.0.2:8001
  - hostname: "*.example.com"
    path: ^/api/
    service: https://10.0.0.2:8443
    originRequest:
      noTLSVerify: true
  - hostname: ssh.example.com
    service: ssh://10.0.0.2:22
  - hostname: sock.example.com
    service: unix:/run/x.sock
  - hostname: gone.example.com
    service: http_status:410
  - service: http_status:404
`,
		"only a catch-all":   "ingress:\n  - service: hello_world\n",
		"wildcard catch-all": "ingress:\n  - hostname: a.example.com\n    service: http://a:1\n  - hostname: '*'\n    service: http_status:404\n",
	}
	for name, cfg := range good {
		if err := validateIngress([]byte(cfg)); err != nil {
			t.Errorf("%s: rejected: %v", name, err)
		}
	}
}

// The oracle must be able to fail: each of these is a configuration
// cloudflared refuses to start with.
func TestValidateIngressRejectsBadConfigs(t *testing.T) {
	const tail = "  - service: http_status:404\n"
	bad := []struct {
		name, cfg, want string
	}{
		{"no rules", "tunnel: x\n", "doesn't contain any ingress rules"},
		{"no catch-all last", "ingress:\n  - hostname: a.example.com\n    service: http://a:1\n", "last ingress rule must match all URLs"},
		{"path on the last rule", "ingress:\n  - path: ^/x\n    service: http://a:1\n", "last ingress rule must match all URLs"},
		{"catch-all before the end", "ingress:\n  - service: http://a:1\n  - hostname: b.example.com\n    service: http://b:1\n" + tail, "Rule #1 is matching the hostname"},
		{"hostname with a port", "ingress:\n  - hostname: a.example.com:8080\n    service: http://a:1\n" + tail, "cannot contain a port"},
		{"wildcard inside", "ingress:\n  - hostname: a.*.example.com\n    service: http://a:1\n" + tail, "at most one wildcard"},
		{"unquoted wildcard", "ingress:\n  - hostname: *.example.com\n    service: http://a:1\n" + tail, "parsing"},
		{"service without a scheme", "ingress:\n  - hostname: a.example.com\n    service: localhost:8000\n" + tail, "scheme and a hostname"},
		{"service with a path", "ingress:\n  - hostname: a.example.com\n    service: http://localhost:8000/\n" + tail, "different path"},
		{"status too low", "ingress:\n  - service: http_status:99\n", "invalid HTTP status code"},
		{"status too high", "ingress:\n  - service: http_status:1000\n", "invalid HTTP status code"},
		{"status not a number", "ingress:\n  - service: http_status:ok\n", "invalid HTTP status code"},
		{"bad path regex", "ingress:\n  - hostname: a.example.com\n    path: ^/(api\n    service: http://a:1\n" + tail, "invalid regex"},
		{"access without team", "ingress:\n  - hostname: a.example.com\n    service: http://a:1\n    originRequest:\n      access: {required: true, audTag: [x]}\n" + tail, "TeamName"},
	}
	for _, tt := range bad {
		err := validateIngress([]byte(tt.cfg))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error with %q", tt.name, err, tt.want)
		}
	}
}
