package env

import (
	"bytes"
	"sync"
	"text/template"

	"portschema/generators/output"
	"portschema/generators/rendered"
	"portschema/templates"
)

// tmpl is parsed once, when first used, so that a command that renders
// nothing does not pay for it; executing a parsed template is safe for
// concurrent use and never changes it.
var tmpl = sync.OnceValue(func() *template.Template {
	return template.Must(template.New(TemplateName).Option("missingkey=error").
		ParseFS(templates.FS, "env/"+TemplateName))
})

// page is what env.tmpl renders: a document whose every text is final,
// comment lines kept on one line (comment) and values quoted for dotenv
// (quoteValue). The template only lays the texts out, so a file of
// thousands of lines costs no call through reflection per line.
type page struct {
	Header   string
	About    []string
	Sections []pageSection
}

type pageSection struct {
	Title string
	Vars  []pageVar
}

// pageVar is one `Name=Value` line under its comment lines.
type pageVar struct {
	Name, Value string
	Comments    []string
}

// pageOf readies a document's texts for the template.
func pageOf(doc document) page {
	pg := page{Header: output.Header(output.HashComment), About: comments(doc.About),
		Sections: make([]pageSection, len(doc.Sections))}
	for i, sec := range doc.Sections {
		vars := make([]pageVar, len(sec.Vars))
		for k, v := range sec.Vars {
			vars[k] = pageVar{Name: v.Name, Value: quoteValue(v.Value), Comments: comments(v.Comments)}
		}
		pg.Sections[i] = pageSection{Title: comment(sec.Title), Vars: vars}
	}
	return pg
}

// comments are texts as comment lines' bodies; nil stays nil.
func comments(texts []string) []string {
	if texts == nil {
		return nil
	}
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = comment(t)
	}
	return out
}

// fileBytes is the size a file's buffer starts at: most .env files
// are a few hundred bytes.
const fileBytes = 1 << 10

// render is a document's file.
func render(doc document) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(fileBytes) // most files fit: grown once, not at every doubling
	if err := tmpl().Execute(&b, pageOf(doc)); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// renderKept is render through the renders the memo keeps (see package
// rendered): a document a run before rendered is not rendered again.
func renderKept(renders *rendered.Cache, d *rendered.Digester, doc document) ([]byte, error) {
	return renders.Render(doc.digest(d), func() ([]byte, error) { return render(doc) })
}

// digest is the digest of every text of the document, which is all
// render reads of it, taken with d.
func (doc document) digest(d *rendered.Digester) rendered.Digest {
	d.Texts(doc.About)
	d.Count(len(doc.Sections))
	for _, sec := range doc.Sections {
		d.Text(sec.Title)
		d.Count(len(sec.Vars))
		for _, v := range sec.Vars {
			d.Text(v.Name)
			d.Text(v.Value.Head)
			d.Text(v.Value.Secret)
			d.Text(v.Value.Tail)
			d.Texts(v.Comments)
		}
	}
	return d.Sum()
}
