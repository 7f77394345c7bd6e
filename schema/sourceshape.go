package schema

import (
	"fmt"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"
)

// The shape of the source is written once, in the embedded definitions.
// Everything else that needs it reads it from there through SourceShape:
// the position index (which top-level fields hold named entities), the
// shape checks (which fields an entity may and must have), and import
// (which fields to write, in which order, and which values go without
// saying because they are the defaults). Adding a field to the source
// is then its CUE definition, its model field (with the field's name as
// its json tag) and its rule.
//
// SourceShape reads the definitions' syntax through CUE's parser rather
// than evaluating them: a default that is another field (`container_port:
// *port`) is only visible as written, evaluation would turn it into an
// incomplete int; and parsing costs a fraction of a millisecond, so every
// Load and every import reads it afresh instead of keeping it in a
// package variable.

// Kind is what a value of the source is made of.
type Kind int

const (
	// Scalar is a string, number or bool.
	Scalar Kind = iota
	// Struct has the fields its Shape lists.
	Struct
	// List holds elements of shape Elem.
	List
	// Map holds elements of shape Elem under names the source chooses.
	Map
	// Open is a block passed through as written (a compose block).
	Open
)

// Shape is the shape of one value of the source as the definitions
// declare it.
type Shape struct {
	Kind Kind
	// Fields are a Struct's fields in the order the definitions write
	// them.
	Fields []FieldShape
	// Elem is the shape of a List's or Map's elements.
	Elem *Shape
	// Short is set for a Struct the source may also write as a scalar
	// (`#Need: #Name | {...}`).
	Short bool
	// Enum lists the strings a Scalar may be, when the definitions list
	// them ("compose" | "scheduled-task" | ...).
	Enum []string
}

// FieldShape is one field of a Struct.
type FieldShape struct {
	Name string
	// Doc is the comment above the field in the definitions.
	Doc string
	// Optional is set for a field written `name?:`.
	Optional bool
	// Conditional is set for a field declared inside an `if`: it is
	// allowed, and never required.
	Conditional bool
	// Default is the value the field takes when the source leaves it
	// out: a string, bool, int64 or float64; nil when it has none or
	// when DefaultField names it.
	Default any
	// DefaultField names the sibling field whose value is the default
	// (`container_port: *port | #Port`).
	DefaultField string
	Shape        *Shape
}

// Required reports whether the source must write the field.
func (f *FieldShape) Required() bool {
	return !f.Optional && !f.Conditional && f.Default == nil && f.DefaultField == ""
}

// Field returns the field called name of a Struct, or nil.
func (s *Shape) Field(name string) *FieldShape {
	if s == nil {
		return nil
	}
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return &s.Fields[i]
		}
	}
	return nil
}

// Lookup follows a path of field names from s; a name below a List or a
// Map steps into its elements ("services", "ports", "protocol" is the
// protocol of any named port of any service). It returns nil when the
// path leaves the shape.
func (s *Shape) Lookup(path ...string) *FieldShape {
	var f *FieldShape
	for _, name := range path {
		for s != nil && (s.Kind == List || s.Kind == Map) {
			s = s.Elem
		}
		if f = s.Field(name); f == nil {
			return nil
		}
		s = f.Shape
	}
	return f
}

// SourceShape reads the shape of a whole source from the embedded
// definitions: a Struct of the top-level fields (platform, ranges,
// hosts, ...).
func SourceShape() (*Shape, error) {
	f, err := parser.ParseFile(DefinitionsFile, Definitions, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("reading the definitions: %w", err)
	}
	r := &shapeReader{defs: map[string]ast.Expr{}, done: map[string]*Shape{}}
	var top []ast.Decl
	for _, d := range f.Decls {
		field, ok := d.(*ast.Field)
		if !ok {
			continue
		}
		if name, _, err := ast.LabelName(field.Label); err == nil && strings.HasPrefix(name, "#") {
			r.defs[name] = field.Value
			continue
		}
		top = append(top, field)
	}
	s := &Shape{Kind: Struct}
	r.fields(s, top, false)
	return s, nil
}

// shapeReader turns the definitions' syntax into shapes, each
// definition once.
type shapeReader struct {
	defs map[string]ast.Expr
	done map[string]*Shape
}

// fields appends the regular fields among decls to s; the fields of an
// `if` are conditional.
func (r *shapeReader) fields(s *Shape, decls []ast.Decl, conditional bool) {
	for _, d := range decls {
		switch d := d.(type) {
		case *ast.Field:
			name, _, err := ast.LabelName(d.Label)
			if err != nil || strings.HasPrefix(name, "#") || strings.HasPrefix(name, "_") {
				continue
			}
			f := FieldShape{Name: name, Doc: docOf(d), Optional: d.Constraint == token.OPTION,
				Conditional: conditional, Shape: r.shape(d.Value)}
			f.Default, f.DefaultField = defaultOf(d.Value)
			s.Fields = append(s.Fields, f)
		case *ast.Comprehension:
			if st, ok := d.Value.(*ast.StructLit); ok {
				r.fields(s, st.Elts, true)
			}
		}
	}
}

// shape reads the shape of an expression of the definitions.
func (r *shapeReader) shape(e ast.Expr) *Shape {
	switch e := e.(type) {
	case *ast.Ident:
		if def, ok := r.defs[e.Name]; ok {
			if s, ok := r.done[e.Name]; ok {
				return s
			}
			s := r.shape(def)
			r.done[e.Name] = s
			return s
		}
	case *ast.ParenExpr:
		return r.shape(e.X)
	case *ast.UnaryExpr:
		if e.Op == token.MUL {
			return r.shape(e.X)
		}
	case *ast.BasicLit:
		if s, err := literal.Unquote(e.Value); err == nil && e.Kind == token.STRING {
			return &Shape{Kind: Scalar, Enum: []string{s}}
		}
	case *ast.ListLit:
		if len(e.Elts) == 1 {
			if el, ok := e.Elts[0].(*ast.Ellipsis); ok {
				return &Shape{Kind: List, Elem: r.shape(el.Type)}
			}
		}
	case *ast.StructLit:
		return r.structShape(e)
	case *ast.BinaryExpr:
		return r.binaryShape(e)
	}
	return &Shape{Kind: Scalar}
}

// structShape reads a struct literal: a pattern alone (`[string]: X`)
// is a Map, an ellipsis makes it Open, anything else is a Struct.
func (r *shapeReader) structShape(st *ast.StructLit) *Shape {
	for _, d := range st.Elts {
		if _, ok := d.(*ast.Ellipsis); ok {
			return &Shape{Kind: Open}
		}
	}
	if len(st.Elts) == 1 {
		if f, ok := st.Elts[0].(*ast.Field); ok {
			if _, pattern := f.Label.(*ast.ListLit); pattern {
				return &Shape{Kind: Map, Elem: r.shape(f.Value)}
			}
		}
	}
	s := &Shape{Kind: Struct}
	r.fields(s, st.Elts, false)
	return s
}

// binaryShape reads a disjunction or a conjunction. A disjunction with a
// struct among its alternatives is that struct, Short if a scalar is
// another alternative; one of string literals only is an enum. A
// conjunction is the shape of its first side that is not a scalar.
func (r *shapeReader) binaryShape(e *ast.BinaryExpr) *Shape {
	var alts []*Shape
	for _, x := range []ast.Expr{e.X, e.Y} {
		alts = append(alts, r.shape(x))
	}
	if e.Op == token.AND {
		for _, a := range alts {
			if a.Kind != Scalar {
				return a
			}
		}
		return &Shape{Kind: Scalar}
	}
	var structs []*Shape
	enum, allEnum := []string{}, true
	for _, a := range alts {
		if a.Kind == Scalar {
			enum = append(enum, a.Enum...)
			allEnum = allEnum && len(a.Enum) > 0
		} else {
			structs = append(structs, a)
			allEnum = false
		}
	}
	switch {
	case len(structs) > 0:
		s := *structs[0]
		s.Short = s.Short || len(structs) < len(alts)
		return &s
	case allEnum:
		return &Shape{Kind: Scalar, Enum: enum}
	}
	return &Shape{Kind: Scalar}
}

// defaultOf finds the default marked in a field's value (`*x | y`): a
// literal, or the name of a sibling field.
func defaultOf(e ast.Expr) (any, string) {
	var lit any
	var ref string
	ast.Walk(e, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.StructLit, *ast.ListLit:
			return false // a default inside belongs to a field below
		}
		u, ok := n.(*ast.UnaryExpr)
		if !ok || u.Op != token.MUL {
			return lit == nil && ref == ""
		}
		switch x := u.X.(type) {
		case *ast.BasicLit:
			lit = literalValue(x)
		case *ast.Ident:
			ref = x.Name
		}
		return false
	}, nil)
	return lit, ref
}

// literalValue is the Go value of a literal of the definitions.
func literalValue(l *ast.BasicLit) any {
	switch l.Kind {
	case token.STRING:
		s, _ := literal.Unquote(l.Value)
		return s
	case token.TRUE:
		return true
	case token.FALSE:
		return false
	case token.INT:
		n, _ := strconv.ParseInt(l.Value, 10, 64)
		return n
	case token.FLOAT:
		f, _ := strconv.ParseFloat(l.Value, 64)
		return f
	}
	return l.Value
}

// docOf is the text of the comment above a field, lines joined by
// newlines.
func docOf(f *ast.Field) string {
	var lines []string
	for _, cg := range ast.Comments(f) {
		if !cg.Doc {
			continue
		}
		for _, c := range cg.List {
			lines = append(lines, strings.TrimSpace(strings.TrimPrefix(c.Text, "//")))
		}
	}
	return strings.Join(lines, "\n")
}
