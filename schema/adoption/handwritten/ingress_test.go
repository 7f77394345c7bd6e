package handwritten

import (
	"strings"
	"testing"
)

// validate parses a cloudflared config and applies Validate, joining the
// problems into one error so a case can look for its message.
func validate(t *testing.T, src string) string {
	t.Helper()
	f, err := ParseCloudflared("t.yml", []byte(src))
	if err != nil {
		return err.Error()
	}
	var msgs []string
	for _, p := range f.Validate() {
		msgs = append(msgs, p.Message)
	}
	return strings.Join(msgs, "; ")
}

func TestValidateAcceptsGoodConfigs(t *testing.T) {
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
	for name, src := range good {
		if msg := validate(t, src); msg != "" {
			t.Errorf("%s: rejected: %s", name, msg)
		}
	}
}

// Each of these is a configuration cloudflared refuses to start with.
func TestValidateRejectsBadConfigs(t *testing.T) {
	const tail = "  - service: http_status:404\n"
	bad := []struct {
		name, src, want string
	}{
		{"no rules", "tunnel: x\n", "doesn't contain any ingress rules"},
		{"no catch-all last", "ingress:\n  - hostname: a.example.com\n    service: http://a:1\n", "last ingress rule must match all URLs"},
		{"path on the last rule", "ingress:\n  - path: ^/x\n    service: http://a:1\n", "last ingress rule must match all URLs"},
		{"catch-all before the end", "ingress:\n  - service: http://a:1\n  - hostname: b.example.com\n    service: http://b:1\n" + tail, "rule #1 matches every hostname"},
		{"hostname with a port", "ingress:\n  - hostname: a.example.com:8080\n    service: http://a:1\n" + tail, "cannot contain a port"},
		{"wildcard inside", "ingress:\n  - hostname: a.*.example.com\n    service: http://a:1\n" + tail, "wildcard can only be the first character"},
		{"unquoted wildcard", "ingress:\n  - hostname: *.example.com\n    service: http://a:1\n" + tail, "t.yml"},
		{"no service", "ingress:\n  - hostname: a.example.com\n" + tail, "no service"},
		{"service without a scheme", "ingress:\n  - hostname: a.example.com\n    service: localhost:8000\n" + tail, "scheme and a hostname"},
		{"service with a path", "ingress:\n  - hostname: a.example.com\n    service: http://localhost:8000/\n" + tail, "different path"},
		{"status too low", "ingress:\n  - service: http_status:99\n", "invalid HTTP status code"},
		{"status too high", "ingress:\n  - service: http_status:1000\n", "invalid HTTP status code"},
		{"status not a number", "ingress:\n  - service: http_status:ok\n", "invalid HTTP status code"},
		{"bad path regex", "ingress:\n  - hostname: a.example.com\n    path: ^/(api\n    service: http://a:1\n" + tail, "invalid path regex"},
		{"access without team", "ingress:\n  - hostname: a.example.com\n    service: http://a:1\n    originRequest:\n      access: {required: true, audTag: [x]}\n" + tail, "no teamName"},
	}
	for _, tt := range bad {
		if msg := validate(t, tt.src); !strings.Contains(msg, tt.want) {
			t.Errorf("%s: got %q, want a problem with %q", tt.name, msg, tt.want)
		}
	}
}
