package handwritten

import "testing"

func TestParsePrometheusReadsJobsTargetsAndProbes(t *testing.T) {
	src := `scrape_configs:
  - job_name: 'api'
    static_configs:
      - targets: ['api:3001', 'api:3002']
        labels: {instance: one}
    metrics_path: '/health'
  - job_name: blackbox
    metrics_path: /probe
    params:
      module: [http_2xx]
    static_configs:
      - targets:
          - https://example.com
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - target_label: __address__
        replacement: blackbox:9115
  - job_name: sd
    file_sd_configs: [{files: [x.json]}]
alerting:
  alertmanagers:
    - static_configs:
        - targets: ['alertmanager:9093']
`
	f, err := ParsePrometheus("p.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Jobs) != 3 {
		t.Fatalf("jobs = %+v", f.Jobs)
	}
	api := f.Jobs[0]
	if api.Name != "api" || api.Pos.Line != 2 || api.MetricsPath != "/health" || api.MetricsPathPos.Line != 6 || api.Probe != nil {
		t.Errorf("api = %+v", api)
	}
	if len(api.Targets) != 2 || api.Targets[1].Address != "api:3002" || api.Targets[1].Pos.Line != 4 || api.Targets[0].Labels["instance"] != "one" {
		t.Errorf("api targets = %+v", api.Targets)
	}
	bb := f.Jobs[1]
	if bb.Probe == nil || bb.Probe.Module != "http_2xx" || bb.Probe.Exporter != "blackbox:9115" {
		t.Fatalf("blackbox probe = %+v", bb.Probe)
	}
	if bb.Targets[0].Address != "https://example.com" || bb.Targets[0].Pos.Line != 13 {
		t.Errorf("probe targets = %+v", bb.Targets)
	}
	if sd := f.Jobs[2]; sd.MetricsPath != "/metrics" || sd.MetricsPathPos.IsValid() || len(sd.ServiceDiscovery) != 1 {
		t.Errorf("sd job = %+v", sd)
	}
	if len(f.Alertmanagers) != 1 || f.Alertmanagers[0].Address != "alertmanager:9093" {
		t.Errorf("alertmanagers = %+v", f.Alertmanagers)
	}
}
