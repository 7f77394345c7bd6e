// Package portdoc generates PORT_SCHEMA.md, the port document of a
// platform: every range with the services declared in it, every host
// with the ports in use on it today, the backlog of planned moves, the
// services not deployed, the public hostnames, a Mermaid map, and how to
// add a service with portschema.
//
// The plan (a service's planned slot) is shown next to reality (its
// port), so the document never describes a state the platform is not in.
//
// Generate is pure: it builds a typed Doc from the model (Build) and
// renders it with the embedded template portdoc.md.tmpl. Every text that
// comes from the source is escaped, the cells of table rows before the
// template runs (see escapedRows), every other text by the template's
// functions, so a description holding `|`, a line break or `<script>`
// cannot break a table or inject HTML.
package portdoc

import (
	"bytes"
	"fmt"
	"strconv"
	"sync"
	"text/template"

	"portschema/generators/output"
	"portschema/schema"
	"portschema/templates"
)

// TemplateName is the template this generator owns in templates.FS.
const TemplateName = "portdoc.md.tmpl"

// funcs are the template's escaping helpers. They are pure.
var funcs = template.FuncMap{
	"inline": Inline,
	"line":   Line,
	"code":   Code,
	"mlabel": MermaidLabel,
	"inc":    func(i int) int { return i + 1 },
	"count":  count,
}

// count is "1 port", "2 ports".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// tmpl is parsed once, when first used, so that a command that renders
// nothing (vet, a check answered from its stamp) does not pay for it;
// executing a parsed template is safe for concurrent use and never
// changes it.
var tmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New(TemplateName).Funcs(funcs).Option("missingkey=error").
		ParseFS(templates.FS, "portdoc/"+TemplateName))
})

// Generate renders the port document of p at p.Outputs.PortDoc.
func Generate(p *schema.Platform) ([]output.File, error) {
	data, err := Render(Build(p))
	if err != nil {
		return nil, err
	}
	return []output.File{{Path: p.Outputs.PortDoc, Data: data}}, nil
}

// The page's size to start its buffer at: about this much text besides
// the services, and this much per service (a row in its range and one
// on its host, with the diagram's node), as this project's and
// generated platforms have it.
const (
	docBytes     = 8 << 10
	serviceBytes = 256
)

// Render executes the template on d.
func Render(d Doc) ([]byte, error) {
	d.Header = output.Header(output.HTMLComment)
	var buf bytes.Buffer
	buf.Grow(docBytes + serviceBytes*d.Summary.Services) // grown once, not copied at every doubling
	if err := tmpl().Execute(&buf, escapedRows(d)); err != nil {
		return nil, fmt.Errorf("portdoc: %w", err)
	}
	return buf.Bytes(), nil
}
