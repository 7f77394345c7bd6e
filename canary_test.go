package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"portschema/generators/stamp"
)

// canary is the one secret value the canary test writes everywhere a
// secret can be written; it must surface nowhere.
const canary = "Cn4ryS3cr3t"

// canarySource puts the canary in every field of the source a secret
// could be written in: env under secret names and as token forms,
// every kind of compose pass-through, host compose blocks, tunnel
// origin_request, Prometheus settings, metrics labels, and two
// conflicting values of one secret.
const canarySource = `package platform

services: web: env: {
	PGPASSWORD:  "pw-` + canary + `"
	SMTP_PWD:    "pw-` + canary + `"
	OPENAI:      "sk-live-` + canary + `0123456789"
	PROJECT:     "sk-proj-` + canary + `0123456789"
	AUTH_HEADER: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.` + canary + `"
	DB_URL:      "postgres://app:` + canary + `@db:5432/app"
}
services: web: compose: {
	labels: {"admin-password": "` + canary + `"}
	command: ["serve", "--requirepass", "` + canary + `"]
	healthcheck: test: ["CMD-SHELL", "redis-cli --pass ` + canary + ` ping"]
	build: {context: ".", args: NPM_TOKEN: "` + canary + `"}
	"x-deploy": api_key: "` + canary + `"
	entrypoint: ["/bin/run", "https://admin:` + canary + `@registry.example.com"]
}
services: web: metrics: labels: secret_token: "` + canary + `"
hosts: mini: compose: configs: app: content: "DB_PASSWORD=` + canary + `\n"
hosts: mini: tunnel: origin_request: httpHostHeader: "Bearer ` + canary + `0123456789"
prometheus: jobs: [{job_name: "ext", static_configs: [{targets: ["10.0.0.9:9100"]}], basic_auth: {username: "u", password: "` + canary + `"}}]
`

// TestCanaryNeverSurfaces writes one secret value into every field of
// the source that allows one, into a .env a developer filled in, and
// into every input import reads; then runs every command and greps
// every output, every message (with CI annotations on), the check stamp
// and the imported source for it.
func TestCanaryNeverSurfaces(t *testing.T) {
	cache := t.TempDir()
	t.Setenv(stamp.CacheEnv, cache)
	t.Setenv("GITHUB_ACTIONS", "true")
	root := t.TempDir()
	writeDemo(t, root)

	var messages bytes.Buffer
	cmd := func(args ...string) int {
		return run(append([]string{"-C", root}, args...), &messages, &messages, nil)
	}
	if code := cmd("regen"); code != exitOK {
		t.Fatalf("regen of the demo: exit %d\n%s", code, messages.String())
	}

	// The source: every command refuses it, and says why without the
	// value; then two conflicting values of one secret.
	write(t, filepath.Join(root, "schema", "canary.cue"), canarySource)
	for _, c := range []string{"vet", "regen", "check"} {
		if code := cmd(c); code != exitFindings {
			t.Errorf("%s of a source holding secrets: exit %d, want %d", c, code, exitFindings)
		}
	}
	// 16 fields, each reported by each command, in words and as an
	// annotation.
	if n := strings.Count(messages.String(), "looks like a secret"); n != 3*2*16 {
		t.Fatalf("%d secrets reported, want 16 by each of 3 commands:\n%s", n/6, messages.String())
	}
	os.Remove(filepath.Join(root, "schema", "canary.cue"))
	write(t, filepath.Join(root, "schema", "one.cue"), "package platform\n\nservices: web: env: POSTGRES_PASSWORD: \"one-"+canary+"\"\n")
	write(t, filepath.Join(root, "schema", "two.cue"), "package platform\n\nservices: web: env: POSTGRES_PASSWORD: \"two-"+canary+"\"\n")
	if code := cmd("vet"); code != exitFindings {
		t.Errorf("vet of conflicting secrets: exit %d", code)
	}
	os.Remove(filepath.Join(root, "schema", "one.cue"))
	os.Remove(filepath.Join(root, "schema", "two.cue"))

	// A developer's .env: check and regen keep it to the file.
	envFile := filepath.Join(root, "out", "env", "auth.env")
	data, err := os.ReadFile(envFile)
	if err != nil {
		t.Fatal(err)
	}
	filled := strings.Replace(string(data), "SESSION_KEY=\n", "SESSION_KEY="+canary+"\n", 1)
	filled = strings.Replace(filled, "localhost:5432", "localhost:5999", 1)
	write(t, envFile, filled)
	if code := cmd("check"); code != exitFindings {
		t.Errorf("check of an edited .env: exit %d\n%s", code, messages.String())
	}
	if code := cmd("regen"); code != exitOK {
		t.Errorf("regen: exit %d\n%s", code, messages.String())
	}
	if code := cmd("check"); code != exitOK {
		t.Errorf("check after regen: exit %d\n%s", code, messages.String())
	}

	// import, from every input it reads, then regen of what it wrote.
	in := t.TempDir()
	write(t, filepath.Join(in, "compose.yml"), strings.ReplaceAll(canaryCompose, "CANARY", canary))
	write(t, filepath.Join(in, "prometheus.yml"), strings.ReplaceAll(canaryPrometheus, "CANARY", canary))
	write(t, filepath.Join(in, "cloudflared.yml"), strings.ReplaceAll(canaryTunnel, "CANARY", canary))
	write(t, filepath.Join(in, "PORT_SCHEMA.md"), strings.ReplaceAll(canaryDoc, "CANARY", canary))
	imported := filepath.Join(t.TempDir(), "imported")
	code := run([]string{"import", "--compose", filepath.Join(in, "compose.yml"), "--prometheus", filepath.Join(in, "prometheus.yml"),
		"--cloudflared", filepath.Join(in, "cloudflared.yml"), "--doc", filepath.Join(in, "PORT_SCHEMA.md"), "-o", filepath.Join(imported, "schema")}, &messages, &messages, nil)
	if code != exitOK {
		t.Fatalf("import: exit %d\n%s", code, messages.String())
	}
	if code := run([]string{"-C", imported, "regen"}, &messages, &messages, nil); code != exitOK {
		t.Fatalf("regen of the imported source: exit %d\n%s", code, messages.String())
	}
	run([]string{"audit", "--compose", filepath.Join(in, "compose.yml"), "--prometheus", filepath.Join(in, "prometheus.yml"),
		"--cloudflared", filepath.Join(in, "cloudflared.yml"), "--doc", filepath.Join(in, "PORT_SCHEMA.md")}, &messages, &messages, nil)

	if strings.Contains(messages.String(), canary) {
		t.Errorf("a message holds the secret:\n%s", messages.String())
	}

	for _, dir := range []string{root, cache, imported} {
		grepTree(t, dir, envFile)
	}
}

// grepTree fails for every file below dir holding the canary, but the
// developer's own .env (except).
func grepTree(t *testing.T, dir, except string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == except {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil && bytes.Contains(data, []byte(canary)) {
			t.Errorf("%s holds the secret", path)
		}
		return nil
	})
}

// writeDemo writes the platform of the CLI scenarios.
func writeDemo(t *testing.T, root string) {
	t.Helper()
	a, err := txtar.ParseFile("testdata/script/io_symlink_outside.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range a.Files {
		if strings.HasPrefix(f.Name, "schema/") {
			write(t, filepath.Join(root, filepath.FromSlash(f.Name)), string(f.Data))
		}
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

const canaryCompose = `name: demo
services:
  db:
    image: postgres:16
    ports: ["5432:5432"]
    environment:
      POSTGRES_PASSWORD: CANARY
      PGPASSWORD: pw-CANARY
  api:
    image: api:1
    ports: ["3001:3001"]
    command: ["serve", "--requirepass", "CANARY"]
    entrypoint: ["/bin/run", "https://admin:CANARY@registry.example.com"]
    labels:
      admin-password: CANARY
      note: "Bearer CANARY0123456789"
    environment:
      PORT: "3001"
      DATABASE_URL: postgres://app:CANARY@db:5432/app
      SMTP_PWD: CANARY
      OPENAI_KEY: sk-proj-CANARY0123456789
      TOKEN: ${API_TOKEN:-CANARY}
      DB_PASSWORD: ${DB_PASSWORD:-CANARY}
    healthcheck:
      test: ["CMD-SHELL", "redis-cli --pass CANARY ping"]
    build:
      context: .
      args:
        NPM_TOKEN: CANARY
    x-deploy:
      api_key: CANARY
configs:
  app:
    content: "DB_PASSWORD=CANARY\n"
`

const canaryPrometheus = `global:
  scrape_interval: 15s
scrape_configs:
  - job_name: api
    basic_auth: {username: u, password: CANARY}
    authorization: {credentials: CANARY}
    static_configs: [{targets: ["api:3001"]}]
`

const canaryTunnel = `tunnel: demo
credentials-file: /etc/cloudflared/demo.json
originRequest:
  httpHostHeader: "Bearer CANARY0123456789"
ingress:
  - hostname: api.example.com
    service: http://localhost:3001
    originRequest:
      access: {required: true, teamName: "sk-live-CANARY0123456789"}
  - service: http_status:404
`

const canaryDoc = `# Ports

| Port | Service | Host | Runtime | Description |
|------|---------|------|---------|-------------|
| 3001 | api | macmini | Go | API (password: CANARY) |
`
