package kubernetes

import (
	"fmt"
	"strings"
	"testing"

	"portschema/schema"
)

// brokenCase is a mistake in testdata/cluster's source: the tool must
// report it at its position before writing anything; where the API
// would reject the manifest the mistake makes, server says how (see
// TestServerRejectsWhatTheToolRejects).
type brokenCase struct {
	name     string
	from, to string
	// at is the text the diagnostic points at, in the broken source.
	at      string
	message string
	// server is part of the API server's rejection of file, a path
	// below the cluster's directory.
	server, file string
}

var brokenCases = []brokenCase{
	{name: "service name ends with a dash", from: "\tlegacy: {", to: "\t\"legacy-\": {", at: `"legacy-": {`,
		message: "legacy-: the name of a Kubernetes Service must be at most 63 lower-case letters",
		server:  `metadata.name: Invalid value: "legacy-": a DNS-1035 label must consist of lower case alphanumeric characters or '-'`,
		file:    "services/legacy-.yaml"},
	{name: "node port outside the API server's range", from: "port: 3000, container_port: 8080", to: `port: 40000, exception: "moved", container_port: 8080`,
		at:      "40000, exception",
		message: "web: port 40000 is published as a node port of cluster k3s, whose node ports run from 3000 to 32767",
		server:  "spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 3000-32767"},
	{name: "port name too long", from: "ports: admin: {port: 9001,", to: `ports: "administration-ui": {port: 9001,`, at: "9001, publish",
		message: "api: port name administration-ui cannot name a Kubernetes port: at most 15",
		server:  `ports[1].name: Invalid value: "administration-ui": must be no more than 15 characters`, file: "services/api.yaml"},
	{name: "namespace not a DNS label", from: `namespace: "{platform}-{range}"`, to: `namespace: "{platform}_{range}"`, at: `"{platform}_{range}"`,
		message: `cluster k3s: the namespace of api would be "demo_web", which is not a DNS label`,
		server:  `metadata.name: Invalid value: "demo_web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`},
	{name: "tier not a label value", from: `range: "web", tier: "front"`, to: `range: "web", tier: "front-"`, at: `"front-"`,
		message: `web: tier "front-" cannot be a Kubernetes label value`,
		server:  `metadata.labels: Invalid value: "front-": a valid label must be an empty string or consist of alphanumeric characters`,
		file:    "services/web.yaml"},
	{name: "two ports on one container port", from: "ports: admin: {port: 9001,", to: "ports: admin: {port: 9001, container_port: 3001,", at: "9001, container_port: 3001",
		message: "api: ports api and api:admin both listen on container port 3001/tcp",
		server:  `spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP"`, file: "services/api.yaml"},
	{name: "node port taken by another service", from: `compose: {image: "ghcr.io/demo/legacy:0.9", restart: "always"}`,
		to: "ports: u: {port: 3000, protocol: \"udp\"}\n\t\tcompose: {image: \"ghcr.io/demo/legacy:0.9\", restart: \"always\"}",
		at: "3000, container_port: 8080", message: "web: node port 3000 of cluster k3s is already legacy:u's",
		server: "spec.ports[0].nodePort: Invalid value: 3000: provided port is already allocated"},
	{name: "named volume shared", from: "compose: image: \"ghcr.io/demo/api:2.0\"\n\t}", to: "compose: {image: \"ghcr.io/demo/api:2.0\", volumes: [\"db_data:/data\"]}\n\t}",
		at: `"db_data:/data"`, message: "migrate: volume db_data is also db's; in a cluster a named volume is one StatefulSet's claim"},
	{name: "build without image", from: `image: "ghcr.io/demo/legacy:0.9",`, to: `build: ".",`, at: `".", restart`,
		message: "legacy: a cluster pulls images and this compose block only builds one; set compose.image"},
	{name: "compose key without translation", from: `mem_limit: "256m"`, to: `mem_limit: "256m", ulimits: nofile: 1024`, at: "ulimits: nofile",
		message: "web: compose key ulimits has no translation to a Kubernetes cluster"},
	{name: "interpolation with a fallback", from: "--home $$HOME", to: "--home ${HOME:-/root}", at: `"serve --token`,
		message: "${HOME:-/root} falls back to another value when HOME is unset, which a cluster cannot do"},
	{name: "probe reading the host's environment", from: `"/bin/api", "health"]`, to: `"/bin/api", "health", "${API_TOKEN}"]`, at: `"${API_TOKEN}"`,
		message: "api: healthcheck test reads ${API_TOKEN} from the host's environment"},
	{name: "project path without project_dir", from: `project_dir: "/srv/demo"`, to: ``, at: `"./conf/api.yaml`,
		message: "api: volume source ./conf/api.yaml is a path in the project; set cluster.project_dir on host k3s"},
	{name: "named volume run once", from: "restart:  \"always\"\n\t\t\tshm_size", to: "restart:  \"no\"\n\t\t\tshm_size", at: "volumes: [\"db_data:/var",
		message: `db: keeps data in a named volume, which makes it a StatefulSet, and runs once (restart "no")`},
	{name: "relative tunnel credentials", from: `credentials_file: "/etc/cloudflared/`, to: `credentials_file: "etc/cloudflared/`, at: `"etc/cloudflared/`,
		message: "cluster k3s: in the cluster the tunnel's credentials file is mounted from the Secret cloudflared-credentials"},
}

// broken applies a case to testdata/cluster's source and loads it.
func (c brokenCase) broken(t *testing.T) (src string, p *schema.Platform) {
	t.Helper()
	orig := clusterSource(t)
	if !strings.Contains(orig, c.from) {
		t.Fatalf("%s: testdata/cluster has no %q", c.name, c.from)
	}
	src = strings.Replace(orig, c.from, c.to, 1)
	p, err := schema.Load(writeSource(t, src))
	if err != nil {
		t.Fatalf("%s: the source should load, the generator finding the mistake: %v", c.name, err)
	}
	return src, p
}

// posOf is the position of the first occurrence of text in src.
func posOf(t *testing.T, src, text string) string {
	t.Helper()
	i := strings.Index(src, text)
	if i < 0 || strings.Contains(src[i+1:], text) {
		t.Fatalf("%q is not in the source exactly once", text)
	}
	line := strings.Count(src[:i], "\n") + 1
	col := i - strings.LastIndex(src[:i], "\n")
	return fmt.Sprintf("schema/platform.cue:%d:%d", line, col)
}

// TestBrokenSourcesAreReportedAtTheirPosition: each mistake is an error
// of Check at the value that makes it, in words; the pipeline then runs
// no generator and writes nothing (testdata/script/bad_cluster.txtar).
func TestBrokenSourcesAreReportedAtTheirPosition(t *testing.T) {
	for _, c := range brokenCases {
		t.Run(c.name, func(t *testing.T) {
			src, p := c.broken(t)
			ds := check(p)
			if ds.Errors() == 0 {
				t.Fatalf("Check = %v; want errors", ds)
			}
			want := posOf(t, src, c.at) + ": "
			for _, d := range ds {
				if strings.HasPrefix(d.String(), want) && strings.Contains(d.Message, c.message) {
					return
				}
			}
			t.Errorf("no diagnostic %s…%s…, got:\n%v", want, c.message, ds)
		})
	}
}

// TestAllProblemsAtOnce: several mistakes are all reported in one run,
// sorted by position.
func TestAllProblemsAtOnce(t *testing.T) {
	src := clusterSource(t)
	for _, c := range []brokenCase{brokenCases[0], brokenCases[2], brokenCases[9]} {
		src = strings.Replace(src, c.from, c.to, 1)
	}
	p, err := schema.Load(writeSource(t, src))
	if err != nil {
		t.Fatal(err)
	}
	ds := check(p)
	if len(ds) != 3 {
		t.Fatalf("got %v, want three diagnostics", ds)
	}
	for i := 1; i < len(ds); i++ {
		if ds[i].Pos.Less(ds[i-1].Pos) {
			t.Errorf("diagnostics not sorted:\n%v", ds)
		}
	}
}
