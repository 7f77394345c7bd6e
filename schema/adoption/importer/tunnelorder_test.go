package importer

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"portschema/schema/adoption/handwritten"
)

// tunnelOrderRules are ingress rules that overlap every way cloudflared
// rules can: an exact name, a wildcard over it, a path of the exact
// name, a path rule for every name, another exact name under the
// wildcard.
var tunnelOrderRules = []string{
	"  - hostname: api.example.com\n    service: http://localhost:3000\n",
	"  - hostname: \"*.example.com\"\n    service: http://localhost:3001\n",
	"  - hostname: api.example.com\n    path: ^/admin\n    service: http://localhost:3002\n",
	"  - path: ^/static\n    service: http_status:403\n",
	"  - hostname: web.example.com\n    service: http://localhost:3001\n",
}

const tunnelOrderCompose = `name: lab
services:
  api:
    image: api
    ports: ["3000:3000"]
  web:
    image: web
    ports: ["3001:3001"]
  admin:
    image: admin
    ports: ["3002:3002"]
`

// Every order of these rules is a config cloudflared accepts. Imported
// and regenerated, each gives a tunnel that sends every request where
// the original sent it (cloudflared's first match, re-implemented in
// route), whatever rules import had to drop or keep in place.
func TestEveryTunnelOrderRoutesAsBefore(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 120 configs")
	}
	for _, perm := range permutations(len(tunnelOrderRules)) {
		var b strings.Builder
		b.WriteString("tunnel: lab\ncredentials-file: /etc/cloudflared/lab.json\ningress:\n")
		for _, i := range perm {
			b.WriteString(tunnelOrderRules[i])
		}
		b.WriteString("  - service: http_status:404\n")
		config := b.String()
		in := writeInputs(t, map[string]string{"docker-compose.lab.yml": tunnelOrderCompose, "cloudflared.yml": config})
		root, _ := importInto(t, in)
		out, ok := findOutput(regenerate(t, root), "cloudflared")
		if !ok {
			t.Fatalf("order %v: no tunnel generated", perm)
		}
		before, err := handwritten.ParseCloudflared("in", []byte(config))
		if err != nil {
			t.Fatal(err)
		}
		after, err := handwritten.ParseCloudflared("out", out.Data)
		if err != nil {
			t.Fatalf("order %v: cloudflared would refuse the generated config: %v", perm, err)
		}
		for _, host := range []string{"api.example.com", "web.example.com", "x.example.com", "example.com", "other.net"} {
			for _, path := range []string{"/", "/admin", "/admin/static", "/static/app.js", "/x/admin"} {
				if a, b := route(before.Rules, host, path), route(after.Rules, host, path); a != b {
					t.Errorf("order %v: %s%s went to %s, now to %s\nin:\n%s\nout:\n%s", perm, host, path, a, b, config, out.Data)
				}
			}
		}
	}
}

// route is where cloudflared sends a request: the first rule whose
// hostname matches and whose path expression is found in the path.
func route(rules []handwritten.IngressRule, host, path string) string {
	for _, r := range rules {
		if r.Matches(host) && (r.Path == "" || regexp.MustCompile(r.Path).MatchString(path)) {
			return r.Service
		}
	}
	return fmt.Sprintf("no rule (%d rules)", len(rules))
}

func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for i := 0; i <= len(p); i++ {
			q := append(append(append([]int{}, p[:i]...), n-1), p[i:]...)
			out = append(out, q)
		}
	}
	return out
}
