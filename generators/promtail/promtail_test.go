package promtail

import (
	"bytes"
	"strings"
	"testing"

	"portschema/generators/gentest"
	"portschema/generators/output"
	"portschema/generators/output/golden"
	"portschema/schema"
)

// generate returns the generated files by path.
func generate(t *testing.T, p *schema.Platform) map[string][]byte {
	t.Helper()
	w, err := Prepare(p, nil)
	if err != nil || w.Diagnostics().Errors() > 0 {
		t.Fatalf("Prepare: %v %v", w.Diagnostics(), err)
	}
	files, err := w.Files()
	if err != nil {
		t.Fatalf("Files: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Data
	}
	return out
}

func TestGenerateGolden(t *testing.T) {
	files := generate(t, gentest.Load(t, "testdata/small"))
	if len(files) != 2 {
		t.Fatalf("generated %d files, want one per compose host with logs", len(files))
	}
	for path, golden := range map[string]string{
		"out/promtail-box.yml": "testdata/small/promtail-box.golden.yml",
		"deploy/promtail.yml":  "testdata/small/promtail-edge.golden.yml",
	} {
		data, ok := files[path]
		if !ok {
			t.Errorf("%s not generated", path)
			continue
		}
		if !bytes.HasPrefix(data, []byte(output.Header(output.HashComment))) {
			t.Errorf("%s: the header is not the first line", path)
		}
		checkGolden(t, golden, data)
	}
}

func checkGolden(t *testing.T, path string, data []byte) {
	t.Helper()
	golden.Check(t, path, data)
}

func TestGenerateIsDeterministic(t *testing.T) {
	first := generate(t, gentest.Load(t, "testdata/small"))
	for range 10 {
		again := generate(t, gentest.Load(t, "testdata/small"))
		for path, data := range first {
			if !bytes.Equal(data, again[path]) {
				t.Fatalf("two runs of %s differ", path)
			}
		}
	}
}

// The push URL follows the store: inside the compose network on its
// own host, over the LAN from another.
func TestPushURLFollowsTheStore(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	p.Service("loki").Port, p.Service("loki").ContainerPort = 9101, 3100
	files := generate(t, p)
	for path, want := range map[string]string{
		"out/promtail-box.yml": "url: http://loki:3100/loki/api/v1/push",
		"deploy/promtail.yml":  "url: http://10.0.0.2:9101/loki/api/v1/push",
	} {
		if !strings.Contains(string(files[path]), want) {
			t.Errorf("%s lacks %q:\n%s", path, want, files[path])
		}
	}
}

func TestErrorsAtTheSource(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	box := p.Host("box").Compose.Logs
	box.Shipper = "promtial"
	box.Server = map[string]any{"http_listen_port": 1, "log_level": "warn"}
	box.Client = map[string]any{"url": "http://elsewhere"}
	edge := p.Host("edge").Compose.Logs
	edge.Shipper = "promtail"
	p.Service("loki").Publish = false
	w, err := Prepare(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	text := w.Diagnostics().Error()
	for _, want := range []string{
		`schema/platform.cue:17:14: host box: logs: unknown service "promtial" (did you mean "promtail"?)`,
		"host box: logs: http_listen_port is the shipper's port",
		"host box: logs: the push URL is generated from store: and push_path:; remove url",
		"host edge: logs: the shipper promtail runs on host box; it must run on host edge",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	edge.Shipper = "edge-promtail"
	box.Shipper, box.Server, box.Client = "promtail", nil, nil
	w, _ = Prepare(p, nil)
	if ds := w.Diagnostics(); ds.Errors() == 0 || !strings.Contains(ds.Error(), "host edge: logs: edge-promtail cannot reach loki from the compose network of edge: loki is not published on host box") {
		t.Errorf("an unpublished store seen from another host: %v", ds)
	}
}
