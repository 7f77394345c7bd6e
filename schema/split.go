package schema

import (
	"fmt"
	"hash/fnv"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/cuecontext"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"

	"portschema/schema/memo"
)

// A large source is evaluated in parts. CUE keeps nearly everything it
// evaluates alive until the value is exported, so the memory of one
// evaluation grows with the whole source, and a struct of thousands of
// services is searched field by field. When no service depends on
// another, each part (every file, with only some services left in) is
// an independent evaluation that gives exactly those services: its
// memory is garbage as soon as it is exported, parts run on every core,
// and the cost stays linear in the number of services.
//
// Whether services are independent is decided on the syntax, and only
// plain sources qualify: every top-level services declaration is a
// struct of services written by name (or of pattern constraints, which
// every part keeps), nothing at the top level is computed (no
// embedding, comprehension or dynamic label), and no expression in any
// file, the definitions included, refers to `services` or to a service
// by its declaration. Anything else is evaluated whole, as are sources
// with errors, so diagnostics never depend on the split.

// splitAt is the number of services from which a source is split: with
// fewer there is little to save (a part with no services costs about
// 3 ms); from 40, two parts on two cores take a tenth to a fifth off a
// regen.
//
// partSize is how many services a part holds on average. Parts are
// kept in the memo (see evaluateCached), so a part is what a change to
// one service costs to evaluate again. Each part pays for evaluating
// the definitions again: at 10,000 services parts of 50 cost a fifth
// more CPU, cold, than parts of 250, while a change to one service at
// 1,000 costs about the same with either (0.36 and 0.41 s of CPU).
//
// A part ends after a service whose name hashes to a multiple of
// partSize (or at maxPart services), so where parts end depends on the
// names around, not on how many services come before: adding or
// removing a service changes its own part only, and every other part
// keeps its bytes and its memo entry.
const (
	splitAt  = 40
	partSize = 250
	maxPart  = 2 * partSize
)

// maxWorkers bounds the parts evaluated at once: each holds its own
// evaluation, so on a machine of many cores more would trade memory for
// little time.
const maxWorkers = 4

// splitPlan says which bytes of which file declare each service.
type splitPlan struct {
	names []string // distinct service names, sorted
	decls []serviceDecl
}

// serviceDecl is one declaration of a service: the byte range that a
// part without that service cuts out.
type serviceDecl struct {
	file       string // base name of the file
	name       string
	start, end int
}

// parsePlain parses the definitions and every file of the source, a
// file per core at once, if each is a plain file of the package: one
// that parses, declares the package and carries no file attributes
// (such as @if, which decides whether CUE loads the file at all). It
// returns nil otherwise; CUE's loader then loads the source and reports
// any problem.
func parsePlain(src *Source) []*ast.File {
	names := append([]string{DefinitionsFile}, src.Names...)
	files := make([]*ast.File, len(names))
	plain := make([]bool, len(names))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(names), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(names); i = int(next.Add(1) - 1) {
				data := Definitions
				if i > 0 {
					data = src.Data[names[i]]
				}
				f, err := parser.ParseFile(filepath.Join(src.Dir, names[i]), data)
				files[i], plain[i] = f, err == nil && f.PackageName() == PackageName && !hasFileAttributes(f)
			}
		})
	}
	wg.Wait()
	for _, ok := range plain {
		if !ok {
			return nil
		}
	}
	return files
}

// hasFileAttributes reports whether a file has attributes before its
// package clause.
func hasFileAttributes(f *ast.File) bool {
	for _, d := range f.Decls {
		switch d.(type) {
		case *ast.Attribute:
			return true
		case *ast.Package:
			return false
		}
	}
	return false
}

// planSplit returns the plan of a source that is large and plain
// enough to be split, or nil.
func planSplit(src *Source, files []*ast.File) *splitPlan {
	if src.InModule {
		return nil // a module whose files we do not hold
	}
	plan := planParts(files)
	if plan == nil || len(plan.names) < splitAt {
		return nil
	}
	return plan
}

// planParts returns the plan of a source whose services can be
// evaluated apart, or nil.
func planParts(files []*ast.File) *splitPlan {
	plan := &splitPlan{}
	scopes := map[ast.Node]bool{} // the structs that declare services
	for _, f := range files {
		if filepath.Base(f.Filename) == DefinitionsFile {
			continue // ours: checked for references only
		}
		for _, d := range f.Decls {
			if !plan.addTopLevel(f, d, scopes) {
				return nil
			}
		}
	}
	for _, f := range files {
		if refersToServices(f, scopes) {
			return nil
		}
	}
	seen := map[string]bool{}
	for _, d := range plan.decls {
		if !seen[d.name] {
			seen[d.name] = true
			plan.names = append(plan.names, d.name)
		}
	}
	sort.Strings(plan.names)
	return plan
}

// addTopLevel accepts one top-level declaration of a user file, noting
// the services it declares; it reports false for anything computed.
func (plan *splitPlan) addTopLevel(f *ast.File, d ast.Decl, scopes map[ast.Node]bool) bool {
	switch d := d.(type) {
	case *ast.Package, *ast.ImportDecl, *ast.Attribute, *ast.CommentGroup, *ast.LetClause:
		return true
	case *ast.Field:
		name, ok := plainLabel(d)
		if !ok {
			return false
		}
		if name != "services" {
			return true
		}
		st, ok := d.Value.(*ast.StructLit)
		if !ok {
			return false
		}
		scopes[st] = true
		braced := st.Lbrace.IsValid()
		for _, e := range st.Elts {
			switch e := e.(type) {
			case *ast.CommentGroup, *ast.Attribute:
			case *ast.Field:
				if _, pattern := e.Label.(*ast.ListLit); pattern && e.Alias == nil {
					continue // a pattern constraint: every part keeps it
				}
				svc, ok := plainLabel(e)
				if !ok {
					return false
				}
				span := ast.Node(e)
				if !braced {
					span = d // services: name: {...}: the whole declaration
				}
				plan.decls = append(plan.decls, serviceDecl{file: filepath.Base(f.Filename), name: svc,
					start: span.Pos().Offset(), end: span.End().Offset()})
			default:
				return false
			}
		}
		return true
	}
	return false
}

// plainLabel returns the name of a regular field with a constant label
// and no alias.
func plainLabel(f *ast.Field) (string, bool) {
	if f.Alias != nil || f.Constraint != token.ILLEGAL {
		return "", false
	}
	switch f.Label.(type) {
	case *ast.Ident, *ast.BasicLit:
	default:
		return "", false
	}
	name, _, err := ast.LabelName(f.Label)
	return name, err == nil && name != ""
}

// refersToServices reports whether an expression of the file names
// `services` or resolves to a field declared in one of the structs of
// services (a service, or a hidden field or alias beside them). Labels
// and selectors name fields, not values, and are skipped.
func refersToServices(f *ast.File, scopes map[ast.Node]bool) bool {
	found := false
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		ast.Walk(n, func(n ast.Node) bool {
			if found {
				return false
			}
			switch x := n.(type) {
			case *ast.Field:
				switch l := x.Label.(type) {
				case *ast.Ident, *ast.BasicLit:
				default:
					walk(l)
				}
				if x.Value != nil {
					walk(x.Value)
				}
				return false
			case *ast.SelectorExpr:
				walk(x.X)
				return false
			case *ast.Ident:
				if x.Name == "services" || x.Scope != nil && scopes[x.Scope] {
					found = true
				}
			}
			return true
		}, nil)
	}
	walk(f)
	return found
}

// evaluate exports the source part by part, as many at a time as
// there are cores, and returns the JSON of every part; ok is false when
// a part fails (the caller then evaluates the source whole, for the
// complete diagnostics).
//
// What each part evaluated to is kept in store under the part's bytes,
// so that a later run evaluates only the parts whose bytes changed.
func (plan *splitPlan) evaluate(src *Source, store memo.Store) (docs [][]byte, ok bool) {
	part, parts := plan.partition()
	docs = make([][]byte, parts)
	failed := make([]bool, parts)
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(parts, runtime.GOMAXPROCS(0), maxWorkers) {
		wg.Go(func() {
			for i := range work {
				var err error
				docs[i], err = evaluateCached(src, plan.only(src, part, i), store)
				failed[i] = err != nil
			}
		})
	}
	for i := range parts {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, f := range failed {
		if f {
			return nil, false
		}
	}
	return docs, true
}

// partition assigns every service to a part (see partSize) and returns
// the number of parts, at least two, so that both cores work.
func (plan *splitPlan) partition() (map[string]int, int) {
	part := make(map[string]int, len(plan.names))
	parts, size := 0, 0
	for _, name := range plan.names {
		part[name] = parts
		size++
		if size == maxPart || endsPart(name) {
			parts, size = parts+1, 0
		}
	}
	if size > 0 {
		parts++
	}
	if parts < 2 {
		for i, name := range plan.names {
			part[name] = i * 2 / len(plan.names)
		}
		parts = 2
	}
	return part, parts
}

// endsPart reports whether a part ends after the service of that name.
func endsPart(name string) bool {
	h := fnv.New32a()
	h.Write([]byte(name))
	return h.Sum32()%partSize == 0
}

// only returns the files of the source with every service declaration
// outside part i cut out (with the comma that may follow it), so that a
// part parses little more than its own services. Positions in a part
// are not those of the files, and need not be: a part that fails sends
// the source to the whole evaluation, which reports the problems.
func (plan *splitPlan) only(src *Source, part map[string]int, i int) map[string][]byte {
	files := make(map[string][]byte, len(src.Names))
	for _, name := range src.Names {
		files[name] = src.Data[name]
	}
	cursor := map[string]int{} // how far each file is copied
	kept := map[string][]byte{}
	for _, d := range plan.decls { // in the order of the files' bytes
		if part[d.name] == i {
			continue
		}
		data := src.Data[d.file]
		kept[d.file] = append(kept[d.file], data[cursor[d.file]:d.start]...)
		cursor[d.file] = skipComma(data, d.end)
	}
	for name, data := range kept {
		files[name] = append(data, src.Data[name][cursor[name]:]...)
	}
	return files
}

// skipComma returns the offset after the comma that may follow end
// (across blanks), or end.
func skipComma(data []byte, end int) int {
	for i := end; i < len(data); i++ {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case ',':
			return i + 1
		}
		break
	}
	return end
}

// evaluateCached is evaluatePart, through the memo: a part evaluated
// before, by this binary, from the same bytes, is taken from store.
func evaluateCached(src *Source, files map[string][]byte, store memo.Store) ([]byte, error) {
	if !store.On() || src.InModule {
		return evaluatePart(src, files)
	}
	k := partKey(store, "source part", src.Names, files)
	if data, ok := store.Get(k); ok {
		return data, nil
	}
	data, err := evaluatePart(src, files)
	if err == nil {
		store.Put(k, data)
	}
	return data, err
}

// evaluatePart loads and exports one part of the source.
func evaluatePart(src *Source, files map[string][]byte) ([]byte, error) {
	part := &Source{Dir: src.Dir, Names: src.Names, Data: files}
	inst, err := loadInstance(part)
	if err != nil {
		return nil, err
	}
	if inst.Err != nil {
		return nil, inst.Err
	}
	for _, f := range inst.Files {
		if name := filepath.Base(f.Filename); name != DefinitionsFile && src.Data[name] == nil {
			// CUE's loader reads the directory: a file that appeared
			// since the source was read. The whole load sees it too.
			return nil, fmt.Errorf("%s appeared during the load", name)
		}
	}
	return cuecontext.New().BuildInstance(inst).MarshalJSON()
}
