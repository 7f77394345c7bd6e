// Package env writes the dotenv files of a platform: one .env per
// service, and one secrets template per compose host.
//
// A service's .env is its environment on a developer laptop that runs
// every service on localhost: the port it listens on, the URL of every
// service it needs (asked of the model from the laptop vantage, never
// typed), its plain values, and its secrets as empty assignments that
// say which host secret fills them. It is written to the source's
// env_dir and to every path the service lists in env_files, such as a
// `.env` next to its code.
//
// A host's secrets template lists every variable its compose file reads
// from the host's environment, grouped by service, with no values: the
// file an operator copies and fills in.
//
// No value of a secret is ever known here: the model holds names only,
// and nothing in this package reads the process environment.
package env

import (
	"bytes"
	"fmt"
	"path"
	"sort"
	"text/template"

	"portschema/generators/output"
	"portschema/schema"
	"portschema/templates"
)

// TemplateName is the template both outputs render.
const TemplateName = "env.tmpl"

// Generate returns every service's .env files and every compose host's
// secrets template. Problems in the source come back as
// schema.Diagnostics at the offending value.
func Generate(p *schema.Platform) ([]output.File, error) {
	tmpl, err := parseTemplate()
	if err != nil {
		return nil, err
	}
	var files []output.File
	var diags schema.Diagnostics
	for _, s := range p.Services {
		doc, ds := serviceDocument(p, s)
		diags = append(diags, ds...)
		data, err := render(tmpl, doc)
		if err != nil {
			return nil, fmt.Errorf("env: %s: %w", s.Name, err)
		}
		file := output.File{Path: path.Join(p.Outputs.EnvDir, s.Name+".env"), Data: data}
		if keys := doc.names(secretsTitle); len(keys) > 0 {
			file.Private, file.Filled = true, newFilledSecrets(keys)
		}
		files = append(files, file)
		for _, extra := range s.EnvFiles {
			file.Path, file.Local = extra, true
			files = append(files, file)
		}
	}
	for _, h := range p.Hosts {
		if h.Compose == nil {
			continue
		}
		data, err := render(tmpl, secretsDocument(p, h))
		if err != nil {
			return nil, fmt.Errorf("env: secrets of host %s: %w", h.Name, err)
		}
		files = append(files, output.File{Path: SecretsPath(h), Data: data, Private: true})
	}
	if len(diags) > 0 {
		return nil, diags.Sort()
	}
	return files, nil
}

// document is what env.tmpl renders: comment lines about the file, then
// sections of assignments, each under its title.
type document struct {
	Header   string
	About    []string
	Sections []section
}

type section struct {
	Title string
	Vars  []assignment
}

// assignment is one `NAME=value` line with its comment lines. Value is
// literal text around at most one secret reference.
type assignment struct {
	Name     string
	Value    schema.SecretURL
	Comments []string
}

// add appends a section of assignments sorted by name; an empty one is
// left out.
func (d *document) add(title string, vars ...assignment) {
	if len(vars) == 0 {
		return
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].Name < vars[j].Name })
	d.Sections = append(d.Sections, section{Title: title, Vars: vars})
}

// names lists the variables of the section titled title.
func (d *document) names(title string) []string {
	var out []string
	for _, s := range d.Sections {
		if s.Title == title {
			for _, v := range s.Vars {
				out = append(out, v.Name)
			}
		}
	}
	return out
}

func parseTemplate() (*template.Template, error) {
	t, err := template.New(TemplateName).Funcs(template.FuncMap{
		"comment": comment,
		"dotenv":  quoteValue,
	}).ParseFS(templates.FS, "env/"+TemplateName)
	if err != nil {
		return nil, fmt.Errorf("env: %w", err)
	}
	return t, nil
}

func render(t *template.Template, doc document) ([]byte, error) {
	doc.Header = output.Header(output.HashComment)
	var b bytes.Buffer
	if err := t.Execute(&b, doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func literal(text string) schema.SecretURL { return schema.SecretURL{Head: text} }

func errorAt(pos schema.Pos, format string, args ...any) schema.Diagnostic {
	return schema.Diagnostic{Severity: schema.Error, Pos: pos, Message: fmt.Sprintf(format, args...)}
}
