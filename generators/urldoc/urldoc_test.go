package urldoc

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"portschema/generators/gentest"
	"portschema/generators/output"
	"portschema/generators/output/golden"
	"portschema/schema"
)

func generate(t *testing.T, p *schema.Platform) []byte {
	t.Helper()
	files, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Path != DefaultPath {
		t.Fatalf("files %v, want one at %s", files, DefaultPath)
	}
	return files[0].Data
}

func TestGenerateGolden(t *testing.T) {
	data := generate(t, gentest.Load(t, "testdata/small"))
	if !bytes.HasPrefix(data, []byte(output.Header(output.HTMLComment))) {
		t.Errorf("the header is not the first line")
	}
	golden.Check(t, "testdata/small/URL_SCHEMA.golden.md", data)
}

func TestGenerateIsDeterministic(t *testing.T) {
	first := generate(t, gentest.Load(t, "testdata/small"))
	for range 10 {
		if again := generate(t, gentest.Load(t, "testdata/small")); !bytes.Equal(first, again) {
			t.Fatal("two runs differ")
		}
	}
}

// mdTable is a GFM table as goldmark parses it, under its heading. A
// cell is its text with code spans as their content, emphasis in
// parentheses and a <br> as a line break.
type mdTable struct {
	Heading string
	Header  []string
	Rows    [][]string
}

// parseTables reads every table of a Markdown document with goldmark's
// GFM table extension, and fails on markup a cell must not hold.
func parseTables(t *testing.T, src []byte) []mdTable {
	t.Helper()
	root := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var tables []mdTable
	heading := ""
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Heading:
			heading = inline(t, n, src)
		case *east.Table:
			tb := mdTable{Heading: heading}
			for r := n.FirstChild(); r != nil; r = r.NextSibling() {
				var cells []string
				for c := r.FirstChild(); c != nil; c = c.NextSibling() {
					cells = append(cells, inline(t, c, src))
				}
				if _, ok := r.(*east.TableHeader); ok {
					tb.Header = cells
				} else {
					tb.Rows = append(tb.Rows, cells)
				}
			}
			tables = append(tables, tb)
		}
	}
	return tables
}

func inline(t *testing.T, n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			// As a renderer shows it: escapes and entities resolved.
			b.Write(util.ResolveEntityNames(util.UnescapePunctuations(c.Value(src))))
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for s := c.FirstChild(); s != nil; s = s.NextSibling() {
				b.Write(s.(*ast.Text).Value(src))
			}
		case *ast.Emphasis:
			b.WriteString("(" + inline(t, c, src) + ")")
		case *ast.RawHTML:
			var raw strings.Builder
			for i := 0; i < c.Segments.Len(); i++ {
				seg := c.Segments.At(i)
				raw.Write(seg.Value(src))
			}
			if raw.String() != "<br>" {
				t.Errorf("raw HTML %q in %q", raw.String(), n.Kind())
			}
			b.WriteString("\n")
		default:
			t.Errorf("unexpected %s in a cell or heading", c.Kind())
		}
	}
	return b.String()
}

// cellOf returns the cell of a port's row in a column, from the parsed
// document.
func cellOf(t *testing.T, tables []mdTable, port, column string) string {
	t.Helper()
	for _, tb := range tables {
		col := -1
		for i, h := range tb.Header {
			if h == column {
				col = i
			}
		}
		for _, row := range tb.Rows {
			if row[0] == port && col >= 0 {
				return row[col]
			}
		}
	}
	t.Fatalf("no cell for %s in column %q", port, column)
	return ""
}

func TestTablesParse(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	tables := parseTables(t, generate(t, p))
	want := []string{"Service", "Internet", "LAN", "Compose network of box", "Compose network of edge", "Its host", "Laptop"}
	ports := 0
	for _, tb := range tables[:len(tables)-1] {
		if strings.Join(tb.Header, "|") != strings.Join(want, "|") {
			t.Errorf("%s: header %q, want %q", tb.Heading, tb.Header, want)
		}
		for _, row := range tb.Rows {
			ports++
			if len(row) != len(want) {
				t.Errorf("%s: row %q has %d cells", tb.Heading, row, len(row))
			}
		}
	}
	// Every port of every deployed service has its row.
	deployed := 0
	for _, s := range p.Services {
		if s.Deployed {
			deployed += len(s.AllPorts())
		}
	}
	if ports != deployed {
		t.Errorf("%d rows, want %d (one per port of a deployed service)", ports, deployed)
	}
	for _, c := range []struct{ port, column, want string }{
		{"api", "Internet", "https://api.example.org\nhttps://example.org paths ^/api"},
		{"api", "Compose network of box", "http://api:8080"},
		{"api", "Compose network of edge", "http://10.0.0.2:3001"},
		{"api:admin", "LAN", "(not published)"},
		{"api:admin", "Laptop", "http://localhost:3002"},
		{"db", "Compose network of box", "postgresql://db:5432"},
		{"cache", "Internet", "(no public hostname)"},
		{"stt", "Compose network of edge", "http://10.0.0.4:3050"},
		{"notebook", "LAN", "(host not reachable)"},
		{"notebook", "Its host", "http://localhost:3051"},
	} {
		if got := cellOf(t, tables, c.port, c.column); got != c.want {
			t.Errorf("%s, %s: %q, want %q", c.port, c.column, got, c.want)
		}
	}
	routes := tables[len(tables)-1]
	if routes.Heading != "Public hostnames routed by hand" || len(routes.Rows) != 1 || routes.Rows[0][3] != "ssh://localhost:22" {
		t.Errorf("routes table %+v", routes)
	}
}

// Text from the source cannot break the document: a title with table
// and HTML syntax stays text in its heading, and the tables still parse.
func TestHostileText(t *testing.T) {
	p := gentest.Load(t, "testdata/small")
	p.Host("box").Title = "box | <script>alert(1)</script> *bold* `x`"
	p.Host("box").Tunnel.Rules[0].Path = "^/a|b"
	tables := parseTables(t, generate(t, p))
	if got := tables[0].Heading; got != "box: box | <script>alert(1)</script> *bold* `x`" {
		t.Errorf("heading %q", got)
	}
	if r := tables[len(tables)-1].Rows[0]; len(r) != 4 || r[1] != "^/a|b" {
		t.Errorf("route row %q", r)
	}
}
