package importer

import (
	"fmt"
	"sort"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/token"
)

// File is one file of the emitted source: a name inside the source
// directory and its formatted contents.
type File struct {
	Name string
	Data []byte
}

// Emit writes the source as formatted CUE files: platform.cue (the
// platform, outputs and prometheus blocks), ranges.cue, hosts.cue, and
// one services_<range>.cue per range holding services, in that order.
func Emit(src *Source) ([]File, error) {
	var files []File
	add := func(name string, header []string, decls []ast.Decl) error {
		data, err := formatFile(header, decls)
		if err != nil {
			return fmt.Errorf("formatting %s: %w", name, err)
		}
		files = append(files, File{Name: name, Data: data})
		return nil
	}
	if err := add("platform.cue", src.Platform.Notes[""], platformDecls(src)); err != nil {
		return nil, err
	}
	var rangeDecls, hostDecls []ast.Decl
	for _, r := range src.Ranges {
		rangeDecls = append(rangeDecls, rangeDecl(r))
	}
	for _, h := range src.Hosts {
		hostDecls = append(hostDecls, hostDecl(h))
	}
	if err := add("ranges.cue", []string{"Port ranges: every service's port lies in its range, or it says why not."}, rangeDecls); err != nil {
		return nil, err
	}
	if err := add("hosts.cue", []string{"The machines services run on."}, hostDecls); err != nil {
		return nil, err
	}
	for _, group := range groupServices(src) {
		var decls []ast.Decl
		for _, s := range group.services {
			decls = append(decls, serviceDecl(s))
		}
		header := []string{fmt.Sprintf("Services of range %s.", group.rangeName)}
		if err := add("services_"+group.rangeName+".cue", header, decls); err != nil {
			return nil, err
		}
	}
	return files, nil
}

type serviceGroup struct {
	rangeName string
	services  []*Service
}

// groupServices splits services by range, in the order of the ranges,
// so a reader finds a service where the port table would list it.
func groupServices(src *Source) []serviceGroup {
	byRange := map[string][]*Service{}
	for _, s := range src.Services {
		byRange[s.Range] = append(byRange[s.Range], s)
	}
	var out []serviceGroup
	seen := map[string]bool{}
	for _, r := range src.Ranges {
		if ss := byRange[r.Name]; len(ss) > 0 && !seen[r.Name] {
			seen[r.Name] = true
			out = append(out, serviceGroup{r.Name, ss})
		}
	}
	var rest []string
	for name := range byRange {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		out = append(out, serviceGroup{name, byRange[name]})
	}
	return out
}

// formatFile formats one file of package platform. Top-level
// declarations are separated by blank lines.
func formatFile(header []string, decls []ast.Decl) ([]byte, error) {
	pkg := &ast.Package{Name: ast.NewIdent("platform")}
	addComments(pkg, header)
	f := &ast.File{Decls: []ast.Decl{pkg}}
	for _, d := range decls {
		ast.SetRelPos(d, token.NewSection)
		for _, cg := range ast.Comments(d) {
			if cg.Doc && len(cg.List) > 0 {
				cg.List[0].Slash = token.NoPos.WithRel(token.NewSection)
			}
		}
		f.Decls = append(f.Decls, d)
	}
	return format.Node(f, format.Simplify())
}

// entityDecl writes `kind: "name": {...}` on one line, with the entity's
// own comments above it.
func entityDecl(kind, name string, body *ast.StructLit, comments []string) ast.Decl {
	inner := &ast.Field{Label: label(name), Value: body}
	outer := &ast.Field{Label: ast.NewIdent(kind), Value: &ast.StructLit{Elts: []ast.Decl{inner}}}
	// A label position marks the chain as one the formatter may collapse.
	outer.Label.(*ast.Ident).NamePos = token.NoPos.WithRel(token.Newline)
	addComments(outer, comments)
	return outer
}

// structBuilder collects the fields of one entity, attaching the
// entity's notes to the fields they are keyed by.
type structBuilder struct {
	lit   *ast.StructLit
	notes Notes
	path  string
}

func newStruct(notes Notes, path string) *structBuilder {
	return &structBuilder{lit: &ast.StructLit{}, notes: notes, path: path}
}

func (b *structBuilder) key(name string) string {
	if b.path == "" {
		return name
	}
	return b.path + "." + name
}

func (b *structBuilder) add(name string, v ast.Expr) *ast.Field {
	f := field(name, v, b.notes[b.key(name)]...)
	b.lit.Elts = append(b.lit.Elts, f)
	return f
}

func (b *structBuilder) str(name, v string) {
	if v != "" {
		b.add(name, str(v))
	}
}

func (b *structBuilder) int(name string, v int) {
	if v != 0 {
		b.add(name, intLit(v))
	}
}

func (b *structBuilder) any(name string, v any) {
	switch x := v.(type) {
	case nil:
		return
	case map[string]any:
		if len(x) == 0 {
			return
		}
	}
	b.add(name, value(v))
}

func platformDecls(src *Source) []ast.Decl {
	p := newStruct(src.Platform.Notes, "")
	p.str("name", src.Platform.Name)
	p.str("domain", src.Platform.Domain)
	if len(src.Platform.Principles) > 0 {
		p.add("principles", value(src.Platform.Principles))
	}
	decls := []ast.Decl{field("platform", p.lit)}
	if pr := src.Prometheus; pr != nil {
		decls = append(decls, prometheusDecl(pr))
	}
	return decls
}

func prometheusDecl(pr *Prometheus) ast.Decl {
	b := newStruct(pr.Notes, "")
	b.str("host", pr.Host)
	b.any("global", pr.Global)
	b.any("alerting", pr.Alerting)
	if len(pr.RuleFiles) > 0 {
		b.add("rule_files", value(pr.RuleFiles))
	}
	if len(pr.Jobs) > 0 {
		l := &ast.ListLit{}
		for i, j := range pr.Jobs {
			e := value(j)
			addComments(e, pr.Notes[fmt.Sprintf("jobs[%d]", i)])
			l.Elts = append(l.Elts, e)
		}
		b.add("jobs", l)
	}
	if len(pr.Probes) > 0 {
		probes := newStruct(pr.Notes, "probes")
		for _, pj := range pr.Probes {
			pb := newStruct(pr.Notes, "probes."+pj.Name)
			pb.str("module", pj.Module)
			pb.str("exporter", pj.Exporter)
			pb.str("interval", pj.Interval)
			probes.add(pj.Name, pb.lit)
		}
		b.add("probes", probes.lit)
	}
	return field("prometheus", b.lit, "prometheus configures the generated scrape config.")
}

func rangeDecl(r *Range) ast.Decl {
	b := newStruct(r.Notes, "")
	b.add("from", intLit(r.From))
	b.add("to", intLit(r.To))
	b.add("purpose", str(r.Purpose))
	b.str("note", r.Note)
	return entityDecl("ranges", r.Name, b.lit, r.Notes[""])
}

func hostDecl(h *Host) ast.Decl {
	b := newStruct(h.Notes, "")
	b.add("title", str(h.Title))
	b.add("kind", str(h.Kind))
	b.str("address", h.Address)
	if c := h.Compose; c != nil {
		cb := newStruct(h.Notes, "compose")
		cb.add("project", str(c.Project))
		for _, block := range []string{"volumes", "networks", "secrets", "configs"} {
			cb.any(block, c.Blocks[block])
		}
		b.add("compose", cb.lit)
	}
	if t := h.Tunnel; t != nil {
		tb := newStruct(h.Notes, "tunnel")
		tb.add("id", str(t.ID))
		tb.add("credentials_file", str(t.CredentialsFile))
		tb.any("origin_request", t.OriginRequest)
		if len(t.Rules) > 0 {
			l := &ast.ListLit{}
			for _, r := range t.Rules {
				rb := newStruct(nil, "")
				rb.str("hostname", r.Hostname)
				rb.str("path", r.Path)
				rb.str("service", r.Service)
				rb.str("comment", r.Comment)
				rb.any("origin_request", r.OriginRequest)
				l.Elts = append(l.Elts, rb.lit)
			}
			tb.add("rules", l)
		}
		b.add("tunnel", tb.lit)
	}
	return entityDecl("hosts", h.Name, b.lit, h.Notes[""])
}
