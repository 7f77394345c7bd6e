package audit

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"portschema/generators"
	"portschema/schema"
	"portschema/schema/adoption/handwritten"
	"portschema/schema/synthetic"
)

// generatedInputs runs every generator on the platform at root, writes
// the files under dir and names them as audit inputs, each by the kind
// of file its generator writes.
func generatedInputs(t *testing.T, root, dir string) handwritten.Inputs {
	t.Helper()
	p, err := schema.Load(root)
	if err != nil {
		t.Fatalf("loading %s: %v", root, err)
	}
	var in handwritten.Inputs
	for _, g := range generators.All() {
		files, err := g.Generate(p)
		if err != nil {
			t.Fatalf("%s: %v", g.Name, err)
		}
		for _, f := range files {
			path := filepath.Join(dir, filepath.FromSlash(f.Path))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			addGenerated(&in, g.Name, path)
		}
	}
	return in
}

// addGenerated files a generated file under the input it is.
func addGenerated(in *handwritten.Inputs, generator, path string) {
	switch generator {
	case "compose":
		in.Compose = append(in.Compose, path)
	case "cloudflared":
		in.Cloudflared = append(in.Cloudflared, path)
	case "prometheus":
		in.Prometheus = path
	case "portdoc":
		in.Doc = path
	case "urldoc":
		in.Docs = append(in.Docs, path)
	case "alerts":
		in.Alerts = append(in.Alerts, path)
	case "promtail":
		in.Logs = append(in.Logs, path)
	case "env":
		if strings.HasSuffix(path, ".env") {
			in.Env = append(in.Env, path)
		}
	}
}

func auditClean(t *testing.T, in handwritten.Inputs) {
	t.Helper()
	findings, err := Audit(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) > 0 {
		var b strings.Builder
		_ = findings.WriteHuman(&b)
		t.Errorf("the audit of what regen writes reports %d findings, want none:\n%s", len(findings), b.String())
	}
}

// TestAuditOfThisProjectsOutputIsEmpty is the round trip on this
// project's own platform: what regen writes is consistent, so the audit
// of it reports nothing.
func TestAuditOfThisProjectsOutputIsEmpty(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	auditClean(t, generatedInputs(t, root, t.TempDir()))
}

// TestAuditOfSyntheticOutputIsEmpty is the round trip as a property:
// for synthetic platforms of random sizes and shapes (each seed a
// different set of hosts, tunnel host, container naming, and per
// service public names, probes, metrics, needs, published ports, port
// variable and deployment), the audit of what regen writes reports
// nothing. The fixed shape the benchmarks use is one of them; a failure
// names the seed and size to reproduce it with synthetic.WriteShaped.
func TestAuditOfSyntheticOutputIsEmpty(t *testing.T) {
	seed := uint64(os.Getpid())
	r := rand.New(rand.NewPCG(seed, 14))
	cases := []struct {
		n     int
		shape uint64
	}{{1, 0}, {41, 0}, {10, 1}, {37, 2}}
	for range 4 {
		cases = append(cases, struct {
			n     int
			shape uint64
		}{1 + r.IntN(120), 1 + r.Uint64N(1<<32)})
	}
	for _, c := range cases {
		root := t.TempDir()
		if err := synthetic.WriteShaped(root, c.n, c.shape); err != nil {
			t.Fatal(err)
		}
		in := generatedInputs(t, root, t.TempDir())
		t.Logf("%d services, shape %d", c.n, c.shape)
		auditClean(t, in)
	}
}

// TestAuditOfAlteredOutputFindsTheRoute is the round trip's other half:
// the same outputs with one tunnel route sent to another service's port
// are no longer consistent, and the doc's public hostname table says so.
func TestAuditOfAlteredOutputFindsTheRoute(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	in := generatedInputs(t, root, t.TempDir())
	path := in.Cloudflared[0]
	tun, err := handwritten.ReadCloudflared(path)
	if err != nil {
		t.Fatal(err)
	}
	// Two rules to ports of different compose services.
	var from, to handwritten.IngressRule
	for _, r := range tun.Rules {
		a, ok := handwritten.ParseAddress(r.Service)
		if !ok || !a.IsLoopback() || a.Scheme != "http" || r.Path != "" {
			continue
		}
		if from.Service == "" {
			from = r
		} else if r.Service != from.Service {
			to = r
			break
		}
	}
	if to.Service == "" {
		t.Fatal("the tunnel has no two rules to different local ports")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	lines[from.ServicePos.Line-1] = strings.Replace(lines[from.ServicePos.Line-1], from.Service, to.Service, 1)
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	findings, err := Audit(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range findings {
		if f.Kind == DocRouteMismatch && strings.Contains(f.Message, from.Hostname) && slices.Contains(f.Locations, from.ServicePos) {
			return
		}
	}
	var b strings.Builder
	_ = findings.WriteHuman(&b)
	t.Errorf("%s sent to %s: want a doc-route-mismatch for it, got\n%s", from.Hostname, to.Service, b.String())
}
