package schema

import (
	"errors"
	"strings"
	"testing"
)

// loadVantage loads the platform of testdata/vantage/reach, which has one
// target per situation a URL can be read in.
func loadVantage(t *testing.T) *Platform {
	t.Helper()
	p, err := Load("testdata/vantage/reach")
	if err != nil {
		t.Fatalf("loading the vantage platform: %v", err)
	}
	return p
}

// vantages are the columns of TestReach: every vantage kind, and the
// machines each can stand on.
var vantages = map[string]Vantage{
	"network":  {Kind: InNetwork, Host: "box"},
	"host":     {Kind: OnHost, Host: "box"},
	"lan":      {Kind: OnLAN},
	"on-lan":   {Kind: OnLAN, Host: "lan"},
	"internet": {Kind: Internet},
	"laptop":   {Kind: Laptop},
}

// TestReach covers every vantage kind against every situation of a
// target: on the vantage's host, on another host reached through its
// LAN address, its public hostnames or not at all, on a host without an
// address, unpublished, in the host's network, by named port, without
// a public hostname. A want starting with "error: " is a substring of
// the error.
func TestReach(t *testing.T) {
	p := loadVantage(t)
	cases := []struct {
		target, port string
		want         map[string]string
	}{
		{"api", MainPort, map[string]string{
			"network":  "http://api:80",
			"host":     "http://localhost:8080",
			"lan":      "http://192.0.2.1:8080",
			"on-lan":   "http://192.0.2.1:8080",
			"internet": "https://api.example.com",
			"laptop":   "http://localhost:8080",
		}},
		{"api", "admin", map[string]string{
			"network":  "http://api:9000",
			"host":     "http://localhost:9090",
			"lan":      "http://192.0.2.1:9090",
			"on-lan":   "http://192.0.2.1:9090",
			"internet": "https://admin.example.com",
			"laptop":   "http://localhost:9090",
		}},
		{"api", "nope", map[string]string{
			"network":  `error: api has no port named "nope"`,
			"host":     `error: api has no port named "nope"`,
			"lan":      `error: api has no port named "nope"`,
			"on-lan":   `error: api has no port named "nope"`,
			"internet": `error: api has no port named "nope"`,
			"laptop":   `error: api has no port named "nope"`,
		}},
		{"db", MainPort, map[string]string{
			"network":  "postgresql://db:5432",
			"host":     "error: db is not published on host box (publish: false)",
			"lan":      "error: db is not published on host box (publish: false)",
			"on-lan":   "error: db is not published on host box (publish: false)",
			"internet": "error: db has no public hostname",
			"laptop":   "postgresql://localhost:5432",
		}},
		{"hostnet", MainPort, map[string]string{
			"network":  "http://192.0.2.1:7070",
			"host":     "http://localhost:7070",
			"lan":      "http://192.0.2.1:7070",
			"on-lan":   "http://192.0.2.1:7070",
			"internet": "error: hostnet has no public hostname",
			"laptop":   "http://localhost:7070",
		}},
		{"stt", MainPort, map[string]string{
			"network":  "http://192.0.2.2:3020",
			"host":     "http://192.0.2.2:3020",
			"lan":      "http://192.0.2.2:3020",
			"on-lan":   "http://localhost:3020",
			"internet": "https://stt.example.com",
			"laptop":   "http://localhost:3020",
		}},
		{"cache", MainPort, map[string]string{
			"network":  "redis://192.0.2.2:6379",
			"host":     "redis://192.0.2.2:6379",
			"lan":      "redis://192.0.2.2:6379",
			"on-lan":   "redis://localhost:6379",
			"internet": "error: cache speaks redis, which its public hostname (HTTPS) does not carry",
			"laptop":   "redis://localhost:6379",
		}},
		{"ipv6", MainPort, map[string]string{
			"network":  "http://[2001:db8::2]:3030",
			"host":     "http://[2001:db8::2]:3030",
			"lan":      "http://[2001:db8::2]:3030",
			"on-lan":   "http://[2001:db8::2]:3030",
			"internet": "error: ipv6 has no public hostname",
			"laptop":   "http://localhost:3030",
		}},
		{"gpu", MainPort, map[string]string{
			"network":  "https://gpu-all.example.com",
			"host":     "https://gpu-all.example.com",
			"lan":      "https://gpu-all.example.com",
			"on-lan":   "https://gpu-all.example.com",
			"internet": "https://gpu-all.example.com",
			"laptop":   "http://localhost:3040",
		}},
		{"nopub", MainPort, map[string]string{
			"network":  "error: nopub has no public hostname",
			"host":     "error: nopub has no public hostname",
			"lan":      "error: nopub has no public hostname",
			"on-lan":   "error: nopub has no public hostname",
			"internet": "error: nopub has no public hostname",
			"laptop":   "http://localhost:3041",
		}},
		{"hidden", MainPort, map[string]string{
			"network":  "https://hidden.example.com",
			"host":     "https://hidden.example.com",
			"lan":      "https://hidden.example.com",
			"on-lan":   "https://hidden.example.com",
			"internet": "https://hidden.example.com",
			"laptop":   "http://localhost:3042",
		}},
		{"vault", MainPort, map[string]string{
			"network":  `error: host closed is not reachable from other hosts (reach: "none")`,
			"host":     `error: host closed is not reachable from other hosts (reach: "none")`,
			"lan":      `error: host closed is not reachable from other hosts (reach: "none")`,
			"on-lan":   `error: host closed is not reachable from other hosts (reach: "none")`,
			"internet": "https://vault.example.com",
			"laptop":   "http://localhost:8200",
		}},
		{"island", MainPort, map[string]string{
			"network":  "error: host noaddr has no address, so island cannot be reached from other hosts",
			"host":     "error: host noaddr has no address, so island cannot be reached from other hosts",
			"lan":      "error: host noaddr has no address, so island cannot be reached from other hosts",
			"on-lan":   "error: host noaddr has no address, so island cannot be reached from other hosts",
			"internet": "error: island has no public hostname",
			"laptop":   "http://localhost:7000",
		}},
	}
	for _, c := range cases {
		target := p.Service(c.target)
		if target == nil {
			t.Fatalf("no service %s in the test platform", c.target)
		}
		if len(c.want) != len(vantages) {
			t.Errorf("%s:%s: %d vantages expected, the table has %d", c.target, c.port, len(vantages), len(c.want))
		}
		for name, v := range vantages {
			got := reachString(p, v, target, c.port)
			if want := c.want[name]; got != want {
				t.Errorf("%s:%s from %s (%s):\n got %s\nwant %s", c.target, c.port, name, v, got, want)
			}
		}
	}
}

// reachString renders Reach's answer as a URL or "error: message".
func reachString(p *Platform, v Vantage, target *Service, port string) string {
	ep, err := p.Reach(v, target, port)
	if err != nil {
		return "error: " + err.Error()
	}
	return ep.URL()
}

// TestReachFromOtherHosts: a machine sees its own services on
// localhost, unless only the compose network has them; a compose
// network exists only on compose hosts.
func TestReachFromOtherHosts(t *testing.T) {
	p := loadVantage(t)
	cases := []struct {
		v      Vantage
		target string
		want   string
	}{
		{Vantage{Kind: OnHost, Host: "pub"}, "gpu", "http://localhost:3040"},
		{Vantage{Kind: OnHost, Host: "pub"}, "hidden", "error: hidden is not published on host pub (publish: false)"},
		{Vantage{Kind: InNetwork, Host: "pub"}, "hidden", "http://hidden:3042"},
		{Vantage{Kind: InNetwork, Host: "pub"}, "api", "http://192.0.2.1:8080"},
		{Vantage{Kind: OnHost, Host: "closed"}, "vault", "http://localhost:8200"},
		{Vantage{Kind: OnHost, Host: "noaddr"}, "island", "http://localhost:7000"},
		{Vantage{Kind: InNetwork, Host: "lan"}, "stt", "error: host lan has no compose network"},
	}
	for _, c := range cases {
		if got := reachString(p, c.v, p.Service(c.target), MainPort); got != c.want {
			t.Errorf("%s from %s:\n got %s\nwant %s", c.target, c.v, got, c.want)
		}
	}
}

func TestHomeVantage(t *testing.T) {
	p := loadVantage(t)
	for name, want := range map[string]Vantage{
		"api":     {Kind: InNetwork, Host: "box"},
		"hostnet": {Kind: OnHost, Host: "box"},
		"stt":     {Kind: OnHost, Host: "lan"},
		"gpu":     {Kind: InNetwork, Host: "pub"},
	} {
		if got := p.HomeVantage(p.Service(name)); got != want {
			t.Errorf("home of %s: got %s, want %s", name, got, want)
		}
	}
}

// TestNeedURL covers what a need adds to the endpoint: user, password
// reference, path, scheme, and the vantage it asks for.
func TestNeedURL(t *testing.T) {
	p := loadVantage(t)
	network := vantages["network"]
	cases := []struct {
		name string
		v    Vantage
		need Need
		want string
	}{
		{"plain", network, Need{Service: "api"}, "http://api:80"},
		{"user and password", network, Need{Service: "db", User: "postgres", Password: "PG_PASSWORD", Path: "/app?sslmode=disable"},
			"postgresql://postgres:${PG_PASSWORD}@db:5432/app?sslmode=disable"},
		{"password without user", network, Need{Service: "cache", Password: "REDIS_PASSWORD", Path: "/1"},
			"redis://:${REDIS_PASSWORD}@192.0.2.2:6379/1"},
		{"user without password", network, Need{Service: "cache", User: "default"}, "redis://default@192.0.2.2:6379"},
		{"named port", network, Need{Service: "api", Port: "admin", Path: "/health"}, "http://api:9000/health"},
		{"scheme", network, Need{Service: "api", Scheme: "ws"}, "ws://api:80"},
		{"scheme behind TLS", network, Need{Service: "stt", Scheme: "ws", From: Internet}, "wss://stt.example.com"},
		{"scheme a tunnel cannot carry", network, Need{Service: "stt", Scheme: "postgresql", From: Internet},
			"error: scheme postgresql does not pass the public hostname of stt (HTTPS)"},
		{"from internet", network, Need{Service: "api", From: Internet, Path: "/v1"}, "https://api.example.com/v1"},
		{"from lan on the same host", network, Need{Service: "api", From: OnLAN}, "http://192.0.2.1:8080"},
		{"from lan, unpublished", network, Need{Service: "db", From: OnLAN}, "error: db is not published on host box (publish: false)"},
		{"laptop ignores from internet", vantages["laptop"], Need{Service: "api", From: Internet}, "http://localhost:8080"},
		{"laptop ignores from lan", vantages["laptop"], Need{Service: "db", From: OnLAN, User: "u", Password: "P"},
			"postgresql://u:${P}@localhost:5432"},
		{"unknown service", network, Need{Service: "ghost"}, `error: unknown service "ghost"`},
	}
	for _, c := range cases {
		c.need.Target = p.Service(c.need.Service)
		got, err := p.NeedURL(c.v, c.need)
		if err != nil {
			got = "error: " + err.Error()
		}
		if got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

// TestNeedSecretURLKeepsTheReferenceApart: the parts around the
// password are plain text, so a writer can quote them and keep only the
// reference live.
func TestNeedSecretURLKeepsTheReferenceApart(t *testing.T) {
	p := loadVantage(t)
	u, err := p.NeedSecretURL(vantages["laptop"], Need{Service: "db", Target: p.Service("db"), User: "app", Password: "DB_PASSWORD", Path: "/x?a=${b}"})
	if err != nil {
		t.Fatal(err)
	}
	want := SecretURL{Head: "postgresql://app:", Secret: "DB_PASSWORD", Tail: "@localhost:5432/x?a=${b}"}
	if u != want {
		t.Errorf("got %#v, want %#v", u, want)
	}
}

// TestUnreachableNeedIsALoadError: a need that its service's home
// cannot reach fails the load, at the need's position in the source.
func TestUnreachableNeedIsALoadError(t *testing.T) {
	_, err := Load("testdata/vantage/unreachable")
	var diags Diagnostics
	if !errors.As(err, &diags) {
		t.Fatalf("want Diagnostics, got %v", err)
	}
	want := []string{
		`schema/platform.cue:16:4: web: cannot reach vault from the compose network of box: host closed is not reachable from other hosts (reach: "none") (schema/platform.cue:21:2)`,
		`schema/platform.cue:17:4: web: cannot reach db from the compose network of box: db is not published on host box (publish: false) (schema/platform.cue:20:2)`,
	}
	if got := strings.Split(diags.Error(), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := diags[0]; d.Pos != (Pos{File: "schema/platform.cue", Line: 16, Col: 4}) {
		t.Errorf("first diagnostic at %#v, want the need at schema/platform.cue:16:4", d.Pos)
	}
}

// Every keyword the definitions allow for a vantage (a need's from:,
// prometheus' vantage:) reads as one kind and writes back the same.
func TestVantageKeywords(t *testing.T) {
	for word, want := range map[string]VantageKind{"compose": InNetwork, "host": OnHost, "lan": OnLAN, "internet": Internet, "laptop": Laptop} {
		var k VantageKind
		if err := k.UnmarshalText([]byte(word)); err != nil || k != want {
			t.Errorf("%q reads as %v, %v; want %v", word, k, err, want)
		}
		if back, _ := k.MarshalText(); string(back) != word {
			t.Errorf("%v writes %q, want %q", k, back, word)
		}
	}
	var k VantageKind
	if err := k.UnmarshalText([]byte("moon")); err == nil {
		t.Error("an unknown keyword was read")
	}
}

// The source's vantage keywords are read into VantageKind when it is
// decoded, and a need points at its target once loaded.
func TestVantagesAndTargetsAreDecoded(t *testing.T) {
	root := writeSource(t, map[string]string{"base.cue": base, "services.cue": `package platform

services: a: {host: "mini", port: 3001, range: "core", needs: ["b", {service: "b", env: "B_LAN", from: "lan"}]}
services: b: {host: "mini", port: 3002, range: "core"}
prometheus: {host: "mini", vantage: "host"}
`})
	p, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	a, b := p.Service("a"), p.Service("b")
	if n := a.Needs; n[0].From != Home || n[1].From != OnLAN || n[0].Target != b || n[1].Target != b {
		t.Errorf("needs decoded as %+v", n)
	}
	if pr := p.Prometheus; pr.Vantage != OnHost || pr.HostRef != p.Host("mini") {
		t.Errorf("prometheus decoded as %+v", pr)
	}
	if !p.Resolved() || a.HostRef != p.Host("mini") || a.RangeRef != p.Range("core") || len(p.Host("mini").Services) != 2 {
		t.Errorf("references not resolved: %+v", a)
	}
}

func TestEndpointHostPort(t *testing.T) {
	for _, c := range []struct {
		ep   Endpoint
		want string
	}{
		{Endpoint{Host: "a", Port: 1}, "a:1"},
		{Endpoint{Host: "a.example.com"}, "a.example.com"},
		{Endpoint{Host: "2001:db8::1", Port: 80}, "[2001:db8::1]:80"},
		{Endpoint{Host: "2001:db8::1"}, "[2001:db8::1]"},
	} {
		if got := c.ep.HostPort(); got != c.want {
			t.Errorf("%#v: got %s, want %s", c.ep, got, c.want)
		}
	}
}

// TestLaptopClashes: twin and api take 8080 on different hosts, which
// is fine there but not on a laptop that runs both.
func TestLaptopClashes(t *testing.T) {
	p := loadVantage(t)
	want := "schema/platform.cue:41:28: warning: twin: on a laptop running every service on localhost, port 8080 is also api's (host box) (schema/platform.cue:21:22)"
	if got := p.LaptopClashes().Error(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}
