package audit

import (
	"fmt"
	"strings"
	"testing"

	"portschema/schema/adoption/handwritten"
)

// sources are the texts of one synthetic audit; empty ones are omitted.
type sources struct {
	compose, tunnel, prometheus, doc string
}

func auditOf(t *testing.T, src sources) Findings {
	t.Helper()
	var f handwritten.Files
	if src.compose != "" {
		c, err := handwritten.ParseCompose("c.yml", []byte(src.compose))
		if err != nil {
			t.Fatal(err)
		}
		f.Compose = append(f.Compose, c)
	}
	if src.tunnel != "" {
		c, err := handwritten.ParseCloudflared("t.yml", []byte(src.tunnel))
		if err != nil {
			t.Fatal(err)
		}
		f.Cloudflared = append(f.Cloudflared, c)
	}
	if src.prometheus != "" {
		p, err := handwritten.ParsePrometheus("p.yml", []byte(src.prometheus))
		if err != nil {
			t.Fatal(err)
		}
		f.Prometheus = p
	}
	if src.doc != "" {
		f.Doc = handwritten.ParseDoc("d.md", []byte(src.doc))
	}
	return Check(f)
}

// brief renders findings as "kind file:line file:line" lines for
// comparison, leaving messages to the golden files.
func brief(fs Findings) string {
	var lines []string
	for _, f := range fs {
		line := string(f.Kind)
		for _, l := range f.Locations {
			line += " " + l.String()
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// baseCompose is a small platform the cases below add to.
const baseCompose = `services:
  credits:
    image: credits
    container_name: mana-credits
    environment:
      PORT: 3002
    ports: ["3002:3002"]
  redis:
    image: redis:7
    command: redis-server --requirepass ${REDIS_PASSWORD:-pw}
  web:
    image: web
    environment:
      PORT: 5000
    ports: ["8080:5000"]
`

func TestAuditFindsEachKind(t *testing.T) {
	for name, tc := range map[string]struct {
		src  sources
		want string
	}{
		"two services publish one host port": {
			src:  sources{compose: baseCompose + "  other:\n    image: o\n    ports: [\"3002:80\"]\n"},
			want: "host-port-collision c.yml:7 c.yml:18",
		},
		"URL to a service on another port": {
			src:  sources{compose: baseCompose + "  app:\n    image: a\n    environment:\n      CREDITS_URL: http://credits:3061\n"},
			want: "env-url-mismatch c.yml:19 c.yml:6 c.yml:7",
		},
		"URL through the container_name on the host port": {
			src:  sources{compose: baseCompose + "  app:\n    image: a\n    environment:\n      WEB_URL: http://web:8080\n"},
			want: "env-url-mismatch c.yml:19 c.yml:14 c.yml:15",
		},
		"URL default names a removed service": {
			src:  sources{compose: baseCompose + "  app:\n    image: a\n    environment:\n      TODO_URL: ${TODO_URL:-http://todo-backend:3031}\n"},
			want: "env-url-unknown-host c.yml:19",
		},
		"redis URL without the password redis requires": {
			src:  sources{compose: baseCompose + "  app:\n    image: a\n    environment:\n      REDIS_URL: redis://redis:6379\n"},
			want: "url-missing-credentials c.yml:19 c.yml:10",
		},
		"published port leads nowhere": {
			src:  sources{compose: "services:\n  a:\n    image: a\n    environment:\n      PORT: 4011\n    ports: [\"4011:4010\"]\n"},
			want: "port-target-mismatch c.yml:6 c.yml:5",
		},
		"route to a port nothing publishes": {
			src:  sources{compose: baseCompose, tunnel: "ingress:\n  - hostname: link.example.com\n    service: http://localhost:4090\n  - service: http_status:404\n"},
			want: "route-port-mismatch t.yml:3",
		},
		"cloudflared in its own container routing to localhost": {
			src:  sources{compose: baseCompose + "  tunnel:\n    image: cloudflare/cloudflared\n", tunnel: "ingress:\n  - hostname: x.example.com\n    service: http://localhost:3002\n  - service: http_status:404\n"},
			want: "route-port-mismatch t.yml:3 c.yml:16",
		},
		"cloudflared on the host network routing to a compose name": {
			src:  sources{compose: baseCompose + "  tunnel:\n    image: cloudflare/cloudflared\n    network_mode: host\n", tunnel: "ingress:\n  - hostname: x.example.com\n    service: http://web:5000\n  - service: http_status:404\n"},
			want: "route-port-mismatch t.yml:3 c.yml:16",
		},
		"URL to localhost inside a container meaning another service": {
			src:  sources{compose: baseCompose + "  app:\n    image: a\n    environment:\n      CREDITS_URL: http://localhost:3002\n"},
			want: "env-url-loopback c.yml:19 c.yml:7",
		},
		"URL to the Docker host on a port nothing publishes": {
			src:  sources{compose: baseCompose + "  app:\n    image: a\n    environment:\n      STT_URL: http://host.docker.internal:3020\n"},
			want: "env-url-host-port c.yml:19",
		},
		"scrape of a database's wire port": {
			src:  sources{compose: baseCompose, prometheus: "scrape_configs:\n  - job_name: redis\n    static_configs:\n      - targets: ['redis:6379']\n"},
			want: "scrape-no-metrics p.yml:4 c.yml:8",
		},
		"probe through a tunnel route to a port nothing publishes": {
			src: sources{compose: baseCompose, tunnel: "ingress:\n  - hostname: x.example.com\n    service: http://localhost:4090\n  - service: http_status:404\n",
				prometheus: "scrape_configs:\n  - job_name: bb\n    params: {module: [http_2xx]}\n    static_configs:\n      - targets: [https://x.example.com/health]\n    relabel_configs:\n      - source_labels: [__address__]\n        target_label: __param_target\n"},
			want: "probe-route-broken p.yml:5 t.yml:3\nroute-port-mismatch t.yml:3",
		},
		"doc host column against the compose file": {
			src:  sources{compose: baseCompose, doc: "| Port | Service | Host |\n|---|---|---|\n| 3002 | credits | box |\n| 8080 | web | box |\n| 6379 | redis | gpu |\n"},
			want: "doc-host-mismatch d.md:5 c.yml:8",
		},
		"route to a compose name on its host port": {
			src:  sources{compose: baseCompose + "  tunnel:\n    image: cloudflare/cloudflared\n", tunnel: "ingress:\n  - hostname: web.example.com\n    service: http://web:8080\n  - hostname: gone.example.com\n    service: http://synapse:8008\n  - service: http_status:404\n"},
			want: "route-port-mismatch t.yml:3 c.yml:14 c.yml:15\nroute-port-mismatch t.yml:5",
		},
		"hostname routed twice": {
			src:  sources{tunnel: "ingress:\n  - hostname: a.example.com\n    service: http://localhost:1\n  - hostname: a.example.com\n    service: http://localhost:2\n  - service: http_status:404\n"},
			want: "duplicate-hostname t.yml:4 t.yml:2",
		},
		"rules cloudflared rejects or never reaches": {
			src: sources{tunnel: `ingress:
  - hostname: "*.example.com"
    service: http://localhost:1
  - hostname: a.example.com
    service: localhost:8000
  - hostname: b.example.com:443
    service: http://localhost:1/path
  - service: http_status:404
  - hostname: late.example.com
    service: http://localhost:1
`},
			want: strings.Join([]string{
				"invalid-rule t.yml:4 t.yml:2",
				"invalid-rule t.yml:5",
				"invalid-rule t.yml:6",
				"invalid-rule t.yml:7",
				"invalid-rule t.yml:8",
				"invalid-rule t.yml:9 t.yml:2",
				"invalid-rule t.yml:9",
			}, "\n"),
		},
		"scrape of the host port and of a removed service": {
			src:  sources{compose: baseCompose, prometheus: "scrape_configs:\n  - job_name: web\n    static_configs:\n      - targets: ['web:8080', 'synapse:9002']\n"},
			want: "scrape-port-mismatch p.yml:4 c.yml:14 c.yml:15\nscrape-target-unknown p.yml:4",
		},
		"internal blackbox probe on a wrong port, and its exporter unknown": {
			src: sources{compose: baseCompose, prometheus: `scrape_configs:
  - job_name: bb
    metrics_path: /probe
    params: {module: [http_2xx]}
    static_configs:
      - targets: [http://mana-credits:3003/health, https://public.example.com]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - target_label: __address__
        replacement: blackbox:9115
`},
			want: "scrape-port-mismatch p.yml:6 c.yml:6 c.yml:7\nscrape-target-unknown p.yml:10",
		},
		"duplicate job name": {
			src:  sources{prometheus: "scrape_configs:\n  - job_name: a\n  - job_name: a\n"},
			want: "duplicate-job p.yml:3 p.yml:2",
		},
		"doc that states facts": {
			src: sources{compose: baseCompose, doc: `# Ports

| Port | Service |
|------|---------|
| 3002 | credits |
| 3003 | web |
| 3004 | ghost |
| 8080-8089 | *(reserved)* |
`},
			want: "doc-mismatch d.md:6 c.yml:14 c.yml:15\ndoc-mismatch d.md:8 c.yml:15\ndoc-row-unknown d.md:7",
		},
	} {
		t.Run(name, func(t *testing.T) {
			if got := brief(auditOf(t, tc.src)); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// TestAuditLeavesIntentionalThingsAlone lists what a careful operator
// writes on purpose; each must give no finding.
func TestAuditLeavesIntentionalThingsAlone(t *testing.T) {
	for name, src := range map[string]sources{
		"container_name alias, container port, PORT env": {compose: baseCompose + "  app:\n    image: a\n    environment:\n      A_URL: http://mana-credits:3002/x\n      B_URL: http://web:5000\n"},
		"host.docker.internal and LAN addresses":         {compose: baseCompose + "  app:\n    image: a\n    environment:\n      STT_URL: http://host.docker.internal:3002\n      GPU_URL: http://192.168.178.11:3025\n      PUBLIC_URL: https://api.example.com\n"},
		"URL left to the environment":                    {compose: baseCompose + "  app:\n    image: a\n    environment:\n      A_URL: ${A_URL}\n      B_URL: ${B_URL:-http://192.168.1.2:1}\n      C_URL: http://credits:${CREDITS_PORT}\n"},
		"URL with the default port's variable": {
			compose: baseCompose + "  app:\n    image: a\n    environment:\n      A_URL: http://credits:${CREDITS_PORT:-3002}\n"},
		"redis password passed beside the URL": {compose: baseCompose + "  exp:\n    image: e\n    environment:\n      REDIS_ADDR: redis://redis:6379\n      REDIS_PASSWORD: ${REDIS_PASSWORD:-pw}\n  app:\n    image: a\n    environment:\n      REDIS_URL: redis://:${REDIS_PASSWORD:-pw}@redis:6379/1\n"},
		"service with no port evidence":        {compose: baseCompose + "  plain:\n    image: p\n  app:\n    image: a\n    environment:\n      P_URL: http://plain:1234\n"},
		"extra_hosts name":                     {compose: baseCompose + "  app:\n    image: a\n    extra_hosts: [\"nas:192.168.1.5\"]\n    environment:\n      NAS_URL: http://nas:5000\n"},
		"disjoint profiles and distinct host IPs": {compose: `services:
  a: {image: a, profiles: [dev], ports: ["3000:3000"]}
  b: {image: b, profiles: [prod], ports: ["3000:3000"]}
  c: {image: c, ports: ["127.0.0.1:4000:4000"]}
  d: {image: d, ports: ["127.0.0.2:4000:4000"]}
  e: {image: e, ports: ["5000:5000/udp"]}
  f: {image: f, ports: ["5000:5000/tcp"]}
`},
		"host-native tunnel naming a LAN host":                                {compose: baseCompose, tunnel: "ingress:\n  - hostname: nas.example.com\n    service: http://nas:5000\n  - service: http_status:404\n"},
		"tunnel on the host network reaching a published port":                {compose: baseCompose + "  tunnel:\n    image: cloudflare/cloudflared\n    network_mode: host\n", tunnel: "ingress:\n  - hostname: x.example.com\n    service: http://localhost:3002\n  - service: http_status:404\n"},
		"route naming a service by its hostname, on another's published port": {compose: baseCompose, tunnel: "ingress:\n  - hostname: web.example.com\n    service: http://localhost:3002\n  - service: http_status:404\n"},
		"listen addresses and multi-listener values":                          {compose: baseCompose + "  app:\n    image: a\n    environment:\n      ASPNETCORE_URLS: http://+:80\n      KAFKA_ADVERTISED_LISTENERS: PLAINTEXT://credits:3002,EXTERNAL://localhost:29092\n    ports: [\"8081:80\"]\n"},
		"URL without a port":                                                  {compose: baseCompose + "  app:\n    image: a\n    environment:\n      WEB_URL: http://web\n"},
		"URL to localhost of the service itself":                              {compose: baseCompose + "  app:\n    image: a\n    environment:\n      PORT: 3002\n      SELF_URL: http://localhost:3002\n"},
		"Docker host on a published port":                                     {compose: baseCompose + "  app:\n    image: a\n    environment:\n      C_URL: http://host.docker.internal:3002\n"},
		"container on an external network":                                    {compose: baseCompose + "  app:\n    image: a\n    networks: [shared]\n    environment:\n      X_URL: http://other-project-api:8000\nnetworks:\n  shared:\n    external: true\n"},
		"sidecar in a service's namespace":                                    {compose: "services:\n  vpn:\n    image: vpn\n    ports: [\"8080:8080\"]\n  app:\n    image: a\n    network_mode: service:vpn\n    environment:\n      PORT: 8080\n"},
		"scrape of an exporter port":                                          {compose: baseCompose, prometheus: "scrape_configs:\n  - job_name: redis\n    static_configs:\n      - targets: ['redis:9121']\n"},
		"doc rows of another host, in another form, or not deployed":          {compose: baseCompose, doc: "| Port | Service | Host | Note |\n|---|---|---|---|\n| 3002 | credits | box | |\n| 8080 | web | box | |\n| 3020 | stt | gpu | |\n| 6379 | Redis | box | |\n| 3030 | voice | box | not deployed |\n"},
		"ssh and LAN routes, catch-all": {compose: baseCompose, tunnel: `ingress:
  - hostname: ssh.example.com
    service: ssh://localhost:22
  - hostname: gpu.example.com
    service: http://192.168.178.11:3025
  - hostname: web.example.com
    service: http://localhost:8080
  - hostname: credits.example.com
    service: http://localhost:3002
  - hostname: a.example.com
    path: ^/api
    service: http://localhost:3002
  - hostname: a.example.com
    service: http://localhost:8080
  - service: http_status:404
`},
		"scrapes of self, LAN and the right ports": {compose: baseCompose, prometheus: `scrape_configs:
  - job_name: self
    static_configs: [{targets: ['localhost:9090']}]
  - job_name: gpu
    static_configs: [{targets: ['192.168.178.11:3025']}]
  - job_name: ok
    static_configs: [{targets: ['credits:3002', 'mana-credits:3002', 'web:5000']}]
`},
		"doc that says it is a plan, with a reality section": {compose: baseCompose, doc: `# Port plan

> **ASPIRATIONAL.** The layout below is a target state.
>
> ### Real ports today
>
> **GPU server (192.168.178.11):**
> - credits ` + "`3099`" + ` (another host)
>
> **This host:**
> - credits ` + "`3002`" + `, web ` + "`8080`" + `

## 3000-3009: Core

| Port | Service |
|------|---------|
| 3001 | credits |
| 3002-3009 | *(reserved)* |
| 3005 | ghost |
`},
	} {
		t.Run(name, func(t *testing.T) {
			if fs := auditOf(t, src); len(fs) > 0 {
				t.Errorf("want no findings, got\n%s", brief(fs))
			}
		})
	}
}

func TestHostnameInTwoTunnelConfigs(t *testing.T) {
	var f handwritten.Files
	for _, name := range []string{"a.yml", "b.yml"} {
		c, err := handwritten.ParseCloudflared(name, []byte("ingress:\n  - hostname: x.example.com\n    service: http://10.0.0.1:80\n  - service: http_status:404\n"))
		if err != nil {
			t.Fatal(err)
		}
		f.Cloudflared = append(f.Cloudflared, c)
	}
	fs := Check(f)
	if got, want := brief(fs), "duplicate-hostname b.yml:2 a.yml:2"; got != want || !strings.Contains(fs[0].Message, "two tunnel configs") {
		t.Errorf("got %s (%v), want %s", got, fs, want)
	}
}

// TestCopiesOfOneTunnel: two files of the same tunnel id are copies;
// equal ones are fine, a stale one is a finding, and neither is a
// hostname routed by two tunnels.
func TestCopiesOfOneTunnel(t *testing.T) {
	const full = "tunnel: 6f0a\ningress:\n  - hostname: x.example.com\n    service: http://10.0.0.1:80\n  - hostname: y.example.com\n    service: http://10.0.0.1:81\n  - service: http_status:404\n"
	const stale = "tunnel: 6f0a\ningress:\n  - hostname: x.example.com\n    service: http://10.0.0.1:80\n  - service: http_status:404\n"
	for _, tc := range []struct{ b, want string }{
		{full, ""},
		{stale, "tunnel-copies-differ a.yml:5 b.yml:1"},
	} {
		var f handwritten.Files
		for name, src := range map[string]string{"a.yml": full, "b.yml": tc.b} {
			c, err := handwritten.ParseCloudflared(name, []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			f.Cloudflared = append(f.Cloudflared, c)
		}
		if got := brief(Check(f)); got != tc.want {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestRealitySectionOfAPlanIsChecked(t *testing.T) {
	doc := "# Plan\n\n> Aspirational.\n>\n> ### Real ports today\n>\n> - credits `3061`\n\n## Later\n\n| Port | Service |\n|---|---|\n| 3001 | credits |\n"
	if got, want := brief(auditOf(t, sources{compose: baseCompose, doc: doc})), "doc-mismatch d.md:7 c.yml:6 c.yml:7"; got != want {
		t.Errorf("got\n%s\nwant %s", got, want)
	}
}

func TestAuditReportsEveryUnreadableInput(t *testing.T) {
	dir := t.TempDir()
	_, err := Audit(handwritten.Inputs{Compose: []string{dir + "/missing.yml"}, Prometheus: dir + "/nope.yml"})
	if err == nil || !strings.Contains(err.Error(), "missing.yml") || !strings.Contains(err.Error(), "nope.yml") {
		t.Fatalf("err = %v, want both files named", err)
	}
}

func TestFindingsAreSortedByKindThenLocation(t *testing.T) {
	fs := Findings{
		{Kind: "b", Message: "x", Locations: []Location{{File: "a", Line: 2}}},
		{Kind: "a", Message: "y", Locations: []Location{{File: "b", Line: 1}}},
		{Kind: "b", Message: "z", Locations: []Location{{File: "a", Line: 1}}},
	}
	fs.sort()
	if got := fmt.Sprintln(fs[0].Message, fs[1].Message, fs[2].Message); got != "y z x\n" {
		t.Errorf("order = %s", got)
	}
}
