package schema

import (
	"strings"
	"testing"
)

// What a removal leaves behind is pointed at, each at its place in the
// source; what still serves something is not.
func TestLeftovers(t *testing.T) {
	root := writeSource(t, map[string]string{"platform.cue": `package platform

platform: {name: "demo", domain: "example.org"}
ranges: {
	core:  {from: 3000, to: 3009, purpose: "core"}
	chat:  {from: 4000, to: 4099, purpose: "the chat stack, removed"}
	mon:   {from: 9000, to: 9099, purpose: "monitoring"}, spare: {from: 7000, to: 7009, purpose: "spare"}
}
hosts: {
	mini: {
		title: "Mini", kind: "compose", address: "10.0.0.1"
		compose: {
			project: "demo"
			volumes: {data: {}, chat_data: {}, long: {}}
			secrets: {db_password: file: "./db.txt", chat_token: file: "./chat.txt"}
		}
		tunnel: {
			id: "t", credentials_file: "/etc/t.json"
			rules: [
				{hostname: "ssh.example.org", service: "ssh://localhost:22"},
				{hostname: "link.example.org", service: "http://localhost:4090"},
				{hostname: "api2.example.org", service: "http://localhost:3001"},
				{hostname: "chat.example.org", service: "http://chat-server:8008"},
				{hostname: "gpu.example.org", service: "http://10.0.0.2:3002"},
				{hostname: "old.example.org", service: "http://10.0.0.2:3009"},
				{hostname: "sock.example.org", service: "unix:/run/x.sock"},
			]
		}
	}
	gpu: {title: "GPU", kind: "scheduled-task", address: "10.0.0.2"}
}
prometheus: {
	host: "mini"
	jobs: [{
		job_name: "raw"
		static_configs: [{targets: ["api:8080", "api:9999", "synapse:9002", "localhost:9090", "10.0.0.2:3002", "10.0.0.2:3008", "example.com:4000"]}]
	}, {
		job_name: "blackbox-raw"
		static_configs: [{targets: ["https://api.example.org/health", "https://matrix.example.org", "https://x.apps.example.org", "https://other.net"]}]
	}]
}
services: {
	api: {
		host: "mini", port: 3001, container_port: 8080, range: "core", public: ["api.example.org", "*.apps.example.org"]
		compose: {image: "api:1", volumes: ["data:/data", "./conf:/conf:ro", {type: "volume", source: "long", target: "/l"}], secrets: ["db_password"]}
	}
	stt: {host: "gpu", port: 3002, range: "core"}
	prom: {host: "mini", port: 9090, range: "mon", compose: image: "prom:1"}
	// Declared in the stack's range from outside, by exception: the
	// range is still empty.
	landing: {host: "mini", port: 4400, range: "chat", exception: "static sites", compose: image: "nginx:1"}
}
`})
	p, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range p.Warnings {
		got = append(got, w.String())
	}
	text := strings.Join(got, "\n")
	want := []string{
		`schema/platform.cue:6:2: warning: range chat (4000-4099) has no service in it, only services declared in it from outside (landing at 4400); give them a range they lie in, and remove it`,
		`schema/platform.cue:7:56: warning: range spare (7000-7009) has no service; remove it`,
		`schema/platform.cue:14:24: warning: host mini: named volume chat_data is mounted by no service`,
		`schema/platform.cue:15:45: warning: host mini: compose secret chat_token is read by no service`,
		`schema/platform.cue:21:45: warning: host mini: tunnel rule link.example.org routes to http://localhost:4090, a port of range chat that no service on host mini has`,
		`schema/platform.cue:25:44: warning: host mini: tunnel rule old.example.org routes to http://10.0.0.2:3009, a port of range core that no service on host gpu has`,
		`schema/platform.cue:36:43: warning: prometheus: job raw targets api:9999, a port api does not listen on`,
		`schema/platform.cue:36:55: warning: prometheus: job raw targets synapse:9002, and no service is named synapse`,
		`schema/platform.cue:36:106: warning: prometheus: job raw targets 10.0.0.2:3008, a port of range core that no service on host gpu has`,
		`schema/platform.cue:39:65: warning: prometheus: job blackbox-raw targets https://matrix.example.org, a hostname no service or tunnel rule has`,
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q", w)
		}
	}
	// Nothing else: ssh on port 22 (no range), a unix socket, a port
	// that is served, a name the tunnel's host may resolve (it is not
	// in a compose network), the wildcard, other domains, the
	// self-scrape.
	leftovers := 0
	for _, line := range got {
		for _, kind := range []string{"has no service", "mounted by no service", "read by no service", "routes to", "targets"} {
			if strings.Contains(line, kind) {
				leftovers++
				break
			}
		}
	}
	if leftovers != len(want) || t.Failed() {
		t.Errorf("%d leftover warnings, want %d:\n%s", leftovers, len(want), text)
	}
}

// A need on a service that is gone names the variables that share its
// variable's first word; a need with a close name gets the did-you-mean
// instead.
func TestNeedOfAGoneServiceNamesItsCompanions(t *testing.T) {
	root := writeSource(t, map[string]string{"base.cue": base, "services.cue": `package platform

services: notify: {
	host: "mini", port: 3001, range: "core"
	needs: ["synapse", {service: "mial", env: "SYNAPSE_MAIL_URL"}, {service: "mail", env: "MATRIX_ROOM_URL"}]
	env: {MATRIX_ROOM: "!abc", MODE: "prod"}
	secrets: [{env: "MATRIX_ACCESS_TOKEN", from: "MATRIX_NOTIFY_BOT_TOKEN"}, "SMTP_PASSWORD", "SYNAPSE_KEY"]
}
services: mail: {host: "mini", port: 3002, range: "core"}
`})
	_, err := Load(root)
	text := err.Error()
	for _, want := range []string{
		`notify: needs unknown service "synapse"; if it is gone, these variables may go with it: SYNAPSE_KEY (secrets[2]), SYNAPSE_MAIL_URL (needs[1])`,
		`notify: needs unknown service "mial" (did you mean "mail"?)`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
}
