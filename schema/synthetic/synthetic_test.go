package synthetic

import (
	"fmt"
	"strings"
	"testing"

	"portschema/generators"
	"portschema/schema"
)

// TestSourcesLoadAndGenerate proves that the synthetic sources the
// benchmarks time are valid: they load without errors, hold every
// service, and every generator accepts them. A benchmark of a source
// that fails early would time nothing.
func TestSourcesLoadAndGenerate(t *testing.T) {
	for _, c := range []struct {
		n      int
		layout Layout
	}{{1, ComposeEdge}, {37, ComposeEdge}, {300, ComposeEdge}, {37, ClusterEdge}, {300, ClusterEdge}} {
		n := c.n
		root := t.TempDir()
		if err := WriteFor(root, n, c.layout); err != nil {
			t.Fatal(err)
		}
		p, err := schema.Load(root)
		if err != nil {
			t.Fatalf("%d services: %v", n, err)
		}
		if got := len(p.Services); got != n+1 {
			t.Errorf("%d services: loaded %d, want %d (with the probe exporter)", n, got, n+1)
		}
		files, err := generators.Run(p)
		if err != nil {
			t.Fatalf("%d services: generating: %v", n, err)
		}
		manifests := 0
		for _, f := range files {
			if strings.HasPrefix(f.Path, "out/k8s/edge/services/") {
				manifests++
			}
		}
		if want := len(p.Host("edge").Services); c.layout == ClusterEdge && manifests != want {
			t.Errorf("%d services: %d manifests on the cluster, want one per service, %d", n, manifests, want)
		}
	}
}

// TestSourcesUseEveryFeature guards the realism of the sources: a
// generator only does real work if the model has what it reads.
func TestSourcesUseEveryFeature(t *testing.T) {
	root := t.TempDir()
	if err := Write(root, 100); err != nil {
		t.Fatal(err)
	}
	p, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, h := range p.Hosts {
		kinds[h.Kind] = true
		if h.Tunnel != nil {
			kinds["tunnel"] = true
		}
	}
	for _, s := range p.Services {
		has := map[string]bool{
			"needs": len(s.Needs) > 0, "env": len(s.Env) > 0, "secrets": len(s.Secrets) > 0,
			"public": len(s.Public) > 0, "metrics": s.Metrics != nil, "probes": len(s.Probes) > 0,
			"named ports": len(s.Ports) > 0, "healthcheck": s.Compose["healthcheck"] != nil,
			"volumes": s.Compose["volumes"] != nil, "image": s.Compose["image"] != nil,
		}
		for k, v := range has {
			kinds[k] = kinds[k] || v
		}
		for _, n := range s.Needs {
			if t := p.Service(n.Service); t != nil && t.Host != s.Host {
				kinds["needs across hosts"] = true
			}
		}
	}
	for _, want := range []string{"compose", "scheduled-task", "systemd", "tunnel", "needs", "needs across hosts",
		"env", "secrets", "public", "metrics", "probes", "named ports", "healthcheck", "volumes", "image"} {
		if !kinds[want] {
			t.Errorf("the source has no %s", want)
		}
	}
}

// TestShapedSourcesLoadAndVary proves that shaped sources are valid for
// many seeds, and that the seeds vary the shape, not only the names:
// the number of hosts, where the tunnel runs, whether edge is a
// cluster, which services are
// public, probed, measured, published and deployed.
func TestShapedSourcesLoadAndVary(t *testing.T) {
	seen := map[string]map[string]bool{}
	note := func(what, value string) {
		if seen[what] == nil {
			seen[what] = map[string]bool{}
		}
		seen[what][value] = true
	}
	for seed := uint64(1); seed <= 12; seed++ {
		root := t.TempDir()
		if err := WriteShaped(root, 40, seed); err != nil {
			t.Fatal(err)
		}
		p, err := schema.Load(root)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if _, err := generators.Run(p); err != nil {
			t.Fatalf("seed %d: generating: %v", seed, err)
		}
		note("hosts", fmt.Sprint(len(p.Hosts)))
		kinds := "compose edge"
		for _, h := range p.Hosts {
			if h.Tunnel != nil {
				note("tunnel host", h.Name)
			}
			if h.Kind == "cluster" {
				kinds = "cluster edge"
			}
		}
		note("edge", kinds)
		var public, probed, measured, unpublished, undeployed, needs int
		for _, s := range p.Services {
			public += len(s.Public)
			probed += len(s.Probes)
			needs += len(s.Needs)
			if s.Metrics != nil {
				measured++
			}
			if !s.Publish {
				unpublished++
			}
			if !s.Deployed {
				undeployed++
			}
		}
		note("shape", fmt.Sprint(public, probed, measured, unpublished, undeployed, needs))
	}
	for what, min := range map[string]int{"hosts": 3, "tunnel host": 2, "edge": 2, "shape": 10} {
		if len(seen[what]) < min {
			t.Errorf("12 seeds give %d kinds of %s (%v), want at least %d", len(seen[what]), what, seen[what], min)
		}
	}
}
