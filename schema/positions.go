package schema

import (
	"path/filepath"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/token"
)

// positionIndex maps field paths of the user's files to where they were
// written. It is built from the syntax trees, not from the evaluated
// value: walking the AST is linear and cheap, and it yields the user's
// own positions where cue.Value would often name the embedded
// definitions (a struct that matched a pattern constraint is placed at
// the pattern).
//
// Entities (a range, host or service, the outputs and prometheus
// blocks) get their own Positions keyed by the path below them; the
// entity itself is at key "".
type positionIndex struct {
	root     string
	entities map[string]Positions // "services.x" -> {"port": …}
	// dynamic is set when the files hold pattern constraints,
	// comprehensions or embeddings: fields may then come from elsewhere
	// than where an entity is written.
	dynamic bool
	// files caches each file's name relative to the root: every
	// position of a file shares one string.
	files map[string]string
	// unknown are top-level fields that are none of the source's, each
	// where it was first written: a misspelt `servics:` would otherwise
	// be silently ignored, since the package's top level is open.
	unknown map[string]Pos
	// definedIn are, for each service, where it is written in each file
	// that writes it, in load order: one service written in two files
	// merges without a word, which vet warns about.
	definedIn map[string][]Pos
	// first is the user's first file by name, where a problem of the
	// whole source (no platform block at all) is reported.
	first string
	// shape is the source's shape: its top-level fields say which hold
	// named entities (a Map: ranges, hosts, services) and which are one
	// entity each (a Struct: platform, outputs, prometheus).
	shape *Shape
	// values, when not nil, are the paths of each entity recorded for a
	// value rather than a label (see fileIndexOf).
	values map[string]map[string]bool
	// order, when not nil, is the order in which the walk first met
	// unknown fields and services (see fileIndexOf).
	order *walkOrder
}

func newPositionIndex(root string, files []*ast.File, shape *Shape) *positionIndex {
	ix := &positionIndex{root: root, entities: map[string]Positions{}, shape: shape}
	for _, f := range files {
		if filepath.Base(f.Filename) == DefinitionsFile {
			continue // positions are the user's, never the definitions'
		}
		if name := relPath(root, f.Filename); ix.first == "" || name < ix.first {
			ix.first = name
		}
		ix.walkDecls(f.Decls, cursor{})
	}
	return ix
}

// cursor is where the walk is: how deep below the top level, under which
// top-level field, and inside an entity, its positions and the path
// below it as Positions keys are written (see joinPath).
type cursor struct {
	depth int
	top   string
	key   string    // the entity's key
	ps    Positions // nil outside an entity
	rest  string
}

// child is the cursor of a field or list element elem below c.
func (ix *positionIndex) child(c cursor, elem string) cursor {
	n := cursor{depth: c.depth + 1, top: c.top}
	switch {
	case c.depth == 0:
		n.top = elem
		if ix.topKind(elem) == Struct {
			n.key, n.ps = elem, ix.entityFor(elem)
		}
	case c.depth == 1 && ix.topKind(c.top) == Map:
		n.key = c.top + "." + elem
		n.ps = ix.entityFor(n.key)
	case c.ps != nil:
		n.key, n.ps, n.rest = c.key, c.ps, joinElem(c.rest, elem)
	}
	return n
}

// joinElem appends one element to a path as joinPath writes it.
func joinElem(path, elem string) string {
	if elem != "" && (elem[0] >= '0' && elem[0] <= '9' || elem[0] == '+' || elem[0] == '-') && isInt(elem) {
		return path + "[" + elem + "]"
	}
	if path == "" {
		return elem
	}
	return path + "." + elem
}

// isInt reports whether s is an int as strconv.Atoi reads one.
func isInt(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// entityFor returns the positions of an entity, made on first use.
func (ix *positionIndex) entityFor(key string) Positions {
	ps := ix.entities[key]
	if ps == nil {
		ps = Positions{}
		ix.entities[key] = ps
	}
	return ps
}

// entity returns the positions recorded for an entity key such as
// "services.x" or "outputs".
func (ix *positionIndex) entity(key string) Positions {
	if ps, ok := ix.entities[key]; ok {
		return ps
	}
	return Positions{}
}

// topKind is the kind of a top-level field of the source; Scalar for a
// name that is none of its fields.
func (ix *positionIndex) topKind(name string) Kind {
	if f := ix.shape.Field(name); f != nil {
		return f.Shape.Kind
	}
	return Scalar
}

// lookup finds the closest recorded position of a full path such as
// ["services", "x", "port"].
func (ix *positionIndex) lookup(path []string) Pos {
	key, rest := ix.splitEntity(path)
	if key == "" {
		return Pos{}
	}
	return lookupPos(ix.entity(key), rest)
}

// splitEntity splits a full path into its entity key and the path below.
func (ix *positionIndex) splitEntity(path []string) (key, rest string) {
	switch {
	case len(path) >= 2 && ix.topKind(path[0]) == Map:
		return path[0] + "." + path[1], joinPath(path[2:])
	case len(path) >= 1 && ix.topKind(path[0]) == Struct:
		return path[0], joinPath(path[1:])
	}
	return "", ""
}

// joinPath renders a path the way Positions keys are written: fields
// joined by dots, list indices in brackets.
func joinPath(path []string) string {
	var b strings.Builder
	for _, p := range path {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

func (ix *positionIndex) walkDecls(decls []ast.Decl, c cursor) {
	for _, d := range decls {
		switch d := d.(type) {
		case *ast.Field:
			name, ok := labelName(d.Label)
			if !ok {
				if _, isPattern := d.Label.(*ast.ListLit); isPattern || c.depth > 0 {
					ix.dynamic = true
				}
				continue
			}
			if c.depth == 0 && ix.shape.Field(name) == nil {
				if _, seen := ix.unknown[name]; !seen {
					if ix.unknown == nil {
						ix.unknown = map[string]Pos{}
					}
					ix.unknown[name] = ix.pos(d.Label.Pos())
					if ix.order != nil {
						ix.order.unknown = append(ix.order.unknown, name)
					}
				}
			}
			n := ix.child(c, name)
			if c.depth == 1 && c.top == "services" {
				ix.noteDefinition(name, d.Label.Pos())
			}
			ix.record(n, d.Label.Pos())
			ix.walkExpr(d.Value, n)
		case *ast.EmbedDecl:
			ix.dynamic = true
			ix.walkExpr(d.Expr, c)
		case *ast.Comprehension:
			ix.dynamic = true
			ix.walkExpr(d.Value, c)
		}
	}
}

func (ix *positionIndex) walkExpr(e ast.Expr, c cursor) {
	switch e := e.(type) {
	case *ast.StructLit:
		ix.walkDecls(e.Elts, c)
	case *ast.ListLit:
		for i, el := range e.Elts {
			n := ix.child(c, strconv.Itoa(i))
			ix.record(n, el.Pos())
			ix.walkExpr(el, n)
		}
	case *ast.BinaryExpr:
		// a & b, a | b: record the left-most literal for the path and
		// walk both sides for nested fields.
		ix.walkExpr(e.X, c)
		ix.walkExpr(e.Y, c)
	case *ast.ParenExpr:
		ix.walkExpr(e.X, c)
	default:
		if e != nil && c.depth > 0 {
			ix.recordValue(c, e.Pos())
		}
	}
}

// record notes the position of a field's label, unless the field was
// already seen (the first file in load order wins, as the user reads it).
func (ix *positionIndex) record(c cursor, pos token.Pos) {
	if c.ps == nil || !pos.IsValid() {
		return
	}
	if _, seen := c.ps[c.rest]; !seen {
		c.ps[c.rest] = ix.pos(pos)
	}
}

// noteDefinition notes where a service is written, once per file.
func (ix *positionIndex) noteDefinition(service string, pos token.Pos) {
	if !pos.IsValid() {
		return
	}
	at := ix.pos(pos)
	for _, p := range ix.definedIn[service] {
		if p.File == at.File {
			return
		}
	}
	if ix.definedIn == nil {
		ix.definedIn = map[string][]Pos{}
	}
	ix.definedIn[service] = append(ix.definedIn[service], at)
	if ix.order != nil {
		ix.order.defined = append(ix.order.defined, service)
	}
}

// spreadServices warns of every service written in more than one file,
// naming each file.
func (ix *positionIndex) spreadServices() Diagnostics {
	var ds Diagnostics
	for _, name := range sortedKeys(ix.definedIn) {
		at := ix.definedIn[name]
		if len(at) < 2 {
			continue
		}
		files := make([]string, len(at))
		for i, p := range at {
			files[i] = p.File
		}
		ds.Warnf(at[1], append([]Pos{at[0]}, at[2:]...), "service %s is written in %d files (%s), which CUE merges without a word; keep each service in one file", name, len(at), strings.Join(files, ", "))
	}
	return ds
}

// recordValue notes the position of a leaf value, which is where an
// error about that value should point: it replaces the label position.
func (ix *positionIndex) recordValue(c cursor, pos token.Pos) {
	if c.ps == nil || !pos.IsValid() || c.rest == "" {
		return
	}
	c.ps[c.rest] = ix.pos(pos)
	if ix.values != nil {
		if ix.values[c.key] == nil {
			ix.values[c.key] = map[string]bool{}
		}
		ix.values[c.key][c.rest] = true
	}
}

func (ix *positionIndex) pos(p token.Pos) Pos {
	at := p.Position() // one search of the file's lines for both
	rel, ok := ix.files[at.Filename]
	if !ok {
		if ix.files == nil {
			ix.files = map[string]string{}
		}
		rel = relPath(ix.root, at.Filename)
		ix.files[at.Filename] = rel
	}
	return Pos{File: rel, Line: at.Line, Col: at.Column}
}

// labelName returns a regular field's name; definitions, hidden fields,
// pattern constraints and dynamic labels are not data and are skipped.
func labelName(l ast.Label) (string, bool) {
	switch l := l.(type) {
	case *ast.Ident:
		if strings.HasPrefix(l.Name, "#") || strings.HasPrefix(l.Name, "_") {
			return "", false
		}
	case *ast.BasicLit:
	default:
		return "", false
	}
	name, isIdent, err := ast.LabelName(l)
	if err != nil || (!isIdent && name == "") {
		return "", false
	}
	return name, true
}
