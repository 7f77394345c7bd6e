package platformdiff

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"portschema/generators"
	"portschema/schema"
)

const base = `package platform

platform: name: "demo"
ranges: {
	core: {from: 3000, to: 3019, purpose: "Core"}
	data: {from: 5400, to: 5499, purpose: "Data"}
}
hosts: {
	mini: {title: "Mini", kind: "compose", address: "10.0.0.1", compose: project: "demo"
		tunnel: {id: "t", credentials_file: "/etc/cloudflared/t.json"}}
	gpu: {title: "GPU", kind: "scheduled-task", address: "10.0.0.2"}
}
prometheus: host: "mini"
services: auth: {host: "mini", port: 3001, range: "core", public: ["auth.example.com"], metrics: {},
	needs: [{service: "db", password: "DB_PASSWORD"}], compose: image: "auth:1"}
services: db: {host: "mini", port: 5432, range: "data", scheme: "postgresql", compose: image: "postgres:16"}
`

// side loads a source and generates its files.
func side(t *testing.T, src string) Side {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, schema.SourceDir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, schema.SourceDir, "platform.cue"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	files, err := generators.Run(p)
	if err != nil {
		t.Fatal(err)
	}
	return Side{Platform: p, Files: files}
}

func TestNoChange(t *testing.T) {
	d := Compare(side(t, base), side(t, base))
	if !d.Empty() || d.Headline() != "no change to the platform; no generated file changes" {
		t.Errorf("headline %q, empty %v", d.Headline(), d.Empty())
	}
}

func TestAddAService(t *testing.T) {
	d := Compare(side(t, base), side(t, base+`services: search: {host: "gpu", port: 3002, range: "core", public: ["search.example.com"], metrics: {}, needs: ["auth"]}
`))
	want := "added 1 service, 1 hostname, 1 route, 1 scrape job; 5 generated files change"
	if got := d.Headline(); got != want {
		t.Errorf("headline:\n got %s\nwant %s", got, want)
	}
	if got := d.Services.Added[0]; got.Name != "search" || got.Host != "gpu" || got.Port != 3002 {
		t.Errorf("added %+v", got)
	}
	if got, want := d.Routes.Added[0].Detail, "http://10.0.0.2:3002"; got != want {
		t.Errorf("route to %s, want %s", got, want)
	}
	if got, want := d.Services.Added[0].Files, []string{"out/PORT_SCHEMA.md", "out/URL_SCHEMA.md", "out/cloudflared-mini.yml", "out/env/search.env", "out/prometheus.yml"}; !reflect.DeepEqual(got, want) {
		t.Errorf("files of the added service: %v, want %v", got, want)
	}
}

func TestMoveAPort(t *testing.T) {
	moved := strings.Replace(base, `port: 3001`, `port: 3005`, 1)
	d := Compare(side(t, base), side(t, moved))
	if got, want := d.Headline(), "moved 1 service; changed 1 route, 1 scrape job; 5 generated files change"; got != want {
		t.Errorf("headline:\n got %s\nwant %s", got, want)
	}
	c := d.Services.Changed[0]
	if c.Name != "auth" || c.Detail != "port 3001 → 3005" || !c.Moved {
		t.Errorf("change %+v", c)
	}
	if got := d.Routes.Changed[0].Detail; got != "http://localhost:3001 → http://localhost:3005" {
		t.Errorf("route change %q", got)
	}
	for _, f := range d.Files {
		if !reflect.DeepEqual(f.Causes, []string{"auth"}) {
			t.Errorf("%s shows %v, want [auth]", f.Path, f.Causes)
		}
	}
}

// Removing a service leaves a plain value that still holds its address:
// a dangling reference, at its position in the new source.
func TestRemoveLeavesDangling(t *testing.T) {
	before := base + `services: web: {host: "mini", port: 3003, range: "core", needs: ["auth"], compose: image: "web:1"}
`
	after := strings.Replace(base, `needs: [{service: "db", password: "DB_PASSWORD"}], `, `env: DB_HOST: "db:5432", `, 1)
	after = strings.Replace(after, `services: db: {host: "mini", port: 5432, range: "data", scheme: "postgresql", compose: image: "postgres:16"}`, ``, 1)
	d := Compare(side(t, before), side(t, after))
	if got, want := d.Headline(), "removed 2 services, 1 env name, 1 secret; added 1 env name; changed 1 service; 7 generated files change"; got != want {
		t.Errorf("headline:\n got %s\nwant %s", got, want)
	}
	if len(d.Dangling) != 1 || d.Dangling[0].Pos.String() != "schema/platform.cue:15:16" ||
		d.Dangling[0].Message != `auth: env DB_HOST still names service db, which this change removes ("db:5432")` {
		t.Errorf("dangling: %+v", d.Dangling)
	}
	if got := d.Services.RemovedStacks; len(got) != 2 {
		t.Errorf("web and db need nothing in common: %v", got)
	}
}

// TestMarkdownTables parses the Markdown summary of the fixtures'
// removal as GitHub does and checks that every table row has the cells
// of its header, and that the headline is the bold first paragraph.
func TestMarkdownTables(t *testing.T) {
	d := Compare(importFixture(t, "before"), importFixture(t, "after"))
	src := d.Markdown(identity)
	doc := goldmark.New(goldmark.WithExtensions(extension.Table)).Parser().Parse(text.NewReader(src))
	tables := 0
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *east.Table:
			tables++
			header := n.FirstChild().ChildCount()
			for row := n.FirstChild().NextSibling(); row != nil; row = row.NextSibling() {
				if row.ChildCount() != header {
					t.Errorf("table %d: a row of %d cells under a header of %d", tables, row.ChildCount(), header)
				}
			}
		case *ast.Emphasis:
			if tables == 0 && n.Level == 2 {
				var b strings.Builder
				for c := n.FirstChild(); c != nil; c = c.NextSibling() {
					if t, ok := c.(*ast.Text); ok {
						b.Write(t.Value(src))
					}
				}
				if b.String() != d.Headline() {
					t.Errorf("bold headline %q, want %q", b.String(), d.Headline())
				}
			}
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if tables < 10 {
		t.Errorf("%d tables", tables)
	}
}
