package schema

import (
	"bytes"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
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

// splitAt is the number of services from which a source is split: a
// chunk's worth (see chunkSize), with the memo or without. With the
// memo, a run after a change evaluates the changed service alone
// rather than the whole source (at 50 services, 26 ms of CPU instead
// of 45). Without it, two parts on two cores take as much CPU as one
// evaluation of the whole and less time: at 14 to 37 services, a
// tenth to a sixth less wall time for the same CPU (a part with no
// services costs about 3 ms, which two cores pay side by side).
//
// factsUpTo is the most services left to evaluate for which a run
// that holds every file's facts (see evaluateFromFacts) evaluates them
// from their own bytes; with more, parsing every file once and
// evaluating from that syntax costs less.
const (
	splitAt   = chunkSize
	factsUpTo = 250
)

// A part holds a fortieth of the source, from smallestPart to
// largestPart services (see partSize).
const (
	smallestPart = 100
	largestPart  = 250
)

// partSize is how many services a part of a source of n services
// holds, about, when a run evaluates it. The memo keeps what a part
// evaluated to by service, in smaller chunks (see chunkSize), so a
// change to one service evaluates that service again, not its part,
// and where parts end matters to no entry: a source is cut into parts
// of even size (see partition).
//
// Parts trade the collector's work against their own. The parts
// evaluated at once each hold their whole evaluation until it is
// exported (about 120 KB a service at 500 synthetic services), and the
// collector's budget grows with the source: where those parts hold
// much of it, the collector runs often and has much to trace each
// time. At 500 services, two parts of 250 on two cores held 60 MB of a
// 64 MB budget, the collector ran back to back, and the run took
// 936 ms of CPU against 543 ms with parts of 100; at 1,000 and 2,500
// services parts of 100 took a seventh and a thirtieth less than parts
// of 250. But each part also evaluates the definitions and everything
// around the services again, about 3 ms and more where that is large:
// at 10,000 services, where the budget is over 800 MB, parts of 250
// took a fourteenth (synthetic) to a twelfth (imported) less user time
// than parts of 100.
func partSize(n int) int {
	return min(max(n/40, smallestPart), largestPart)
}

// maxWorkers bounds the parts evaluated at once: each holds its own
// evaluation, so on a machine of many cores more would trade memory for
// little time.
const maxWorkers = 4

// splitPlan says which bytes of which file declare each service.
type splitPlan struct {
	names []string // distinct service names, sorted
	decls []serviceDecl
	// syntax is the parsed source, the definitions first, when every
	// part can be built from it (see partSyntax); nil when a part's
	// files must be parsed from its bytes.
	syntax []*ast.File
	// linking is held while a part's syntax is made and linked (see
	// linkFiles).
	linking sync.Mutex
	// apart are the files the services do not evaluate from (see
	// apartFiles), by base name; nil when that cannot be told.
	apart map[string]bool
}

// serviceDecl is one declaration of a service: the byte range that a
// part without that service cuts out, and the syntax it is.
type serviceDecl struct {
	file       string // base name of the file
	name       string
	start, end int
	node       ast.Node       // the declaration: a top-level field, or a field of a braced struct
	in         *ast.StructLit // the braced struct of services holding node, or nil
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
// enough to be split (see splitAt), or nil.
func planSplit(src *Source, files []*ast.File) *splitPlan {
	if src.InModule {
		return nil // a module whose files we do not hold
	}
	plan := planParts(files)
	if plan == nil || len(plan.names) < splitAt {
		return nil
	}
	if !plan.refersToFileScope(files) {
		plan.syntax = files
	}
	plan.apart = apartFiles(files)
	return plan
}

// apartFiles are the user files the services of a split source do not
// evaluate from, by base name: each file that declares no services and
// nothing but regular fields (the platform, hosts, ranges) the
// definitions do not read, when no other file refers to a top-level
// declaration (see refersToTopLevel). Definitions or hidden fields
// written in a file may constrain a service, and a reference may read
// anything: a source with either outside apart files has none.
func apartFiles(files []*ast.File) map[string]bool {
	reads, ok := definitionsRead()
	if !ok {
		return nil
	}
	apart := map[string]bool{}
	for _, f := range files {
		name := filepath.Base(f.Filename)
		switch {
		case name == DefinitionsFile:
		case apartFile(f, reads):
			apart[name] = true
		case refersToTopLevel(f):
			return nil
		}
	}
	return apart
}

// apartFile reports whether a file declares no services and nothing but
// regular fields not in reads, besides its package clause, imports,
// lets and comments.
func apartFile(f *ast.File, reads map[string]bool) bool {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.Package, *ast.ImportDecl, *ast.CommentGroup, *ast.LetClause:
		case *ast.Field:
			name, ok := plainLabel(d)
			if !ok || name == "services" || reads[name] || strings.HasPrefix(name, "#") || strings.HasPrefix(name, "_") {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// definitionsRead are the names the definitions' expressions leave for
// the package to resolve (the predeclared ones, such as string, which a
// field of that name would replace); ok is false when an expression of
// theirs refers to a regular field they declare (such as hosts), which
// a user file adds to.
var definitionsRead = sync.OnceValues(func() (map[string]bool, bool) {
	f, err := parser.ParseFile(DefinitionsFile, Definitions)
	if err != nil {
		return nil, false
	}
	reads := map[string]bool{}
	for _, u := range f.Unresolved {
		if !isPackageName(f, u) {
			reads[u.Name] = true
		}
	}
	regular := false
	ast.Walk(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Package, *ast.ImportDecl:
			return false
		case *ast.Field:
			// A label names a field; only its value can read one.
			if x.Value != nil {
				ast.Walk(x.Value, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok && id.Scope == ast.Node(f) && !strings.HasPrefix(id.Name, "#") && !strings.HasPrefix(id.Name, "_") {
						regular = true
					}
					return !regular
				}, nil)
			}
			return false
		}
		return !regular
	}, nil)
	return reads, !regular
})

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
	plan.nameServices()
	return plan
}

// nameServices sets the plan's names: the services its declarations
// declare, each once, sorted.
func (plan *splitPlan) nameServices() {
	seen := map[string]bool{}
	for _, d := range plan.decls {
		if !seen[d.name] {
			seen[d.name] = true
			plan.names = append(plan.names, d.name)
		}
	}
	sort.Strings(plan.names)
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
				decl := serviceDecl{file: filepath.Base(f.Filename), name: svc,
					start: span.Pos().Offset(), end: span.End().Offset(), node: span}
				if braced {
					decl.in = st
				}
				plan.decls = append(plan.decls, decl)
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

// refersToFileScope reports whether an expression of a file that
// declares services refers to a declaration at the top level of any
// file: of its own (a hidden field, a let, any field beside the
// services), which the parser resolves to the file itself, or of
// another, which CUE links to the file when a part is built. A part's
// copy of the file (see partSyntax) is another file than both, so the
// parts are then parsed from their bytes instead. Files without
// services are shared by every part as they are.
func (plan *splitPlan) refersToFileScope(files []*ast.File) bool {
	declares := map[string]bool{}
	for _, d := range plan.decls {
		declares[d.file] = true
	}
	for _, f := range files {
		if declares[filepath.Base(f.Filename)] && refersToTopLevel(f) {
			return true
		}
	}
	return false
}

// refersToTopLevel reports whether an expression of f refers to a
// top-level declaration, of f or of another file (see
// refersToFileScope).
func refersToTopLevel(f *ast.File) bool {
	for _, u := range f.Unresolved {
		if !isPackageName(f, u) {
			return true
		}
	}
	found := false
	ast.Walk(f, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Package:
			return false // its name is no reference, resolved or not
		case *ast.Ident:
			found = found || x.Scope == ast.Node(f)
		}
		return !found
	}, nil)
	return found
}

// isPackageName reports whether id is the name in the package clause
// of f, which the parser leaves unresolved but nothing refers to.
func isPackageName(f *ast.File, id *ast.Ident) bool {
	for _, d := range f.Decls {
		if p, ok := d.(*ast.Package); ok {
			return p.Name == id
		}
	}
	return false
}

// evaluate exports the source part by part, as many at a time as
// there are cores, and returns the JSON of every part; ok is false when
// a part fails (the caller then evaluates the source whole, for the
// complete diagnostics). Through the memo, it keeps what the source
// evaluated to in chunks (see evaluateChunks), and evaluates only the
// chunks whose bytes changed.
func (plan *splitPlan) evaluate(src *Source, store memo.Store, early *earlyDecoding) (docs [][]byte, valueKeys map[string]memo.Key, ok bool) {
	if store.On() && !src.InModule {
		kept := plan.kept(src, store)
		docs, ok = plan.evaluateChunks(src, store, kept, early)
		return docs, kept.valueKeys(), ok
	}
	part, parts := partition(plan.names)
	docs, ok = plan.evaluateParts(src, part, parts, nil)
	return docs, nil, ok
}

// evaluateParts exports parts 0 to parts-1, each of the services
// part assigns to it, as many at a time as there are cores.
func (plan *splitPlan) evaluateParts(src *Source, part map[string]int, parts int, leave map[string]bool) (docs [][]byte, ok bool) {
	docs = make([][]byte, parts)
	failed := make([]bool, parts)
	work := make(chan int)
	var wg sync.WaitGroup
	for range min(parts, runtime.GOMAXPROCS(0), maxWorkers) {
		wg.Go(func() {
			for i := range work {
				var err error
				docs[i], err = plan.evaluatePart(src, part, i, leave)
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

// partition assigns every service of names, in order, to one of
// parts of even size (see partSize), and returns the number of parts:
// at least two when there are two services, so that both cores work,
// and none when there are none.
func partition(names []string) (map[string]int, int) {
	n := len(names)
	size := partSize(n)
	parts := min(n, max(2, (n+size/2)/size))
	part := make(map[string]int, n)
	for i, name := range names {
		part[name] = i * parts / n
	}
	return part, parts
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

// codeLines returns data without the lines that hold nothing, or only
// a comment: the tokens CUE reads are the same. A part parses it, since
// a source `import` wrote is mostly comments, outside the services as
// well as inside, and every part would scan them again; and the digest
// of what every service evaluates from is taken of it, so that a
// service added or removed with the blank lines around it changes no
// other service's key. Outside a multi-line string, a line whose first
// characters are // is a comment: no other literal spans lines. A file
// that may hold a multi-line string, or an attribute, is left as it is,
// as is one without such lines.
func codeLines(data []byte) []byte {
	if bytes.Contains(data, []byte(`"""`)) || bytes.Contains(data, []byte(`'''`)) || bytes.IndexByte(data, '@') >= 0 {
		return data
	}
	var out []byte // nil until the first line left out
	done := 0      // how far data is copied to out
	at := 0
	for line := range bytes.Lines(data) {
		if text := bytes.TrimLeft(line, " \t\r\n"); len(text) == 0 || bytes.HasPrefix(text, []byte("//")) {
			if out == nil {
				out = make([]byte, 0, len(data)/2)
			}
			out = append(out, data[done:at]...)
			done = at + len(line)
		}
		at += len(line)
	}
	if out == nil {
		return data
	}
	return append(out, data[done:]...)
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

// evaluatePart exports part i of the source: built from the syntax
// already parsed where it can be, else parsed from its bytes. A part
// that leaves files out (see apartFiles) exports its services alone:
// what the rest of the source evaluates to is kept, and is incomplete
// without them.
func (plan *splitPlan) evaluatePart(src *Source, part map[string]int, i int, leave map[string]bool) ([]byte, error) {
	servicesOnly := len(leave) > 0
	if plan.syntax == nil {
		files := plan.only(src, part, i)
		for name, data := range files {
			if leave[name] {
				delete(files, name)
				continue
			}
			files[name] = codeLines(data)
		}
		return evaluatePart(src, files, servicesOnly)
	}
	plan.linking.Lock()
	syntax := slices.DeleteFunc(plan.partSyntax(part, i), func(f *ast.File) bool { return leave[filepath.Base(f.Filename)] })
	inst, err := linkFiles(src.Dir, syntax)
	plan.linking.Unlock()
	if err != nil {
		return nil, err
	}
	return export(inst, servicesOnly)
}

// export builds a part and exports it as JSON: whole, or its services
// alone as {"services": ...}.
func export(inst *build.Instance, servicesOnly bool) ([]byte, error) {
	v := cuecontext.New().BuildInstance(inst)
	if !servicesOnly {
		return v.MarshalJSON()
	}
	services, err := v.LookupPath(cue.MakePath(cue.Str("services"))).MarshalJSON()
	if err != nil {
		return nil, err
	}
	return append(append([]byte(`{"services":`), services...), '}'), nil
}

// partSyntax returns the syntax of part i: the definitions and every
// file as parsed, each file that declares a service outside the part
// replaced by a copy without those declarations. Only the copies'
// declaration lists are new: the declarations themselves are shared by
// every part, and nothing that compiles them writes to them.
func (plan *splitPlan) partSyntax(part map[string]int, i int) []*ast.File {
	drop := map[ast.Node]bool{}    // the declarations outside the part
	trimmed := map[string]bool{}   // the files that have some
	structs := map[ast.Node]bool{} // the braced structs that have some
	for _, d := range plan.decls {
		if part[d.name] != i {
			drop[d.node] = true
			trimmed[d.file] = true
			if d.in != nil {
				structs[d.in] = true
			}
		}
	}
	files := make([]*ast.File, len(plan.syntax))
	for j, f := range plan.syntax {
		if !trimmed[filepath.Base(f.Filename)] {
			files[j] = f
			continue
		}
		copied := *f
		copied.Unresolved = nil // the package name alone (see refersToFileScope): nothing to link
		copied.Decls = make([]ast.Decl, 0, len(f.Decls))
		for _, d := range f.Decls {
			if drop[d] {
				continue
			}
			if field, ok := d.(*ast.Field); ok && structs[field.Value] {
				d = withoutDecls(field, drop)
			}
			copied.Decls = append(copied.Decls, d)
		}
		files[j] = &copied
	}
	return files
}

// withoutDecls is a copy of a field whose value is a braced struct of
// services, without the services in drop.
func withoutDecls(field *ast.Field, drop map[ast.Node]bool) *ast.Field {
	st := *field.Value.(*ast.StructLit)
	st.Elts = make([]ast.Decl, 0, len(st.Elts))
	for _, e := range field.Value.(*ast.StructLit).Elts {
		if !drop[e] {
			st.Elts = append(st.Elts, e)
		}
	}
	copied := *field
	copied.Value = &st
	return &copied
}

// evaluatePart parses and exports one part of the source, given as
// the bytes of its files (see export).
func evaluatePart(src *Source, files map[string][]byte, servicesOnly bool) ([]byte, error) {
	syntax := make([]*ast.File, 0, len(src.Names)+1)
	for _, name := range append([]string{DefinitionsFile}, src.Names...) {
		data := Definitions
		if name != DefinitionsFile {
			var in bool
			if data, in = files[name]; !in {
				continue // left out of the part
			}
		}
		f, err := parser.ParseFile(filepath.Join(src.Dir, name), data)
		if err != nil {
			return nil, err
		}
		syntax = append(syntax, f)
	}
	inst, err := linkFiles(src.Dir, syntax)
	if err != nil {
		return nil, err
	}
	return export(inst, servicesOnly)
}

// linkFiles makes files, parsed, one instance of the package. The
// instance is built here rather than by CUE's loader: the files are all
// there is (the loader would read the directory again, where a file may
// have appeared since the source was read), and parsed already.
//
// Completing the instance links each name a file leaves unresolved to
// the top-level field of that name in any file, by writing to the
// syntax. For the parts built from the same syntax this runs under one
// lock: the first part links the shared files to the declarations every
// part shares, the others find nothing left to link, and compiling and
// evaluating, which only read the syntax, run in parallel.
func linkFiles(dir string, files []*ast.File) (*build.Instance, error) {
	inst := build.NewContext().NewInstance(dir, nil)
	inst.PkgName = PackageName
	inst.Files = files
	return inst, inst.Complete()
}
