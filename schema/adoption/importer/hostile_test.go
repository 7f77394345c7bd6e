package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// hostileCompose has every kind of name and value a user's file may
// hold that the source's rules forbid or CUE must quote.
const hostileCompose = `
name: Hostile_Project
services:
  My_Service.v2:
    image: "img:1"
    container_name: my-service
    environment:
      MULTI: "line one\nline two \"quoted\" # not a comment"
      DOLLAR: "cost $$5 and \\(x) and ${UNSET}"
      UNICODE: "grüße 🚀"
      my-var: "bad name"
      API_KEY: sk_live_abcdefghijklmnopqrstuv
      DB_URL: postgresql://admin:hunter2@db:5432/app
      CACHE_URL: redis://cache:6379/0
      OTHER_URL: http://Web_1:8080/path?q=1
      PLAIN_REF: ${SOME_VAR:-fallback}
      EMPTY_REF: ${SOME_TOKEN:-}
    labels:
      portschema.service: forged
      keep.me: "yes"
    ports:
      - "8080:80"
      - "127.0.0.1:8081:81"
      - "53:53/udp"
    profiles: [debug]
  Web_1:
    image: web
    environment:
      PORT: 8080
      BACK_URL: http://My_Service.v2:80
    ports: ["8080:8080"]
    depends_on: [My_Service.v2, ghost]
  web-1:
    image: web
    ports: ["8080:1"]
  db:
    image: postgres
    environment:
      POSTGRES_PASSWORD: ${DB_PASSWORD:-secret-default}
    depends_on: [cache]
  cache:
    image: redis
    depends_on: [db]
  "1start":
    image: x
    command: ["sh", "-c", "echo ${DB_PASSWORD:-leak} $$HOME"]
  worker:
    image: x
    expose: ["9999"]
`

const hostileTunnel = `
tunnel: "bad id with spaces"
ingress:
  - hostname: UPPER.Example.com
    service: http://localhost:8080
  - hostname: web.example.com
    service: http://localhost:8080
  - hostname: web.example.com
    service: http://localhost:8080
  - hostname: "*.example.com"
    service: http://localhost:8080
  - hostname: path.example.com
    path: ^/api
    service: http://localhost:8080
  - hostname: opts.example.com
    service: http://localhost:8080
    originRequest:
      noTLSVerify: true
  - hostname: lan.example.com
    service: http://10.1.2.3:4000
  - hostname: "bad_host!"
    service: http://localhost:1
  - service: http_status:503
`

const hostileProm = `
global: {scrape_interval: 15s}
remote_write: [{url: "http://x"}]
scrape_configs:
  - job_name: web
    static_configs: [{targets: ["Web_1:8080"], labels: {"bad-label": x}}]
  - job_name: web
    static_configs: [{targets: ["Web_1:8080"]}]
  - job_name: "Weird Job!"
    static_configs: [{targets: ["10.1.2.3:4000"]}]
`

const hostileDoc = "# Ports\n\n## 8000-8099: Web\n\n| Port | Service |\n|---|---|\n| 8080 | Web_1 |\n| 8090 | ghost (Nothing) |\n\n" +
	"## 8050-8060: Nested\n\n## 8000-8099: Duplicate\n\n## 9-1: Backwards\n\n## 70000-70001: Too high\n"

func writeInputs(t *testing.T, files map[string]string) handwritten.Inputs {
	t.Helper()
	dir := t.TempDir()
	var in handwritten.Inputs
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(name, "docker-compose"):
			in.Compose = append(in.Compose, path)
		case strings.HasPrefix(name, "cloudflared"):
			in.Cloudflared = append(in.Cloudflared, path)
		case strings.HasPrefix(name, "prometheus"):
			in.Prometheus = path
		case strings.HasSuffix(name, ".md"):
			in.Doc = path
		}
	}
	return in
}

// TestHostileInputsLoad: whatever the inputs hold, the imported source
// loads; the originals survive in comments and overrides.
func TestHostileInputsLoad(t *testing.T) {
	in := writeInputs(t, map[string]string{
		"docker-compose.hostile.yml": hostileCompose,
		"cloudflared.yml":            hostileTunnel,
		"prometheus.yml":             hostileProm,
		"PORTS.md":                   hostileDoc,
	})
	root := t.TempDir()
	rep, err := Import(in, filepath.Join(root, "schema"), false)
	if err != nil {
		t.Fatal(err)
	}
	p, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	text := readAll(t, filepath.Join(root, "schema"))
	for _, want := range []string{`"My_Service.v2"`, `"1start"`, "grüße 🚀", `line one\nline two \"quoted\" # not a comment`} {
		if !strings.Contains(text, want) {
			t.Errorf("the imported source lost %s", want)
		}
	}
	if strings.Contains(text, "hunter2") || strings.Contains(text, "secret-default") || strings.Contains(text, "leak") || strings.Contains(text, "sk_live") {
		t.Error("a credential was copied into the source")
	}
	if s := p.Service("my-service-v2"); s == nil || !slices.Equal(s.Profiles, []string{"debug"}) || s.Container != "my-service" {
		t.Errorf("My_Service.v2 = %+v, want renamed, under its profile debug, container kept", s)
	}
	if len(rep.Findings) == 0 {
		t.Error("no findings for hostile inputs")
	}
}

// TestHostileFragmentsNeverPanic imports each kind of malformed file on
// its own: a clear error or a loading source, never a panic.
func TestHostileFragmentsNeverPanic(t *testing.T) {
	cases := map[string]map[string]string{
		"empty compose":   {"docker-compose.yml": ""},
		"not yaml":        {"docker-compose.yml": "services: [\n"},
		"services list":   {"docker-compose.yml": "services: [a, b]\n"},
		"no services":     {"docker-compose.yml": "name: x\n"},
		"deep nesting":    {"docker-compose.yml": "services:\n  a:\n    image: x\n    labels: " + strings.Repeat("[", 500) + strings.Repeat("]", 500) + "\n"},
		"anchors":         {"docker-compose.yml": "x-base: &base\n  image: x\n  restart: always\nservices:\n  a:\n    <<: *base\n    ports: ['80:80']\n  b:\n    <<: *base\n    ports: ['80:80']\n"},
		"tunnel only":     {"cloudflared.yml": hostileTunnel},
		"prometheus only": {"prometheus.yml": hostileProm},
		"bad tunnel":      {"cloudflared.yml": "ingress: 5\n"},
		"empty doc":       {"docker-compose.yml": "services:\n  a:\n    image: x\n", "doc.md": ""},
		"only doc":        {"doc.md": hostileDoc},
		"unicode name":    {"docker-compose.yml": "services:\n  ünïcödé:\n    image: x\n"},
		"port too high":   {"docker-compose.yml": "services:\n  a:\n    image: x\n    ports: ['70000:1']\n"},
	}
	for name, files := range cases {
		t.Run(name, func(t *testing.T) {
			in := writeInputs(t, files)
			root := t.TempDir()
			_, err := Import(in, filepath.Join(root, "schema"), false)
			if err != nil {
				if strings.Contains(err.Error(), "does not load") {
					t.Fatal(err)
				}
				t.Logf("clear error: %v", err)
				return
			}
			if _, err := schema.Load(root); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestTenThousandServices imports a compose file of 10,000 services,
// half of them colliding on host ports, and the result loads.
func TestTenThousandServices(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	var b strings.Builder
	b.WriteString("services:\n")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&b, "  Svc_%d:\n    image: app:%d\n    ports: [\"%d:80\"]\n    environment:\n      PEER_URL: http://Svc_%d:80\n",
			i, i, 20000+i/2, (i+1)%10000)
	}
	in := writeInputs(t, map[string]string{"docker-compose.big.yml": b.String()})
	root := t.TempDir()
	if _, err := Import(in, filepath.Join(root, "schema"), false); err != nil {
		t.Fatal(err)
	}
}
