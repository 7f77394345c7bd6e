package schema

import (
	"strings"
	"testing"
)

// A healthcheck that probes the container itself on a port the service
// does not listen on is a warning at the test's argument, naming where
// the port is declared.
func TestHealthcheckProbingAnotherPortIsAWarning(t *testing.T) {
	cases := []struct {
		name, services string
		want           []string
	}{
		{"the container port, in every spelling", `
services: a: {host: "mini", port: 3001, container_port: 8080, range: "core", compose: {image: "a", healthcheck: test: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:8080/health"]}}
services: b: {host: "mini", port: 3002, range: "core", compose: {image: "b", healthcheck: test: "curl -f http://localhost:3002/ && nc -z [::1]:3002"}}
services: c: {host: "mini", port: 3003, range: "core", compose: {image: "c", healthcheck: test: ["CMD", "wget", "http://c:3003/ping"]}}`, nil},
		{"the published port instead of the container port", `
services: a: {host: "mini", port: 3001, container_port: 8080, range: "core", compose: {image: "a", healthcheck: test: ["CMD", "wget", "-q", "--spider", "http://127.0.0.1:3001/health"]}}`,
			[]string{"schema/services.cue:3:153: warning: a: healthcheck probes http://127.0.0.1:3001, but the service listens on 8080; declare the port under ports: (publish: false) if another process serves it (schema/services.cue:3:57)"}},
		{"a shell test, and the service's own name", `
services: a: {host: "mini", port: 3001, range: "core", compose: {image: "a", healthcheck: test: "CMD-SHELL curl -f localhost:3000 || exit 1"}}
services: b: {host: "mini", port: 3002, range: "core", compose: {image: "b", healthcheck: test: ["CMD", "wget", "http://b:3020/"]}}`,
			[]string{
				"schema/services.cue:3:97: warning: a: healthcheck probes localhost:3000, but the service listens on 3001; declare the port under ports: (publish: false) if another process serves it (schema/services.cue:3:35)",
				"schema/services.cue:4:113: warning: b: healthcheck probes http://b:3020, but the service listens on 3002; declare the port under ports: (publish: false) if another process serves it (schema/services.cue:4:35)",
			}},
		{"a declared named port, another service, a disabled check", `
services: a: {host: "mini", port: 3001, range: "core", ports: admin: {port: 3009, publish: false}, compose: {image: "a", healthcheck: test: ["CMD", "wget", "http://localhost:3009/ready"]}}
services: b: {host: "mini", port: 3002, range: "core", compose: {image: "b", healthcheck: test: ["CMD", "wget", "http://a:3001/"]}}
services: c: {host: "mini", port: 3003, range: "core", compose: {image: "c", healthcheck: {disable: true, test: ["CMD", "wget", "http://localhost:1/"]}}}`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := writeSource(t, map[string]string{"base.cue": base, "services.cue": "package platform\n\n" + strings.TrimPrefix(tc.services, "\n")})
			p, err := Load(root)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, w := range p.Warnings {
				if strings.Contains(w.Message, "healthcheck") {
					got = append(got, w.String())
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tc.want, "\n\t"))
			}
		})
	}
}
