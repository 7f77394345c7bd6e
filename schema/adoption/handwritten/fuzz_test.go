package handwritten

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fuzz targets feed each reader arbitrary bytes. A reader may return
// an error, but must not panic, and what it returns must point inside the
// file it read. Seeds: testdata/fuzz/<target>/ plus the real fixtures
// from testdata/fixtures.

func FuzzComposeReader(f *testing.F) {
	addFixtureSeeds(f, "docker-compose.macmini.yml")
	f.Add([]byte("services:\n  web:\n    image: x\n   bad: [\n"))
	f.Add([]byte("services:\n  web:\n    image: *nope\n"))
	f.Add([]byte("services:\n  web:\n    image: \"open\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCompose("in.yml", data)
		if err != nil {
			checkErrorPos(t, data, err)
			return
		}
		lines := lineCount(data)
		for _, s := range c.Services {
			checkPos(t, lines, s.Pos)
			for _, p := range s.Ports {
				checkPos(t, lines, p.Pos)
			}
			for _, e := range s.Environment {
				checkPos(t, lines, e.Pos)
			}
		}
	})
}

func FuzzCloudflaredReader(f *testing.F) {
	addFixtureSeeds(f, "cloudflared-config.yml")
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCloudflared("in.yml", data)
		if err != nil {
			return
		}
		lines := lineCount(data)
		for _, r := range c.Rules {
			checkPos(t, lines, r.Pos)
		}
		for _, p := range c.Validate() {
			checkPos(t, lines, p.Pos)
		}
	})
}

func FuzzPrometheusReader(f *testing.F) {
	addFixtureSeeds(f, "prometheus.yml")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePrometheus("in.yml", data)
		if err != nil {
			return
		}
		lines := lineCount(data)
		for _, j := range p.Jobs {
			checkPos(t, lines, j.Pos)
			for _, tg := range j.Targets {
				checkPos(t, lines, tg.Pos)
				ParseAddress(tg.Address)
			}
		}
	})
}

func FuzzAlertsReader(f *testing.F) {
	addFixtureSeeds(f, "alerts.yml")
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseAlerts("in.yml", data)
		if err != nil {
			return
		}
		lines := lineCount(data)
		for _, g := range r.Groups {
			checkPos(t, lines, g.Pos)
			for _, rule := range g.Rules {
				checkPos(t, lines, rule.Pos)
			}
		}
	})
}

func FuzzLogsReader(f *testing.F) {
	addFixtureSeeds(f, "promtail-config.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseLogs("in.yml", data)
		if err != nil {
			return
		}
		lines := lineCount(data)
		for _, j := range p.Jobs {
			checkPos(t, lines, j.Pos)
			for _, r := range j.Relabels {
				checkPos(t, lines, r.Pos)
			}
		}
		if _, err := p.Ordered(); err != nil {
			return
		}
	})
}

func FuzzDocReader(f *testing.F) {
	addFixtureSeeds(f, "PORT_SCHEMA.md")
	f.Fuzz(func(t *testing.T, data []byte) {
		d := ParseDoc("in.md", data)
		lines := lineCount(data)
		for _, s := range d.Sections[1:] {
			checkPos(t, lines, s.Pos)
		}
		for _, tb := range d.Tables {
			for _, r := range tb.Rows {
				if len(r.Cells) != len(tb.Columns) {
					t.Fatalf("row of %d cells in a table of %d columns", len(r.Cells), len(tb.Columns))
				}
			}
		}
		for _, r := range d.PortRows() {
			if r.Ports.From > r.Ports.To {
				t.Fatalf("port range %+v", r.Ports)
			}
		}
	})
}

// addFixtureSeeds adds the real files of both fixture commits.
func addFixtureSeeds(f *testing.F, name string) {
	for _, commit := range []string{"before", "after"} {
		if data, err := os.ReadFile(filepath.Join(fixtureDir(f, commit), name)); err == nil {
			f.Add(data)
		}
	}
}

// checkErrorPos fails when an error names a line or column outside the
// file it read (see yamlError).
func checkErrorPos(t *testing.T, data []byte, err error) {
	t.Helper()
	var line, col int
	if n, _ := fmt.Sscanf(strings.TrimPrefix(err.Error(), "compose in.yml:"), "%d:%d:", &line, &col); n == 2 {
		if line < 1 || line > lineCount(data) || col < 1 {
			t.Fatalf("error at %d:%d outside a file of %d lines: %v", line, col, lineCount(data), err)
		}
	}
}

func lineCount(data []byte) int { return bytes.Count(data, []byte("\n")) + 1 }

// checkPos fails when a position given for a read value is outside the file.
func checkPos(t *testing.T, lines int, p Pos) {
	t.Helper()
	if p.Line < 0 || p.Line > lines || (p.Line > 0 && p.File == "") {
		t.Fatalf("position %+v outside a file of %d lines", p, lines)
	}
}
