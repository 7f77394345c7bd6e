package derived

import (
	"testing"

	"portschema/generators/output"
)

func TestMentions(t *testing.T) {
	cases := []struct {
		line string
		want bool
	}{
		{"  auth:", true},
		{"AUTH_URL=http://auth:3001", true},
		{"# auth (host mini).", true},
		{"needs auth.", true},
		{"- hostname: auth.example.com", false},
		{"oauth: x", false},
		{"auth-db: x", false},
		{"db.auth: x", false},
		{"image: auth_v2", false},
		{"target 10.0.0.1:30011", false},
		{"target 10.0.0.1:3001/health", true},
		{"http://110.0.0.1:3001", false},
	}
	marks := []string{"auth", "10.0.0.1:3001"}
	for _, c := range cases {
		if got := Mentions(c.line, marks); got != c.want {
			t.Errorf("Mentions(%q) = %v, want %v", c.line, got, c.want)
		}
	}
}

// Read finds tunnel and Prometheus configs by their shape, whatever
// their names, with the lines of their rules and jobs.
func TestRead(t *testing.T) {
	files := []output.File{
		{Path: "deploy/tunnel.yaml", Data: []byte("tunnel: t\ningress:\n  - hostname: a.example.com\n    service: http://localhost:1\n  - service: http_status:404\n")},
		{Path: "mon/scrape.yml", Data: []byte(`scrape_configs:
  - job_name: a
    static_configs:
      - targets: [a:1]
        labels: {service: a}
  - job_name: blackbox
    metrics_path: /probe
    params: {module: [http_2xx]}
    static_configs:
      - targets: ["https://a.example.com"]
        labels: {service: a}
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - target_label: __address__
        replacement: bb:9115
`)},
		{Path: "out/env/a.env", Data: []byte("ingress: not yaml here\n")},
	}
	c := Read(files)
	if len(c.Routes) != 2 || c.Routes[0] != (Route{File: "deploy/tunnel.yaml", Line: 3, Hostname: "a.example.com", Service: "http://localhost:1"}) {
		t.Errorf("routes: %+v", c.Routes)
	}
	if len(c.Jobs) != 2 || c.Jobs[0].Name != "a" || c.Jobs[0].Probe || c.Jobs[0].Targets[0] != (Target{Address: "a:1", Line: 4, Service: "a"}) {
		t.Errorf("jobs: %+v", c.Jobs)
	}
	if !c.Jobs[1].Probe || c.Jobs[1].Targets[0].Address != "https://a.example.com" {
		t.Errorf("probe job: %+v", c.Jobs[1])
	}
}

// The index finds what Mentions finds, for every mark at once.
func TestIndexAgreesWithMentions(t *testing.T) {
	marks := []string{"auth", "10.0.0.1:3001", "auth.example.com", "db", "[fd00::1]:5432", "localhost:3001"}
	lines := []string{
		"  auth:", "AUTH_URL=http://auth:3001", "# auth (host mini).", "needs auth.", "- hostname: auth.example.com",
		"oauth: x", "auth-db: x", "db.auth: x", "target 10.0.0.1:30011", "target 10.0.0.1:3001/health",
		"http://110.0.0.1:3001", "postgresql://u:${P}@[fd00::1]:5432/db", "LOCAL=http://localhost:3001", "x.auth.example.com",
	}
	x := NewIndex()
	for i, m := range marks {
		x.Add(m, i)
	}
	for _, line := range lines {
		found := map[int]bool{}
		x.Each(line, func(id int) { found[id] = true })
		for i, m := range marks {
			if want := Mentions(line, []string{m}); found[i] != want {
				t.Errorf("line %q, mark %q: index %v, Mentions %v", line, m, found[i], want)
			}
		}
	}
}
