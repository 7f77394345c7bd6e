package handwritten

import (
	"strings"
	"testing"
)

const docSample = `# Port Schema

> **PARTIALLY ASPIRATIONAL.** A plan.
>
> ### Real ports today
>
> - mana-auth ` + "`3001`" + `
> - mana-media ` + "`3015`" + `

## 3000-3009: Core

| Port | Service | Description |
|------|---------|-------------|
| 3001 | ` + "`mana-auth`" + ` | Auth |
| 3006–3009 | *(reserved)* | |
| 9000 | minio (S3 API) | Storage |
| abc | broken | |
`

func TestParseDocSectionsTablesAndPortRows(t *testing.T) {
	d := ParseDoc("d.md", []byte(docSample))
	var titles []string
	for _, s := range d.Sections {
		titles = append(titles, s.Title)
	}
	if got := strings.Join(titles, "|"); got != "|Port Schema|Real ports today|3000-3009: Core" {
		t.Fatalf("sections = %q", got)
	}
	real := d.Sections[2]
	if !real.InQuote || real.Level != 3 || real.Pos.Line != 5 || len(real.Items) != 2 || real.Items[1].Text != "mana-media 3015" || real.Items[1].Pos.Line != 8 {
		t.Errorf("real ports section = %+v", real)
	}
	if !strings.Contains(d.Sections[1].Text, "PARTIALLY ASPIRATIONAL") {
		t.Errorf("preamble text = %q", d.Sections[1].Text)
	}
	if got := strings.Join(d.Trail(3), " > "); got != "Port Schema > 3000-3009: Core" {
		t.Errorf("trail = %q", got)
	}
	if len(d.Tables) != 1 || d.Tables[0].Section != 3 || d.Tables[0].Pos.Line != 12 {
		t.Fatalf("tables = %+v", d.Tables)
	}
	rows := d.PortRows()
	if len(rows) != 3 {
		t.Fatalf("port rows = %+v", rows)
	}
	if r := rows[0]; r.Name != "mana-auth" || r.Ports != (PortRange{3001, 3001}) || r.Pos.Line != 14 {
		t.Errorf("row 0 = %+v", r)
	}
	if r := rows[1]; !r.Reserved || r.Ports != (PortRange{3006, 3009}) || r.Service != "(reserved)" {
		t.Errorf("row 1 = %+v", r)
	}
	if r := rows[2]; r.Name != "minio" || r.Service != "minio (S3 API)" {
		t.Errorf("row 2 = %+v", r)
	}
}
