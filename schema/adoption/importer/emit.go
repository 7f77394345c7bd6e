package importer

import (
	"fmt"
	"sort"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/token"

	"portschema/schema"
)

// File is one file of the emitted source: a name inside the source
// directory and its formatted contents.
type File struct {
	Name string
	Data []byte
}

// Emit writes the source as formatted CUE files: platform.cue (the
// platform, outputs and prometheus blocks; outputs only where it is not
// all defaults), ranges.cue, hosts.cue, and one
// services_<range>.cue per range holding services, in that order.
func Emit(src *Source) ([]File, error) {
	shape, err := schema.SourceShape()
	if err != nil {
		return nil, err
	}
	e := newEmitter(shape, src)
	p := src.Platform
	var files []File
	add := func(name string, header []string, decls []ast.Decl) error {
		data, err := formatFile(header, decls)
		if err != nil {
			return fmt.Errorf("formatting %s: %w", name, err)
		}
		files = append(files, File{Name: name, Data: data})
		return nil
	}
	platform := []ast.Decl{e.block("platform", p)}
	if outputs := e.block("outputs", &p.Outputs); len(outputs.Value.(*ast.StructLit).Elts) > 0 {
		platform = append(platform, outputs)
	}
	if p.Prometheus != nil {
		platform = append(platform, e.block("prometheus", p.Prometheus))
	}
	if err := add("platform.cue", src.Header, platform); err != nil {
		return nil, err
	}
	var rangeDecls, hostDecls []ast.Decl
	for _, r := range p.Ranges {
		rangeDecls = append(rangeDecls, e.entity("ranges", r.Name, r))
	}
	for _, h := range p.Hosts {
		hostDecls = append(hostDecls, e.entity("hosts", h.Name, h))
	}
	if err := add("ranges.cue", []string{"Port ranges: every service's port lies in its range, or it says why not."}, rangeDecls); err != nil {
		return nil, err
	}
	if err := add("hosts.cue", []string{"The machines services run on."}, hostDecls); err != nil {
		return nil, err
	}
	for _, group := range groupServices(p) {
		var decls []ast.Decl
		for _, s := range group.services {
			decls = append(decls, e.entity("services", s.Name, s))
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
	services  []*schema.Service
}

// groupServices splits services by range, in the order of the ranges,
// so a reader finds a service where the port table would list it.
func groupServices(p *schema.Platform) []serviceGroup {
	byRange := map[string][]*schema.Service{}
	for _, s := range p.Services {
		byRange[s.Range] = append(byRange[s.Range], s)
	}
	var out []serviceGroup
	seen := map[string]bool{}
	for _, r := range p.Ranges {
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
	pkg := &ast.Package{Name: ast.NewIdent(schema.PackageName)}
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
