// Package urldoc generates the URL document (URL_SCHEMA.md): every
// port of every deployed service with the URL it is reached at from
// each vantage — the internet (its public hostnames), another machine on
// the LAN, the compose network of each compose host, its own host, and
// a developer's laptop — and the public hostnames routed by hand.
//
// No URL is typed here: every cell is the model's answer to "where is
// this port reached from there" (schema.Platform.Reach), the very
// question the .env files, the compose environment and the scrape
// targets ask. So the document and the files never disagree, and a
// port changed in the source moves every URL of it. Where a vantage
// cannot reach a port (a port not published, a service without public
// hostname, a host reached by nobody) the cell says so.
//
// Generate is pure: Build computes a typed Doc, the embedded template
// urldoc.md.tmpl renders it, escaping every text from the source (the
// cells of its tables before it runs, see pageOf).
package urldoc

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"text/template"

	"portschema/generators/output"
	"portschema/generators/portdoc"
	"portschema/generators/rendered"
	"portschema/schema"
	"portschema/templates"
)

// TemplateName is the template this generator owns in templates.FS.
const TemplateName = "urldoc.md.tmpl"

// DefaultPath is where the document goes when the source names no path.
const DefaultPath = "out/URL_SCHEMA.md"

// tmpl is parsed once, when first used (see portdoc's).
var tmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New(TemplateName).
		Funcs(template.FuncMap{"cell": portdoc.Cell, "line": portdoc.Line, "code": portdoc.Code}).
		Option("missingkey=error").ParseFS(templates.FS, "urldoc/"+TemplateName))
})

// The page's size to start its buffer at: about this much text besides
// the services, and this much per service (its row of URLs), as this
// project's and generated platforms have it.
const (
	docBytes     = 4 << 10
	serviceBytes = 256
)

// Generate renders the URL document of p at p.Outputs.URLDoc.
func Generate(p *schema.Platform) ([]output.File, error) {
	d := Build(p)
	d.Header = output.Header(output.HTMLComment)
	render := func() ([]byte, error) {
		var buf bytes.Buffer
		buf.Grow(docBytes + serviceBytes*len(p.Services)) // grown once, not copied at every doubling
		if err := tmpl().Execute(&buf, pageOf(d)); err != nil {
			return nil, fmt.Errorf("urldoc: %w", err)
		}
		return buf.Bytes(), nil
	}
	var data []byte
	var err error
	if digest, ok := rendered.Of(d); ok {
		renders := rendered.Open("urldoc")
		data, err = renders.Render(digest, render)
		renders.Close()
	} else {
		data, err = render()
	}
	if err != nil {
		return nil, err
	}
	path := p.Outputs.URLDoc
	if path == "" {
		path = DefaultPath
	}
	return []output.File{{Path: path, Data: data}}, nil
}

// urlsCell renders a cell: each URL as code, with the paths it is
// limited to, one per line; or the reason there is none, in italics.
func urlsCell(c Cell) string {
	if len(c.URLs) == 0 {
		return "*" + portdoc.Cell(c.Unreachable) + "*"
	}
	parts := make([]string, len(c.URLs))
	for i, u := range c.URLs {
		parts[i] = portdoc.Code(u.URL)
		if u.Path != "" {
			parts[i] += " paths " + portdoc.Code(u.Path)
		}
	}
	return strings.Join(parts, "<br>")
}

// page is the Doc as the template reads it: the tables' rows with
// every cell already rendered, so that a table of thousands of rows
// costs the template no function call per cell.
type page struct {
	Doc
	Hosts []pageHost
}

type pageHost struct {
	Name, Title string
	Rows        []pageRow
}

// pageRow is a row's port (Cell) and its cells (urlsCell), final.
type pageRow struct {
	Port  string
	Cells []string
}

func pageOf(d Doc) page {
	pg := page{Doc: d, Hosts: make([]pageHost, len(d.Hosts))}
	for i, h := range d.Hosts {
		rows := make([]pageRow, len(h.Rows))
		for k, r := range h.Rows {
			cells := make([]string, len(r.Cells))
			for c, cell := range r.Cells {
				cells[c] = urlsCell(cell)
			}
			rows[k] = pageRow{Port: portdoc.Cell(r.Port), Cells: cells}
		}
		pg.Hosts[i] = pageHost{Name: h.Name, Title: h.Title, Rows: rows}
	}
	return pg
}
