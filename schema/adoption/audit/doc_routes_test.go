package audit

import "testing"

// routesTunnel routes two names of baseCompose's services by their host
// ports, as a cloudflared on the host does.
const routesTunnel = `tunnel: 6f0a2b4c-1d3e-4f5a-8b7c-9d0e1f2a3b4c
ingress:
  - hostname: credits.example.com
    service: http://localhost:3002
  - hostname: web.example.com
    service: http://localhost:8080
  - hostname: gpu.example.com
    service: http://192.168.1.20:3020
  - service: http_status:404
`

// TestDocRouteMismatch: a host name a doc gives a service (in a route
// table, a port table with a port column, or a list item labelled
// public) that the tunnel sends to another service, or does not route,
// is reported; the nearest cases are not.
func TestDocRouteMismatch(t *testing.T) {
	for name, tc := range map[string]struct {
		doc, want string
	}{
		"route table: the name goes to another service": {
			doc:  "| URL | Service |\n|---|---|\n| credits.example.com | web |\n",
			want: "doc-route-mismatch d.md:3 t.yml:4",
		},
		"route table: the name goes to that service": {
			doc: "| URL | Service |\n|---|---|\n| credits.example.com | credits |\n| https://web.example.com | web |\n",
		},
		"route table: the service in parentheses": {
			doc:  "| Name | URL | Description |\n|---|---|---|\n| **Billing** | web.example.com | Credit system (mana-credits) |\n",
			want: "doc-route-mismatch d.md:3 t.yml:6",
		},
		"route table: the name is not routed": {
			doc:  "| Hostname | Service |\n|---|---|\n| shop.example.com | web |\n",
			want: "doc-route-mismatch d.md:3 t.yml:9",
		},
		"a name of another domain, a name in prose, a row of two names": {
			doc: "| Hostname | Service | Note |\n|---|---|---|\n| shop.other.org | web | |\n| - | web | writes the page (shop.example.com) |\n| cal.example.com | web | redirects to web.example.com |\n",
		},
		"port table with a hostname column: the port is another service's": {
			doc:  "| Port | Hostname |\n|---|---|\n| 8080 | credits.example.com |\n",
			want: "doc-route-mismatch d.md:3 t.yml:4",
		},
		"port table with a hostname column: the port is the service's": {
			doc: "| Port | Hostname |\n|---|---|\n| 3002 | credits.example.com |\n| 5000 | web.example.com |\n",
		},
		"a route to another machine on another port than the doc's": {
			doc:  "| Hostname | Service | Port |\n|---|---|---|\n| gpu.example.com | stt | 3021 |\n",
			want: "doc-route-mismatch d.md:3 t.yml:8",
		},
		"a route to another machine on the doc's port (the row's service is known by its route, not unknown)": {
			doc: "| Hostname | Service | Port |\n|---|---|---|\n| gpu.example.com | stt | 3020 |\n",
		},
		"list item labelled public": {
			doc:  "# Ports\n\n- web `8080` (public: `credits.example.com`)\n",
			want: "doc-route-mismatch d.md:3 t.yml:4",
		},
		"list item labelled public, right": {
			doc: "# Ports\n\n- web `8080` (public: `web.example.com`)\n- credits `3002`, see the page (web.example.com)\n",
		},
		"a plan": {
			doc: "# Port plan\n\n> Aspirational target state.\n\n| URL | Service |\n|---|---|\n| credits.example.com | web |\n",
		},
	} {
		t.Run(name, func(t *testing.T) {
			got := brief(auditOf(t, sources{compose: baseCompose, tunnel: routesTunnel, doc: tc.doc}))
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestDocRouteThroughCloudflaredInAContainer resolves the doc's host
// names the way a cloudflared running as a compose service sees them: by
// compose name.
func TestDocRouteThroughCloudflaredInAContainer(t *testing.T) {
	compose := baseCompose + "  tunnel:\n    image: cloudflare/cloudflared:2024.1.0\n"
	tunnel := "tunnel: t\ningress:\n  - hostname: web.example.com\n    service: http://web:5000\n  - service: http_status:404\n"
	for doc, want := range map[string]string{
		"| URL | Service |\n|---|---|\n| web.example.com | credits |\n": "doc-route-mismatch d.md:3 t.yml:4",
		"| URL | Service |\n|---|---|\n| web.example.com | web |\n":     "",
	} {
		if got := brief(auditOf(t, sources{compose: compose, tunnel: tunnel, doc: doc})); got != want {
			t.Errorf("%q: got\n%s\nwant\n%s", doc, got, want)
		}
	}
}

// TestDocPlanPortTaken: a plan row giving a service a port another
// service publishes today is reported; a plan row giving a service its
// own port, or a free one, is not.
func TestDocPlanPortTaken(t *testing.T) {
	const head = "# Port plan\n\n> Aspirational target state.\n\n| Port | Service |\n|---|---|\n"
	for rows, want := range map[string]string{
		"| 8080 | billing |\n": "doc-plan-port-taken d.md:7 c.yml:15",
		"| 3002 | web |\n":     "doc-plan-port-taken d.md:7 c.yml:7",
		"| 8080 | web |\n| 3002 | mana-credits |\n| 8081 | billing |\n": "",
	} {
		if got := brief(auditOf(t, sources{compose: baseCompose, doc: head + rows})); got != want {
			t.Errorf("%q: got\n%s\nwant\n%s", rows, got, want)
		}
	}
}
