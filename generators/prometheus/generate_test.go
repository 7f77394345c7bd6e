package prometheus

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"portschema/generators/gentest"
	"portschema/generators/output"
	"portschema/generators/yamlout"
	"portschema/schema"
	"portschema/schema/synthetic"
)

func TestGenerateGolden(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	files, err := generateFiles(p)
	if err != nil {
		t.Fatal(err)
	}
	// The source names no path: the definitions' default holds.
	if want := "out/prometheus.yml"; len(files) != 1 || files[0].Path != want {
		t.Fatalf("files = %v, want one at %s", files, want)
	}
	if !bytes.HasPrefix(files[0].Data, []byte(output.Header(output.HashComment))) {
		t.Errorf("the header is not the first line")
	}
	checkGolden(t, "small/prometheus.golden.yml", files[0].Data)
}

func TestGenerateIsDeterministic(t *testing.T) {
	first := generate(t, gentest.Load(t, "testdata/small"))
	for range 10 {
		if again := generate(t, gentest.Load(t, "testdata/small")); !bytes.Equal(first, again) {
			t.Fatalf("two runs differ:\n%s\n---\n%s", first, again)
		}
	}
}

func TestTargetsComeFromTheVantage(t *testing.T) {
	tests := []struct {
		vantage schema.VantageKind
		job     string
		want    string
	}{
		// Inside the compose network: service name and container port.
		{schema.InNetwork, "sync", "sync:8080"},
		{schema.InNetwork, "api-gateway", "api:3016"},
		// On the host: localhost and the published host port.
		{schema.OnHost, "sync", "localhost:3010"},
		// Another host: its LAN address, from either vantage.
		{schema.InNetwork, "stt", "10.0.0.3:3020"},
		{schema.OnHost, "stt", "10.0.0.3:3020"},
	}
	for _, tt := range tests {
		p := gentest.Load(t, "testdata/small")
		p.Prometheus.Vantage = tt.vantage
		if tt.vantage == schema.OnHost {
			// internal is unpublished: not scrapable from the host.
			p.Service("internal").Metrics = nil
			p.Service("blackbox-exporter").Publish = true
		}
		job, ok := parse(t, generate(t, p)).job(tt.job)
		if !ok {
			t.Errorf("%s: no job %s", tt.vantage, tt.job)
			continue
		}
		if got := job.targets(); !slices.Equal(got, []string{tt.want}) {
			t.Errorf("%s vantage: job %s targets %v, want [%s]", tt.vantage, tt.job, got, tt.want)
		}
	}
}

// The drift of the real platform: a port changed in one place and not in
// prometheus.yml. Here the target follows the model.
func TestTargetFollowsThePort(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	p.Service("sync").ContainerPort = 3051
	p.Service("stt").Port = 3025
	cfg := parse(t, generate(t, p))
	for job, want := range map[string]string{"sync": "sync:3051", "stt": "10.0.0.3:3025"} {
		j, _ := cfg.job(job)
		if got := j.targets(); !slices.Equal(got, []string{want}) {
			t.Errorf("job %s targets %v, want [%s]", job, got, want)
		}
	}
}

func TestEveryServiceTargetIsLabelled(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	cfg := parse(t, generate(t, p))
	extra := map[string]bool{"prometheus": true, "pushgateway": true}
	for _, j := range cfg.ScrapeConfigs {
		if extra[j.JobName] {
			continue
		}
		if len(j.StaticConfigs) == 0 {
			t.Errorf("job %s has no targets", j.JobName)
		}
		for _, sc := range j.StaticConfigs {
			s := p.Service(sc.Labels["service"])
			if s == nil {
				t.Errorf("job %s: targets %v carry no service label: %v", j.JobName, sc.Targets, sc.Labels)
				continue
			}
			want := map[string]string{"service": s.Name, "host": s.Host, "range": s.Range, "tier": s.Tier}
			for k, v := range want {
				if sc.Labels[k] != v {
					t.Errorf("job %s: label %s = %q, want %q", j.JobName, k, sc.Labels[k], v)
				}
			}
		}
	}
	api, _ := cfg.job("api-gateway")
	if api.StaticConfigs[0].Labels["team"] != "platform" {
		t.Errorf("metrics.labels not applied: %v", api.StaticConfigs[0].Labels)
	}
}

func TestJobSettingsAndPassThrough(t *testing.T) {
	cfg := parse(t, generate(t, gentest.Load(t, "testdata/small")))
	var names []string
	for _, j := range cfg.ScrapeConfigs {
		names = append(names, j.JobName)
	}
	// Extra jobs first in source order, then services by name (not
	// deployed "old" left out), then probe jobs by name (the unused one
	// left out).
	want := []string{"prometheus", "pushgateway", "api-gateway", "internal", "stt", "sync", "blackbox-api", "blackbox-web"}
	if !slices.Equal(names, want) {
		t.Errorf("jobs %v, want %v", names, want)
	}
	api, _ := cfg.job("api-gateway")
	if api.ScrapeInterval != "30s" || api.MetricsPath != "/metrics" {
		t.Errorf("api-gateway: interval %q path %q", api.ScrapeInterval, api.MetricsPath)
	}
	stt, _ := cfg.job("stt")
	if stt.MetricsPath != "/health" || stt.StaticConfigs[0].Labels["instance"] != "gpu-server" {
		t.Errorf("stt: path %q labels %v", stt.MetricsPath, stt.StaticConfigs[0].Labels)
	}
	push, _ := cfg.job("pushgateway")
	if !push.HonorLabels {
		t.Errorf("extra job keys were not passed through")
	}
	if cfg.Global["scrape_interval"] != "15s" || len(cfg.RuleFiles) != 1 || cfg.Alerting["alertmanagers"] == nil {
		t.Errorf("global, rule_files or alerting not passed through: %+v", cfg)
	}
}

func TestProbeJobs(t *testing.T) {
	cfg := parse(t, generate(t, gentest.Load(t, "testdata/small")))
	web, ok := cfg.job("blackbox-web")
	if !ok {
		t.Fatal("no blackbox-web job")
	}
	// The wildcard is not requestable and the hostname routed twice
	// (with and without a path) is probed once per probe path.
	if got, want := web.targets(), []string{"https://example.org", "https://example.org/chat"}; !slices.Equal(got, want) {
		t.Errorf("blackbox-web targets %v, want %v", got, want)
	}
	if web.MetricsPath != "/probe" || !slices.Equal(web.Params["module"], []string{"http_2xx"}) {
		t.Errorf("blackbox-web: path %q params %v", web.MetricsPath, web.Params)
	}
	relabel := web.RelabelConfigs
	if len(relabel) != 3 || relabel[0]["target_label"] != "__param_target" || relabel[1]["target_label"] != "instance" ||
		relabel[2]["target_label"] != "__address__" || relabel[2]["replacement"] != "blackbox-exporter:9115" {
		t.Errorf("blackbox-web relabel_configs %v", relabel)
	}
	api, _ := cfg.job("blackbox-api")
	if got, want := api.targets(), []string{"https://api.example.org/health", "https://stt.example.org/health"}; !slices.Equal(got, want) {
		t.Errorf("blackbox-api targets %v, want %v", got, want)
	}
	if api.ScrapeInterval != "1m" {
		t.Errorf("blackbox-api interval %q", api.ScrapeInterval)
	}
}

func TestNoPrometheusBlockNoFile(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	p.Prometheus = nil
	files, err := generateFiles(p)
	if err != nil || len(files) != 0 {
		t.Errorf("Generate without a prometheus block = %v, %v; want nothing", files, err)
	}
}

func TestOutputPathFromSource(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	p.Outputs.Prometheus = "deploy/prometheus/prometheus.yml"
	files, err := generateFiles(p)
	if err != nil || files[0].Path != "deploy/prometheus/prometheus.yml" {
		t.Errorf("Generate = %v, %v", files, err)
	}
}

func TestSourceErrorsArePositioned(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *schema.Platform)
		want   []string
	}{
		{"unpublished from the host", func(p *schema.Platform) {
			p.Prometheus.Vantage = schema.OnHost
		}, []string{
			"schema/platform.cue:33:53: prometheus: probe blackbox-api: Prometheus in the host of box cannot reach exporter blackbox-exporter",
			"schema/platform.cue:53:3: internal: Prometheus in the host of box cannot scrape it: internal:admin is not published on host box",
		}},
		{"compose vantage on a host without compose", func(p *schema.Platform) {
			p.Prometheus.Host, p.Prometheus.HostRef = "gpu", p.Host("gpu")
		}, []string{`prometheus: vantage "compose" needs a compose host, and host gpu is scheduled-task`}},
		{"generated label overridden", func(p *schema.Platform) {
			p.Service("api").Metrics.Labels["service"] = "other"
			p.Service("api").Metrics.Labels["__bad"] = "x"
		}, []string{"api: label service is generated", "api: label __bad starts with __"}},
		{"exporter not deployed", func(p *schema.Platform) {
			p.Service("blackbox-exporter").Deployed = false
		}, []string{"probe blackbox-api: exporter blackbox-exporter is not deployed", "probe blackbox-web: exporter blackbox-exporter is not deployed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := gentest.Load(t, "testdata/small")
			tt.change(p)
			_, err := generateFiles(p)
			if err == nil {
				t.Fatal("Generate succeeded")
			}
			ds := diagnosticsOf(t, err)
			text := ds.Error()
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("diagnostics lack %q:\n%s", w, text)
				}
			}
			for _, d := range ds {
				if !d.Pos.IsValid() || d.Pos.Line == 0 {
					t.Errorf("diagnostic without a line: %s", d)
				}
			}
		})
	}
}

// Written a batch of jobs at a time, the file has the bytes one call
// of the encoder gives, for a small platform, this project's own and a
// synthetic one of hundreds of jobs.
func TestMarshalIsOneEncoderCall(t *testing.T) {
	many := t.TempDir()
	if err := synthetic.Write(many, 300); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*schema.Platform{gentest.Load(t, "testdata/small"), loadMana(t), loadAt(t, many)} {
		cfg, diags := build(p)
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
		if len(cfg.ScrapeConfigs) < 2 || !bytes.Equal(got, want) {
			t.Errorf("%s: %d jobs written in batches differ from one call:\n%s\nwant\n%s", p.Name, len(cfg.ScrapeConfigs), got, want)
		}
	}
}

func loadAt(t *testing.T, root string) *schema.Platform {
	t.Helper()
	p, err := schema.Load(root)
	if err != nil {
		t.Fatalf("loading %s: %v", root, err)
	}
	return p
}
