package cloudflared

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"portschema/generators/gentest"
	"portschema/generators/output"
	"portschema/generators/prepared"
	"portschema/generators/yamlout"
	"portschema/schema"
	"portschema/schema/synthetic"
)

const small = "testdata/small"

func TestGenerateGolden(t *testing.T) {
	files := generate(t, gentest.Load(t, small))
	if len(files) != 1 || files[0].Path != "out/cloudflared-box.yml" {
		t.Fatalf("files %v, want out/cloudflared-box.yml", files)
	}
	if !bytes.HasPrefix(files[0].Data, []byte(output.Header(output.HashComment))) {
		t.Error("the header is not the first line")
	}
	checkGolden(t, "small/cloudflared-box.golden.yml", files[0].Data)
}

func TestGeneratedFileHoldsEveryRule(t *testing.T) {
	p := gentest.Load(t, small)
	for _, f := range generate(t, p) {
		checkGeneratedFile(t, p, f)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	first := generate(t, gentest.Load(t, small))[0].Data
	for range 10 {
		if again := generate(t, gentest.Load(t, small))[0].Data; !bytes.Equal(first, again) {
			t.Fatalf("two runs differ:\n%s\n---\n%s", first, again)
		}
	}
}

// routes lists "hostname path -> service" of a generated file.
func routes(t *testing.T, data []byte) []string {
	t.Helper()
	cfg, err := readTunnel("generated", data)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range cfg.Rules {
		out = append(out, strings.TrimSpace(strings.TrimSpace(r.Hostname+" "+r.Path)+" -> "+r.Service))
	}
	return out
}

func TestRoutes(t *testing.T) {
	got := routes(t, generate(t, gentest.Load(t, small))[0].Data)
	want := []string{
		// Hand-written rules first, in source order.
		"ssh.example.org -> ssh://localhost:22",
		"socket.example.org -> unix:/run/app.sock",
		"gone.example.org -> http_status:410",
		// A path before its bare hostname, exact names before wildcards;
		// on the tunnel's host the published host port (not the
		// container's 8080 or 9000), on another host its LAN address.
		"example.org ^/api/ -> http://localhost:5001",
		"api.example.org -> http://localhost:3016",
		"stt.example.org -> http://10.0.0.3:3020",
		"example.org -> http://localhost:5000",
		"*.example.org -> http://localhost:5000",
		// The service "old" is not deployed: no route.
		"-> http_status:404",
	}
	if !slices.Equal(got, want) {
		t.Errorf("routes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// The drift of the real platform: a route that outlived its service,
// and ports that moved. Here both follow the model.
func TestRoutesFollowTheModel(t *testing.T) {
	p := gentest.Load(t, small)
	p.Service("api").Port = 3017
	p.Service("stt").Deployed = false
	got := strings.Join(routes(t, generate(t, p)[0].Data), "\n")
	if !strings.Contains(got, "api.example.org -> http://localhost:3017") {
		t.Errorf("the route did not follow the port:\n%s", got)
	}
	if strings.Contains(got, "stt.example.org") {
		t.Errorf("a service no longer deployed kept its route:\n%s", got)
	}
}

func TestWildcardIsQuoted(t *testing.T) {
	data := generate(t, gentest.Load(t, small))[0].Data
	if !bytes.Contains(data, []byte("hostname: '*.example.org'\n")) && !bytes.Contains(data, []byte(`hostname: "*.example.org"`+"\n")) {
		t.Errorf("wildcard hostname not quoted:\n%s", data)
	}
}

func TestOriginRequestAndComments(t *testing.T) {
	data := string(generate(t, gentest.Load(t, small))[0].Data)
	for _, want := range []string{
		"originRequest:\n  connectTimeout: 30s\n  keepAliveConnections: 100\n",
		"  # SSH access\n  - hostname: ssh.example.org\n",
		"  # stt: Speech to text (on gpu)\n  - hostname: stt.example.org\n",
	} {
		if !strings.Contains(data, want) {
			t.Errorf("missing %q in:\n%s", want, data)
		}
	}
}

func TestOutputPathFromSource(t *testing.T) {
	p := gentest.Load(t, small)
	p.Host("box").Tunnel.Output = "deploy/cloudflared/config.yml"
	if files := generate(t, p); files[0].Path != "deploy/cloudflared/config.yml" {
		t.Errorf("path %s", files[0].Path)
	}
}

func TestNoTunnelNoFiles(t *testing.T) {
	p := gentest.Load(t, small)
	p.Host("box").Tunnel = nil
	if files := generate(t, p); len(files) != 0 {
		t.Errorf("files without a tunnel: %v", files)
	}
}

// With two tunnels each routes its own host's services; a service on a
// host without a tunnel cannot be assigned and is an error.
func TestWhichTunnelRoutes(t *testing.T) {
	p := gentest.Load(t, small)
	p.Host("gpu").Tunnel = &schema.Tunnel{ID: "gpu-tunnel", CredentialsFile: "C:/cloudflared/gpu.json"}
	files := generate(t, p)
	if len(files) != 2 || files[1].Path != "out/cloudflared-gpu.yml" {
		t.Fatalf("files %v", files)
	}
	box, gpu := strings.Join(routes(t, files[0].Data), "\n"), strings.Join(routes(t, files[1].Data), "\n")
	if strings.Contains(box, "stt.example.org") || !strings.Contains(gpu, "stt.example.org -> http://localhost:3020") {
		t.Errorf("stt should move to the gpu tunnel, on localhost:\nbox:\n%s\ngpu:\n%s", box, gpu)
	}
	for _, f := range files {
		checkGeneratedFile(t, p, f)
	}

	p.Service("stt").Host, p.Service("stt").HostRef = "nas", p.Host("nas")
	_, err := prepared.Generate(Prepare, p)
	wantError(t, err, "schema/platform.cue:51:3: stt: no tunnel routes its public hostnames: host nas runs none and the platform has several (box, gpu)")
}

func wantError(t *testing.T, err error, want ...string) {
	t.Helper()
	ds, ok := err.(schema.Diagnostics)
	if !ok {
		t.Fatalf("error %v (%T), want schema.Diagnostics", err, err)
	}
	text := ds.Error()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("diagnostics lack %q:\n%s", w, text)
		}
	}
	for _, d := range ds {
		if d.Pos.Line == 0 {
			t.Errorf("diagnostic without a line: %s", d)
		}
	}
}

func TestSourceErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *schema.Platform)
		want   []string
	}{
		{"unpublished service", func(p *schema.Platform) {
			p.Service("internal").Public = []schema.Public{{Hostname: "internal.example.org"}}
		}, []string{"internal: the tunnel on box cannot reach internal.example.org: internal is not published on host box"}},
		{"host reached only publicly", func(p *schema.Platform) {
			p.Host("gpu").Reach = schema.ReachPublic
		}, []string{"stt: the tunnel on box cannot reach host gpu, which is reached only through public hostnames"}},
		{"misspelt origin setting", func(p *schema.Platform) {
			p.Host("box").Tunnel.OriginRequest["no_tls_verify"] = true
		}, []string{`host box: "no_tls_verify" is not an originRequest setting`}},
		{"hand-written catch-all", func(p *schema.Platform) {
			p.Host("box").Tunnel.Rules[1] = schema.TunnelRule{Service: "http_status:404"}
		}, []string{"host box: tunnel rule 1 matches every request"}},
		{"hand-written bad service", func(p *schema.Platform) {
			p.Host("box").Tunnel.Rules[0].Service = "localhost:22"
			p.Host("box").Tunnel.Rules[2].Service = "http_status:42"
		}, []string{`tunnel rule 0: service "localhost:22" needs a scheme and a host`, "tunnel rule 2: service \"http_status:42\": http_status needs a status code"}},
		{"bad path", func(p *schema.Platform) {
			p.Service("web").Public[2].Path = "^/(api"
		}, []string{`web: path "^/(api" is not a valid regular expression`}},
		{"hand-written rule hides another", func(p *schema.Platform) {
			p.Host("box").Tunnel.Rules[0].Hostname = "*.example.org"
		}, []string{"tunnel on box: the route of socket.example.org is never used: an earlier rule for *.example.org matches first"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := gentest.Load(t, small)
			tt.change(p)
			_, err := prepared.Generate(Prepare, p)
			wantError(t, err, tt.want...)
		})
	}
}

// Written a batch of rules at a time, a tunnel file has the bytes one
// call of the encoder gives, for this project's tunnel and a synthetic
// one of hundreds of rules.
func TestMarshalIsOneEncoderCall(t *testing.T) {
	many := t.TempDir()
	if err := synthetic.Write(many, 500); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"../..", many} {
		p := gentest.Load(t, root)
		for _, h := range tunnelHosts(p) {
			var routed []*schema.Service
			for _, s := range p.Services {
				if s.Deployed && len(s.Public) > 0 && s.Host == h.Name {
					routed = append(routed, s)
				}
			}
			cfg, diags := tunnelConfig(p, h, routed)
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			got, err := cfg.marshal()
			if err != nil {
				t.Fatal(err)
			}
			want, err := yamlout.Marshal(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(cfg.Ingress) < 2 || !bytes.Equal(got, want) {
				t.Errorf("%s: %d rules written in batches differ from one call:\n%s\nwant\n%s", h.Name, len(cfg.Ingress), got, want)
			}
		}
	}
}

// Rules written by hand keep their order and take what the user meant
// them to: a hand-written wildcard does not hide a service's exact
// hostname, and a longer path comes before a shorter one it contains.
func TestOrderHidesNoRule(t *testing.T) {
	p := gentest.Load(t, small)
	h := p.Host("box")
	h.Tunnel.Rules = []schema.TunnelRule{
		{Hostname: "ssh.example.org", Service: "ssh://localhost:22"},
		{Hostname: "*.example.org", Service: "http_status:403"},
	}
	p.Service("api").Public = []schema.Public{{Hostname: "api.example.org", Path: "/v1"}, {Hostname: "api.example.org", Path: "/v1/admin", Port: ""}}
	p.Service("web").Public = []schema.Public{{Hostname: "example.org"}}
	files, err := prepared.Generate(Prepare, p)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := readTunnel("generated", files[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ host, path, want string }{
		{"api.example.org", "/v1/admin/users", "http://localhost:3016"},
		{"api.example.org", "/v1/x", "http://localhost:3016"},
		{"api.example.org", "/other", "http_status:403"},
		{"ssh.example.org", "/", "ssh://localhost:22"},
		{"example.org", "/", "http://localhost:5000"},
		{"else.example.org", "/", "http_status:403"},
		{"elsewhere.net", "/", "http_status:404"},
	} {
		if got := firstMatch(t, cfg.Rules, c.host, c.path); got != c.want {
			t.Errorf("%s%s goes to %s, want %s\n%s", c.host, c.path, got, c.want, strings.Join(routes(t, files[0].Data), "\n"))
		}
	}
	got := routes(t, files[0].Data)
	want := []string{
		// In the order written, each public hostname just before the
		// first hand-written rule that could take its requests.
		"ssh.example.org -> ssh://localhost:22",
		"api.example.org /v1/admin -> http://localhost:3016",
		"api.example.org /v1 -> http://localhost:3016",
		"stt.example.org -> http://10.0.0.3:3020",
		"*.example.org -> http_status:403",
		"example.org -> http://localhost:5000",
		"-> http_status:404",
	}
	if !slices.Equal(got, want) {
		t.Errorf("routes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
