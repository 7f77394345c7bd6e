package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portschema/schema/adoption/handwritten"
)

// writeBigPlatform writes a compose file of n services and a Prometheus
// file scraping each; every 100th service's peer URL and every 250th
// scrape use a wrong port, so the expected findings are known.
func writeBigPlatform(t testing.TB, n int) handwritten.Inputs {
	dir := t.TempDir()
	var c, p strings.Builder
	c.WriteString("services:\n")
	p.WriteString("scrape_configs:\n")
	for i := 0; i < n; i++ {
		peerPort := 3000 + (i+1)%1000
		if i%100 == 0 {
			peerPort++
		}
		fmt.Fprintf(&c, "  svc-%d:\n    image: img\n    environment:\n      PORT: %d\n      PEER_URL: http://svc-%d:%d\n    ports: [\"%d:%d\"]\n",
			i, 3000+i%1000, (i+1)%n, peerPort, 20000+i, 3000+i%1000)
		scrapePort := 3000 + i%1000
		if i%250 == 0 {
			scrapePort = 20000 + i
		}
		fmt.Fprintf(&p, "  - job_name: svc-%d\n    static_configs: [{targets: ['svc-%d:%d']}]\n", i, i, scrapePort)
	}
	in := handwritten.Inputs{Compose: []string{filepath.Join(dir, "c.yml")}, Prometheus: filepath.Join(dir, "p.yml")}
	if err := os.WriteFile(in.Compose[0], []byte(c.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in.Prometheus, []byte(p.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return in
}

func TestAuditOfTenThousandServices(t *testing.T) {
	fs, err := Audit(writeBigPlatform(t, 10000))
	if err != nil {
		t.Fatal(err)
	}
	count := map[Kind]int{}
	for _, f := range fs {
		count[f.Kind]++
	}
	if count[EnvURLMismatch] != 100 || count[ScrapePortMismatch] != 40 || len(fs) != 140 {
		t.Errorf("findings by kind = %v", count)
	}
}

func BenchmarkAudit10000(b *testing.B) {
	in := writeBigPlatform(b, 10000)
	for b.Loop() {
		if _, err := Audit(in); err != nil {
			b.Fatal(err)
		}
	}
}

// TestAuditOfHostileFiles runs the whole audit over files that are empty,
// junk, truncated or of the wrong kind: each gives findings or an error
// naming the file, never a panic.
func TestAuditOfHostileFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	junk := write("junk", "\x00\xff\xfe binary \x1b[31m junk")
	empty := write("empty", "")
	truncated := write("trunc.yml", "services:\n  web:\n    image: x\n    ports:\n      - \"30")
	md := write("doc.md", "| Port | Service |\n|---|---|\n| 3001 | `a\n")
	for name, tc := range map[string]struct {
		in      handwritten.Inputs
		wantErr []string // inputs the error must name
		want    string   // findings, briefly, when there is no error
	}{
		"junk everywhere":   {in: handwritten.Inputs{Compose: []string{junk}, Cloudflared: []string{junk}, Prometheus: junk, Doc: junk}, wantErr: []string{"compose " + junk, "cloudflared " + junk, "prometheus " + junk}},
		"empty compose":     {in: handwritten.Inputs{Compose: []string{empty}}, wantErr: []string{"compose " + empty}},
		"empty others":      {in: handwritten.Inputs{Cloudflared: []string{empty}, Prometheus: empty, Doc: empty}, want: "invalid-rule " + empty + ":1"},
		"truncated compose": {in: handwritten.Inputs{Compose: []string{truncated}, Doc: md}, wantErr: []string{"compose " + truncated}},
		"compose as doc":    {in: handwritten.Inputs{Doc: truncated, Prometheus: md}, wantErr: []string{"prometheus " + md}},
	} {
		t.Run(name, func(t *testing.T) {
			fs, err := Audit(tc.in)
			if len(tc.wantErr) > 0 {
				for _, w := range tc.wantErr {
					if err == nil || !strings.Contains(err.Error(), w) {
						t.Errorf("error %v does not name %s", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := brief(fs); got != tc.want {
				t.Errorf("findings %q, want %q", got, tc.want)
			}
		})
	}
}
