package schema

import (
	"strings"
	"testing"
)

// clusterSource has a cluster beside a compose host and a LAN machine,
// with services on each side of the boundary.
const clusterSource = `package platform

platform: name: "demo"
ranges: {
	web:  {from: 8000, to: 8999, purpose: "web"}
	data: {from: 5000, to: 5999, purpose: "data"}
}
hosts: {
	k3s: {title: "cluster", kind: "cluster", address: "192.0.2.5"}
	box: {title: "compose host", kind: "compose", address: "192.0.2.1", compose: project: "box"}
	lan: {title: "LAN machine", kind: "systemd", address: "192.0.2.2"}
}
services: {
	web: {host: "k3s", port: 8080, container_port: 80, range: "web", tier: "front",
		compose: image: "web:1", needs: ["db", "api", "stt"]}
	db: {host: "k3s", port: 5432, publish: false, scheme: "postgresql", range: "data", compose: image: "postgres:16"}
	// Unpublished ports of a cluster take no port on its nodes.
	cache: {host: "k3s", port: 5432, publish: false, scheme: "redis", range: "data", compose: image: "redis:7"}
	api: {host: "box", port: 8081, range: "web", compose: image: "api:1", needs: ["web"]}
	stt: {host: "lan", port: 8082, range: "web", needs: ["web"]}
}
`

func loadCluster(t *testing.T, src string) *Platform {
	t.Helper()
	p, err := Load(writeSource(t, map[string]string{"platform.cue": src}))
	if err != nil {
		t.Fatalf("loading: %v", err)
	}
	return p
}

// TestClusterDefaults: kind "cluster" alone makes a cluster, every
// setting at its default, so a host becomes a cluster in one line.
func TestClusterDefaults(t *testing.T) {
	p := loadCluster(t, clusterSource)
	c := p.Host("k3s").Cluster
	if c == nil {
		t.Fatal("the cluster host has no cluster settings")
	}
	want := Cluster{Namespace: "{platform}", Expose: ExposeNodePort, NodePorts: PortSpan{30000, 32767},
		DNSDomain: "cluster.local", VolumeSize: "1Gi", CloudflaredImage: c.CloudflaredImage}
	if c.CloudflaredImage == "" || c.Namespace != want.Namespace || c.Expose != want.Expose ||
		c.NodePorts != want.NodePorts || c.DNSDomain != want.DNSDomain || c.VolumeSize != want.VolumeSize {
		t.Errorf("defaults = %+v, want %+v", *c, want)
	}
	if got := p.Namespace(p.Service("web")); got != "demo" {
		t.Errorf("namespace of web = %q, want demo", got)
	}
	if got := p.Namespace(p.Service("api")); got != "" {
		t.Errorf("namespace of a compose service = %q, want none", got)
	}
}

// TestClusterNamespaceRule: {range} and {tier} give a namespace per
// range or stack.
func TestClusterNamespaceRule(t *testing.T) {
	src := strings.Replace(clusterSource, `kind: "cluster",`, `kind: "cluster", cluster: namespace: "{platform}-{range}-{tier}",`, 1)
	p := loadCluster(t, src)
	if got := p.Namespace(p.Service("web")); got != "demo-web-front" {
		t.Errorf("namespace of web = %q, want demo-web-front", got)
	}
	if got := p.ClusterDNSName(p.Service("web")); got != "web.demo-web-front.svc.cluster.local" {
		t.Errorf("DNS name of web = %q", got)
	}
}

// TestReachAcrossTheClusterBoundary: inside the cluster a service is its
// Service's DNS name at its container port; from outside, the cluster's
// address at the published port; from the cluster, other hosts as other
// machines reach them.
func TestReachAcrossTheClusterBoundary(t *testing.T) {
	p := loadCluster(t, clusterSource)
	inCluster := Vantage{Kind: InCluster, Host: "k3s"}
	cases := []struct {
		name   string
		v      Vantage
		target string
		want   string
	}{
		{"in the cluster", inCluster, "web", "http://web.demo.svc.cluster.local:80"},
		{"unpublished, in the cluster", inCluster, "db", "postgresql://db.demo.svc.cluster.local:5432"},
		{"on the cluster host is in the cluster", Vantage{Kind: OnHost, Host: "k3s"}, "web", "http://web.demo.svc.cluster.local:80"},
		{"cluster to compose host", inCluster, "api", "http://192.0.2.1:8081"},
		{"cluster to LAN machine", inCluster, "stt", "http://192.0.2.2:8082"},
		{"compose network to cluster", Vantage{Kind: InNetwork, Host: "box"}, "web", "http://192.0.2.5:8080"},
		{"LAN machine to cluster", Vantage{Kind: OnHost, Host: "lan"}, "web", "http://192.0.2.5:8080"},
		{"LAN to an unpublished cluster port", Vantage{Kind: OnLAN}, "db", "error: db is not published on host k3s (publish: false)"},
		{"laptop", Vantage{Kind: Laptop}, "web", "http://localhost:8080"},
	}
	for _, c := range cases {
		if got := reachString(p, c.v, p.Service(c.target), MainPort); got != c.want {
			t.Errorf("%s: %s from the %s = %q, want %q", c.name, c.target, c.v, got, c.want)
		}
	}
	if got := p.HomeVantage(p.Service("web")); got != inCluster {
		t.Errorf("home of a cluster service = %v, want %v", got, inCluster)
	}
	if got := inCluster.String(); got != "cluster network of k3s" {
		t.Errorf("vantage string = %q", got)
	}
}

// TestClusterPublishedPortsCollide: published ports of a cluster take
// its nodes' ports and collide as a compose host's do.
func TestClusterPublishedPortsCollide(t *testing.T) {
	src := strings.ReplaceAll(clusterSource, `port: 5432, publish: false,`, `port: 5432,`)
	_, err := Load(writeSource(t, map[string]string{"platform.cue": src}))
	if err == nil || !strings.Contains(err.Error(), "db: port 5432 on host k3s is already taken by cache") {
		t.Fatalf("error = %v, want the collision of db and cache", err)
	}
}
