// Package synthetic writes synthetic platform sources of any size, for
// the benchmarks of load, validation, generation and check. The shape
// follows a real platform so that every generator does real work: four
// hosts (two compose hosts, one of them with a tunnel, a scheduled-task
// host and a systemd host, all reachable on the LAN), ranges sized to
// fit with room to grow, and services in groups of ten (a database, a
// cache, an API, its web frontend, workers, ...) with needs inside the
// group and across groups and hosts, plain env values, secrets, public
// hostnames, probes, metrics on main and named ports, and compose blocks
// with image, build, healthcheck and volumes.
//
// In the ClusterEdge layout the second compose host is a Kubernetes
// cluster instead, running the same services from the same compose
// blocks, so that the cluster's manifests can be timed beside compose.
//
// WriteShaped varies the shape as well as the size, from a seed: which
// hosts exist (edge a compose host or a cluster), which runs the
// tunnel, how containers are named, and per service its public names,
// probes, metrics, needs, published ports, port variable and
// deployment; property tests run over many seeds.
//
// Every source it writes loads without errors; its test proves that.
package synthetic

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// perFile is the number of services in one source file, about what a
// team would keep in a file of its own.
const perFile = 250

// groupSize is the number of services in a group (one of each role).
const groupSize = 10

// blockSize is the number of services in one range; each range spans
// twice as many ports so that it is half full.
const blockSize = 100

// hosts are the machines of the platform; groups go round them.
var hosts = []struct {
	name, kind, address string
}{
	{"core", "compose", "10.0.0.1"},
	{"edge", "compose", "10.0.0.2"},
	{"gpu", "scheduled-task", "10.0.0.3"},
	{"batch", "systemd", "10.0.0.4"},
}

// Layout says what the "edge" host of a platform is.
type Layout int

const (
	// ComposeEdge makes edge a compose host, like core.
	ComposeEdge Layout = iota
	// ClusterEdge makes edge a Kubernetes cluster running the same
	// services from the same compose blocks.
	ClusterEdge
)

// kindOf is the kind of host hi in a layout.
func kindOf(hi int, l Layout) string {
	if l == ClusterEdge && hosts[hi].name == "edge" {
		return "cluster"
	}
	return hosts[hi].kind
}

// Files returns the source files of a platform of n services (at least
// one more, the probe exporter), by path relative to the project root.
// It does not include the definitions: the tool lays its own over the
// source, and a caller that runs `cue` on the source adds a copy.
func Files(n int) map[string][]byte { return FilesFor(n, ComposeEdge) }

// FilesFor is Files in a layout.
func FilesFor(n int, l Layout) map[string][]byte { return fixedShape(l).files(n) }

// ShapedFiles returns the source of a platform of n services whose shape
// the seed varies: which hosts there are (edge a compose host or a
// cluster), which one runs the tunnel, container naming, and per
// service its public names, probes, metrics, needs, published ports,
// port variable and whether it is deployed.
// Every seed gives a source that loads without errors.
func ShapedFiles(n int, seed uint64) map[string][]byte { return shapeOf(seed).files(n) }

func (sh *shape) files(n int) map[string][]byte {
	files := map[string][]byte{
		"schema/platform.cue": []byte(platformFile()),
		"schema/ranges.cue":   []byte(rangesFile(n)),
		"schema/hosts.cue":    []byte(sh.hostsFile(n)),
	}
	for first := 0; first < n; first += perFile {
		var b strings.Builder
		fmt.Fprintf(&b, "// Services %d to %d.\npackage platform\n", first, min(first+perFile, n)-1)
		for i := first; i < min(first+perFile, n); i++ {
			sh.writeService(&b, i, n)
		}
		files[fmt.Sprintf("schema/services_%03d.cue", first/perFile)] = []byte(b.String())
	}
	return files
}

// Write writes the source of a platform of n services below root.
func Write(root string, n int) error { return WriteFor(root, n, ComposeEdge) }

// WriteFor is Write in a layout.
func WriteFor(root string, n int, l Layout) error { return write(root, FilesFor(n, l)) }

// WriteShaped writes the source of ShapedFiles(n, seed) below root.
func WriteShaped(root string, n int, seed uint64) error { return write(root, ShapedFiles(n, seed)) }

func write(root string, files map[string][]byte) error {
	for name, data := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func platformFile() string {
	return `// A synthetic platform for benchmarks.
package platform

platform: {
	name:   "bench"
	domain: "bench.example.com"
	principles: ["Each range has a clear purpose", "Every port assigned exactly once"]
}

outputs: {
	port_doc:   "out/PORT_SCHEMA.md"
	prometheus: "out/prometheus.yml"
	env_dir:    "out/env"
}

prometheus: {
	host:    "core"
	vantage: "compose"
	global: {
		scrape_interval:     "15s"
		evaluation_interval: "15s"
	}
	rule_files: ["/etc/prometheus/alerts.yml"]
	jobs: [{
		job_name: "prometheus"
		static_configs: [{targets: ["localhost:9090"]}]
	}]
	probes: "blackbox-http": {module: "http_2xx", exporter: "blackbox"}
}

services: blackbox: {
	host:        "core"
	port:        9115
	range:       "exporters"
	runtime:     "Go"
	description: "Blackbox exporter for the probes"
	compose: {
		image:   "prom/blackbox-exporter:v0.25.0"
		restart: "unless-stopped"
	}
}
`
}

// rangesFile declares one range per block of services, spanning twice
// the block, and the exporters range of the probe exporter.
func rangesFile(n int) string {
	var b strings.Builder
	b.WriteString("package platform\n\nranges: exporters: {from: 9100, to: 9199, purpose: \"Exporters\"}\n")
	for blk := 0; blk*blockSize < n; blk++ {
		from := mainPort(blk * blockSize)
		fmt.Fprintf(&b, "ranges: %q: {\n\tfrom:    %d\n\tto:      %d\n\tpurpose: \"Services %d to %d\"\n}\n",
			rangeName(blk*blockSize), from, from+2*blockSize-1, blk*blockSize, (blk+1)*blockSize-1)
	}
	return b.String()
}

// hostsFile declares the hosts; compose hosts declare the volumes of
// the databases they run. A cluster publishes ports through
// LoadBalancer Services, so that they stay the ports of the source.
func (sh *shape) hostsFile(n int) string {
	var b strings.Builder
	b.WriteString("package platform\n")
	for _, hi := range sh.hosts {
		h := hosts[hi]
		kind := kindOf(hi, sh.layout)
		fmt.Fprintf(&b, "\nhosts: %s: {\n\ttitle:   %q\n\tkind:    %q\n\taddress: %q\n\treach:   \"lan\"\n",
			h.name, "Host "+h.name, kind, h.address)
		if kind == "cluster" {
			b.WriteString("\tcluster: expose: \"loadbalancer\"\n")
		}
		if kind == "compose" {
			fmt.Fprintf(&b, "\tcompose: {\n\t\tproject:        \"bench-%s\"\n", h.name)
			if sh.containerNames {
				b.WriteString("\t\tcontainer_name: \"{project}-{name}\"\n")
			}
			fmt.Fprintf(&b, "\t\toutput:         \"out/docker-compose.%s.yml\"\n\t\tvolumes: {\n", h.name)
			for g := 0; g*groupSize < n; g++ {
				if sh.hosts[g%len(sh.hosts)] == hi {
					fmt.Fprintf(&b, "\t\t\t%q: name: %q\n", volumeName(g), volumeName(g))
				}
			}
			b.WriteString("\t\t}\n\t}\n")
		}
		if h.name == sh.tunnelHost {
			fmt.Fprintf(&b, "\ttunnel: {\n\t\tid:               \"6f0a2b4c-1d3e-4f5a-8b7c-9d0e1f2a3b4c\"\n\t\tcredentials_file: \"/etc/cloudflared/core.json\"\n\t\toutput:           \"out/cloudflared-core.yml\"\n\t\trules: [{hostname: \"ssh.bench.example.com\", service: \"ssh://localhost:22\"}]\n\t}\n")
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// Roles of the services in a group, by position in the group.
var roles = []string{"db", "cache", "api", "web", "worker", "auth", "search", "mail", "admin", "jobs"}

func serviceName(i int) string { return fmt.Sprintf("%s-%05d", roles[i%groupSize], i/groupSize) }
func rangeName(i int) string   { return fmt.Sprintf("block-%03d", i/blockSize) }
func volumeName(g int) string  { return fmt.Sprintf("db-%05d-data", g) }

// mainPort places service i in the first half of its block's range.
func mainPort(i int) int { return 10000 + (i/blockSize)*2*blockSize + i%blockSize }

// metricsPort is the named metrics port of service i, outside any range
// (only main ports must lie in one).
func metricsPort(i int) int { return 40000 + i }

// member is service i's group-mate of the given role.
func member(i int, role int) int { return i - i%groupSize + role }

// writeService writes service i of a platform of n services.
func (sh *shape) writeService(b *strings.Builder, i, n int) {
	name, role := serviceName(i), i%groupSize
	h := hosts[sh.hostOf(i)]
	kind := kindOf(sh.hostOf(i), sh.layout)
	compose := kind == "compose" || kind == "cluster"
	fmt.Fprintf(b, "\nservices: %q: {\n", name)
	field := func(format string, args ...any) { fmt.Fprintf(b, "\t"+format+"\n", args...) }
	field("host:        %q", h.name)
	field("port:        %d", mainPort(i))
	field("range:       %q", rangeName(i))
	field("tier:        %q", roles[role])
	field("description: %q", fmt.Sprintf("The %s of group %d", roles[role], i/groupSize))
	var needs []string
	need := func(role int, extra string) {
		if t := member(i, role); t < n && t != i && sh.draw(i, fmt.Sprint("need", len(needs)), 4) != 3 {
			needs = append(needs, fmt.Sprintf("{service: %q%s}", serviceName(t), extra))
		}
	}
	switch roles[role] {
	case "db":
		field("scheme:      \"postgresql\"")
		field("runtime:     \"PostgreSQL\"")
		if compose && sh.draw(i, "publish", 2) == 0 {
			field("publish:     false")
		}
		field("secrets: [\"POSTGRES_PASSWORD\"]")
		field("env: {POSTGRES_DB: \"app\", POSTGRES_USER: \"app\"}")
	case "cache":
		field("scheme:      \"redis\"")
		field("runtime:     \"Redis\"")
		if compose && sh.draw(i, "publish", 2) == 0 {
			field("publish:     false")
		}
	case "api":
		field("runtime:     \"Go\"")
		sh.portEnv(field, i)
		switch sh.draw(i, "public", 3) {
		case 0:
			field("public: [%q]", publicName(i))
		case 1:
			field("public: [%q, {hostname: %q, path: \"/v2\"}]", publicName(i), "v2."+publicName(i))
		}
		if sh.draw(i, "metrics", 3) != 2 {
			field("metrics: {interval: \"30s\", labels: group: %q}", fmt.Sprint(i/groupSize))
		}
		if sh.draw(i, "public", 3) != 2 && sh.draw(i, "probes", 2) == 0 {
			field("probes: [{job: \"blackbox-http\", path: \"/health\"}]")
		}
		need(0, `, env: "DATABASE_URL", user: "app", password: "POSTGRES_PASSWORD", path: "/app"`)
		need(1, "")
		if prev := i - groupSize; prev >= 0 {
			// The previous group's API, often on another host.
			needs = append(needs, fmt.Sprintf("{service: %q, env: \"UPSTREAM_URL\", depends: false}", serviceName(prev)))
		}
		field("env: {LOG_LEVEL: \"info\", TIMEOUT: 30, DEBUG: false, CORS_ORIGINS: %q}", "https://"+publicName(i+1))
		field("secrets: [\"SERVICE_KEY\", {env: \"JWT_SECRET\", from: \"SHARED_JWT_SECRET\"}]")
	case "web":
		field("runtime:     \"SvelteKit\"")
		field("frontend_of: %q", serviceName(member(i, 2)))
		field("public: [%q, {hostname: %q, path: \"/assets\"}]", publicName(i), "static."+publicName(i))
		field("probes: [{job: \"blackbox-http\"}]")
		if sh.draw(member(i, 2), "public", 3) != 2 {
			need(2, `, env: "PUBLIC_API_URL", from: "internet"`)
		}
		need(2, `, env: "API_URL"`)
		field("env: {NODE_ENV: \"production\", ORIGIN: %q}", "https://"+publicName(i))
	case "worker", "jobs":
		field("runtime:     \"Go\"")
		sh.portEnv(field, i)
		need(0, `, env: "DATABASE_URL", user: "app", password: "POSTGRES_PASSWORD", path: "/app"`)
		need(1, "")
		need(2, ", depends: false")
		field("env: {CONCURRENCY: 4, QUEUE: %q}", name)
	default:
		field("runtime:     \"Hono/Bun\"")
		sh.portEnv(field, i)
		if sh.draw(i, "deployed", 6) == 5 {
			field("deployed:    false")
		}
		field("ports: metrics: {port: %d, container_port: 9090}", metricsPort(i))
		field("metrics: {port: \"metrics\", path: \"/internal/metrics\"}")
		need(1, "")
		need(2, ", depends: false")
		field("env: {TZ: \"Europe/Berlin\", FEATURE_FLAGS: \"a,b,c\"}")
		field("secrets: [\"SERVICE_KEY\"]")
	}
	if len(needs) > 0 {
		field("needs: [\n\t\t%s,\n\t]", strings.Join(needs, ",\n\t\t"))
	}
	if compose {
		writeCompose(b, i, roles[role])
	}
	b.WriteString("}\n")
}

func publicName(i int) string { return serviceName(i) + ".bench.example.com" }

// writeCompose writes the pass-through compose block of a service on a
// compose host.
func writeCompose(b *strings.Builder, i int, role string) {
	b.WriteString("\tcompose: {\n")
	line := func(format string, args ...any) { fmt.Fprintf(b, "\t\t"+format+"\n", args...) }
	line("restart:   \"unless-stopped\"")
	line("mem_limit: \"256m\"")
	switch role {
	case "db":
		line("image: \"postgres:16-alpine\"")
		line("volumes: [%q]", volumeName(i/groupSize)+":/var/lib/postgresql/data")
		line("healthcheck: {test: [\"CMD-SHELL\", \"pg_isready -U app\"], interval: \"10s\", timeout: \"5s\", retries: 5}")
	case "cache":
		line("image:   \"redis:7-alpine\"")
		line("command: [\"redis-server\", \"--appendonly\", \"yes\"]")
	default:
		line("image: %q", serviceName(i)+":local")
		line("build: {context: %q, dockerfile: \"Dockerfile\"}", "services/"+serviceName(i))
		line("healthcheck: {")
		line("\ttest: [\"CMD\", \"wget\", \"-qO-\", %q]", fmt.Sprintf("http://127.0.0.1:%d/health", mainPort(i)))
		line("\tinterval:     \"30s\"")
		line("\ttimeout:      \"5s\"")
		line("\tretries:      3")
		line("\tstart_period: \"20s\"")
		line("}")
		line("labels: {\"com.example.group\": %q}", fmt.Sprint(i/groupSize))
	}
	b.WriteString("\t}\n")
}
