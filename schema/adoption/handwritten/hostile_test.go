package handwritten

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// hostile are inputs no reader may panic on. Each reader must return a
// result or an error naming the file.
var hostile = map[string]string{
	"empty":            "",
	"whitespace":       "  \n\t\n",
	"comment only":     "# nothing\n",
	"binary junk":      "\x00\x01\xff\xfe\x89PNG\r\n\x1a\n\x00\x00",
	"invalid utf8":     "services:\n  \xff\xfe:\n    image: x\n",
	"not a mapping":    "- a\n- b\n",
	"scalar":           "just text",
	"deep nesting":     strings.Repeat("[", 5000),
	"tabs":             "services:\n\tweb:\n\t\timage: x\n",
	"duplicate keys":   "services:\n  a:\n    image: x\n  a:\n    image: y\n",
	"multi document":   "services: {}\n---\nservices: {a: {image: x}}\n",
	"alias bomb":       "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nservices: *e\ningress: *e\nscrape_configs: *e\n",
	"alias bomb, wide": "a: &a [x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nservices: {s: {image: x, labels: *d}}\n",
	"recursive merge":  "x: &x\n  <<: *x\n",
	"merge fan-out":    "a: &a {k: 1}\nb: &b {<<: [*a, *a]}\nc: &c {<<: [*b, *b]}\nd: &d {<<: [*c, *c]}\ne: &e {<<: [*d, *d]}\nf: &f {<<: [*e, *e]}\ng: &g {<<: [*f, *f]}\nh: &h {<<: [*g, *g]}\ni: &i {<<: [*h, *h]}\nservices:\n  s:\n    <<: [*i, *i]\n    image: x\n",
	"self merge chain": "a: &a {k: 1}\nb: &b {<<: *a}\nc: &c {<<: *b}\nservices:\n  s:\n    <<: *c\n    image: i\n",
	"wrong shapes": `services: [1, 2]
ingress: {a: b}
scrape_configs: "nope"
tunnel: [x]
`,
	"wrong inner shapes": `services:
  web:
    image: [x]
    ports: {a: b}
    environment: 5
    container_name: {x: y}
    networks: [a, b]
ingress:
  - hostname: [a]
    service: {x: 1}
    originRequest: [1]
scrape_configs:
  - job_name: [a]
    static_configs: {targets: 1}
    params: [1]
    relabel_configs: 7
`,
	"hostile values": "services:\n  web:\n    image: \"x\\ny\"\n    container_name: \"a\\\"b#c$d\u202e\"\n    environment:\n      A_URL: \"http://x\\n:1\"\n      B: '$$ ${X:-${Y:-z}} #not-a-comment'\n      \"K\\nEY\": v\n    ports: [\"${P:-80}:80\", \"65536:1\", \"0:0\", \"1-99999:1-99999\", \"::::\", \"\u00e9:1\"]\ningress:\n  - hostname: \"\u00e9\\n.example.com\"\n    service: \"http://\\u0000\"\n",
}

func TestReadersSurviveHostileInput(t *testing.T) {
	for name, src := range hostile {
		t.Run(name, func(t *testing.T) {
			checkNoPanic(t, []byte(src))
		})
	}
}

// checkNoPanic runs every reader on data; a panic fails the test through
// the test runner, an error must name the file.
func checkNoPanic(t *testing.T, data []byte) {
	t.Helper()
	for reader, parse := range map[string]func() error{
		"compose":     func() error { _, err := ParseCompose("in.yml", data); return err },
		"cloudflared": func() error { _, err := ParseCloudflared("in.yml", data); return err },
		"prometheus":  func() error { _, err := ParsePrometheus("in.yml", data); return err },
		"doc":         func() error { ParseDoc("in.md", data); return nil },
	} {
		if err := parse(); err != nil && !strings.Contains(err.Error(), "in.yml") {
			t.Errorf("%s: error %q does not name the file", reader, err)
		}
	}
}

func TestCyclicAliasIsAnErrorWithItsLine(t *testing.T) {
	_, err := ParseCompose("in.yml", []byte("services:\n  x: &x\n    image: i\n    <<: *x\n"))
	if err == nil || !strings.Contains(err.Error(), "in.yml:4") {
		t.Errorf("err = %v, want one naming in.yml:4", err)
	}
}

func TestHugePortRangeIsAnErrorWithItsLine(t *testing.T) {
	_, err := ParseCompose("in.yml", []byte("services:\n  a:\n    image: x\n    ports:\n      - \"1-65535:1-65535\"\n"))
	if err == nil || !strings.Contains(err.Error(), "in.yml:5") {
		t.Errorf("err = %v, want one naming in.yml:5", err)
	}
}

func TestReadersSurviveTruncatedFixtures(t *testing.T) {
	for _, commit := range []string{"before", "after"} {
		dir := fixtureDir(t, commit)
		for _, name := range []string{"docker-compose.macmini.yml", "cloudflared-config.yml", "prometheus.yml", "PORT_SCHEMA.md"} {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			step := len(data)/41 + 1
			for cut := 0; cut < len(data); cut += step {
				checkNoPanic(t, data[:cut])
			}
		}
	}
}

func TestHostileValuesComeBackAsWritten(t *testing.T) {
	f, err := ParseCompose("in.yml", []byte("services:\n  web:\n    image: x\n    command: \"a\\\"b#c$$d\"\n    environment:\n      A: \"line1\\nline2\"\n      B: 'x # y'\n      C: \"\u00fcml\u00e4ut \U0001F680\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	web := f.Service("web")
	if web.Command != `a"b#c$$d` {
		t.Errorf("command = %q", web.Command)
	}
	for name, want := range map[string]string{"A": "line1\nline2", "B": "x # y", "C": "üml\u00e4ut 🚀"} {
		if e, _ := web.Env(name); e.Value != want {
			t.Errorf("%s = %q, want %q", name, e.Value, want)
		}
	}
}

// TestTenThousandServices reads a generated compose file of 10,000
// services, each with ports and environment, and checks every one is read
// with its line. It logs the time taken; speed is measured by the
// benchmark, not asserted here.
func TestTenThousandServices(t *testing.T) {
	data := generateCompose(10000)
	start := time.Now()
	f, err := ParseCompose("big.yml", data)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("parsed %d services (%d bytes) in %v", len(f.Services), len(data), time.Since(start))
	if len(f.Services) != 10000 {
		t.Fatalf("read %d services", len(f.Services))
	}
	last := f.Services[9999]
	if last.Name != "svc-9999" || last.Pos.Line != 1+9999*7+1 || last.Ports[0].Published != 20000+9999 {
		t.Errorf("last service = %+v", last)
	}
}

func BenchmarkParseCompose10000(b *testing.B) {
	data := generateCompose(10000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseCompose("big.yml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// generateCompose writes n services of seven lines each.
func generateCompose(n int) []byte {
	var b strings.Builder
	b.WriteString("services:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  svc-%d:\n    image: img-%d\n    environment:\n      PORT: %d\n      PEER_URL: http://svc-%d:%d\n    ports:\n      - \"%d:%d\"\n",
			i, i, 3000+i%1000, (i+1)%n, 3000+(i+1)%1000, 20000+i, 3000+i%1000)
	}
	return []byte(b.String())
}

// TestYAMLErrorsArePositioned: a syntax error names file:line:col, as
// every other error of the readers does.
func TestYAMLErrorsArePositioned(t *testing.T) {
	_, err := ParseCompose("c.yml", []byte("services:\n  web:\n    image: x\n   bad: [\n"))
	if err == nil || !strings.HasPrefix(err.Error(), "compose c.yml:4:4: did not find expected key") {
		t.Fatalf("err = %v, want compose c.yml:4:4: …", err)
	}
}
