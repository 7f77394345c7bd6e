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
	"fmt"
	"path"
	"sort"

	"portschema/generators/output"
	"portschema/generators/rendered"
	"portschema/schema"
)

// TemplateName is the template both outputs render.
const TemplateName = "env.tmpl"

// Plan is the dotenv files of one model, worked out once per run:
// every service's document, with the problems found on the way, which
// both the rules (Diagnostics) and the files (Files) need.
type Plan struct {
	p     *schema.Platform
	docs  []document // one per service, in p.Services' order
	diags schema.Diagnostics
}

// Prepare works out the documents of every service of p.
func Prepare(p *schema.Platform, _ output.Read) (*Plan, error) {
	w := &Plan{p: p, docs: make([]document, len(p.Services))}
	for i, s := range p.Services {
		var ds schema.Diagnostics
		w.docs[i], ds = serviceDocument(p, s)
		w.diags = append(w.diags, ds...)
	}
	return w, nil
}

// Diagnostics are the source's problems that only the .env files have
// (a need a laptop cannot reach, a need password read from a variable
// that holds something else), reported in the same run as every other
// rule.
func (w *Plan) Diagnostics() schema.Diagnostics { return w.diags }

// Files renders every service's .env files and every compose host's
// secrets template, for a source whose Diagnostics hold no error.
func (w *Plan) Files() ([]output.File, error) {
	p := w.p
	var files []output.File
	renders := rendered.Open("env")
	defer renders.Close()
	digester := rendered.NewDigester()
	for i, s := range p.Services {
		doc := w.docs[i]
		data, err := renderKept(renders, digester, doc)
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
		data, err := renderKept(renders, digester, secretsDocument(p, h))
		if err != nil {
			return nil, fmt.Errorf("env: secrets of host %s: %w", h.Name, err)
		}
		files = append(files, output.File{Path: SecretsPath(h), Data: data, Private: true})
	}
	return files, nil
}

// document is a dotenv file as the generator works it out: comment
// lines about the file, then sections of assignments, each under its
// title. Its text is raw; render readies it for env.tmpl.
type document struct {
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

func literal(text string) schema.SecretURL { return schema.SecretURL{Head: text} }

func errorAt(pos schema.Pos, format string, args ...any) schema.Diagnostic {
	return schema.Diagnostic{Severity: schema.Error, Pos: pos, Message: fmt.Sprintf(format, args...)}
}
