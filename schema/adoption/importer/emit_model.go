package importer

import (
	"encoding"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/token"

	"portschema/schema"
)

// emitter writes the model as CUE syntax, as the source's shape
// declares it: a struct's fields in the definitions' order, each found
// in the model by its json name; a field left out when it holds its
// default or, optional, holds nothing; a value written short where its
// MarshalJSON writes it short. A field added to the definitions and the
// model is written with no change here.
type emitter struct {
	shape *schema.Shape
	src   *Source
	// fields caches the fields of each struct type of the model by
	// their json names.
	fields map[reflect.Type]map[string][]int
}

func newEmitter(shape *schema.Shape, src *Source) *emitter {
	return &emitter{shape: shape, src: src, fields: map[reflect.Type]map[string][]int{}}
}

// place is where a value is written: its entity ("services.x") and the
// path below it, as Notes are keyed.
type place struct{ entity, path string }

func (p place) field(name string) place {
	if p.path == "" {
		return place{p.entity, name}
	}
	return place{p.entity, p.path + "." + name}
}

func (p place) item(i int) place { return place{p.entity, fmt.Sprintf("%s[%d]", p.path, i)} }

// notes are the comments to write above the value at p.
func (e *emitter) notes(p place) []string { return e.src.Notes[p.entity][p.path] }

// block writes a top-level block (`prometheus: {...}`) under the
// definitions' comment of the field and the block's own notes.
func (e *emitter) block(name string, v any) *ast.Field {
	f := e.shape.Field(name)
	var comments []string
	if f.Doc != "" {
		comments = strings.Split(f.Doc, "\n")
	}
	comments = append(comments, e.src.Notes[name][""]...)
	return field(name, e.value(reflect.ValueOf(v), f.Shape, place{entity: name}), comments...)
}

// entity writes `kind: "name": {...}` on one line, with the entity's
// own comments above it.
func (e *emitter) entity(kind, name string, v any) ast.Decl {
	key := kind + "." + name
	body := e.value(reflect.ValueOf(v), e.shape.Field(kind).Shape.Elem, place{entity: key})
	inner := &ast.Field{Label: label(name), Value: body}
	outer := &ast.Field{Label: ast.NewIdent(kind), Value: &ast.StructLit{Elts: []ast.Decl{inner}}}
	// A label position marks the chain as one the formatter may collapse.
	outer.Label.(*ast.Ident).NamePos = token.NoPos.WithRel(token.Newline)
	addComments(outer, e.src.Notes[key][""])
	return outer
}

// value writes v, a value of shape s.
func (e *emitter) value(v reflect.Value, s *schema.Shape, at place) ast.Expr {
	v = indirect(v)
	if !v.IsValid() {
		return ast.NewNull()
	}
	if m, ok := v.Interface().(json.Marshaler); ok && s.Kind != schema.Open {
		return e.encoded(m, s, at)
	}
	switch s.Kind {
	case schema.Struct:
		if v.Kind() == reflect.Struct {
			return e.structLit(e.structFields(v), s, at)
		}
	case schema.List:
		if v.Kind() == reflect.Slice {
			l := &ast.ListLit{}
			for i := range v.Len() {
				l.Elts = append(l.Elts, e.value(v.Index(i), s.Elem, at.item(i)))
			}
			return multiline(l)
		}
	case schema.Map, schema.Open:
		if v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String {
			lit := &ast.StructLit{}
			for _, k := range e.keys(v, at) {
				var x ast.Expr
				if s.Kind == schema.Map {
					x = e.value(v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())), s.Elem, at.field(k))
				} else {
					x = value(v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())).Interface())
				}
				lit.Elts = append(lit.Elts, field(k, x, e.notes(at.field(k))...))
			}
			return lit
		}
	}
	return scalar(v)
}

// encoded writes a value of the model through its MarshalJSON: a scalar
// is its short form, a struct is written as s declares it.
func (e *emitter) encoded(m json.Marshaler, s *schema.Shape, at place) ast.Expr {
	data, err := m.MarshalJSON()
	if err != nil {
		return str(fmt.Sprint(m))
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return str(string(data))
	}
	if obj, ok := x.(map[string]any); ok && s.Kind == schema.Struct {
		return e.structLit(func(name string) (reflect.Value, bool) {
			val, ok := obj[name]
			return reflect.ValueOf(val), ok
		}, s, at)
	}
	return value(x)
}

// structLit writes the fields of a struct, each got by its json name.
func (e *emitter) structLit(get func(string) (reflect.Value, bool), s *schema.Shape, at place) *ast.StructLit {
	lit := &ast.StructLit{}
	for i := range s.Fields {
		f := &s.Fields[i]
		v, ok := get(f.Name)
		if !ok || goesWithoutSaying(v, f, get) {
			continue
		}
		lit.Elts = append(lit.Elts, field(f.Name, e.value(v, f.Shape, at.field(f.Name)), e.notes(at.field(f.Name))...))
	}
	return lit
}

// structFields looks the fields of a struct of the model up by their
// json names.
func (e *emitter) structFields(v reflect.Value) func(string) (reflect.Value, bool) {
	byName, ok := e.fields[v.Type()]
	if !ok {
		byName = map[string][]int{}
		for _, sf := range reflect.VisibleFields(v.Type()) {
			if name, _, _ := strings.Cut(sf.Tag.Get("json"), ","); name != "" && name != "-" && sf.IsExported() {
				byName[name] = sf.Index
			}
		}
		e.fields[v.Type()] = byName
	}
	return func(name string) (reflect.Value, bool) {
		idx, ok := byName[name]
		if !ok {
			return reflect.Value{}, false
		}
		return v.FieldByIndex(idx), true
	}
}

// goesWithoutSaying reports whether a field can be left out: it holds
// its default, or it is not required and holds nothing (a bool always
// says something).
func goesWithoutSaying(v reflect.Value, f *schema.FieldShape, get func(string) (reflect.Value, bool)) bool {
	v = indirect(v)
	empty := !v.IsValid() || (v.Kind() != reflect.Bool && (v.IsZero() ||
		((v.Kind() == reflect.Map || v.Kind() == reflect.Slice) && v.Len() == 0)))
	switch {
	case empty:
		return !f.Required()
	case f.Default != nil:
		return sameValue(v, f.Default)
	case f.DefaultField != "":
		d, ok := get(f.DefaultField)
		return ok && indirect(d).IsValid() && sameValue(v, indirect(d).Interface())
	}
	return false
}

// sameValue compares a value of the model with a default as CUE would
// print them.
func sameValue(v reflect.Value, d any) bool {
	if t, ok := v.Interface().(encoding.TextMarshaler); ok {
		b, err := t.MarshalText()
		return err == nil && string(b) == fmt.Sprint(d)
	}
	return fmt.Sprint(v.Interface()) == fmt.Sprint(d)
}

// keys are a map's keys in the order the source recorded for it, then
// the rest sorted.
func (e *emitter) keys(v reflect.Value, at place) []string {
	left := map[string]bool{}
	for _, k := range v.MapKeys() {
		left[k.String()] = true
	}
	var out []string
	for _, k := range e.src.Order[at.entity+"."+at.path] {
		if left[k] {
			out = append(out, k)
			delete(left, k)
		}
	}
	return append(out, slices.Sorted(maps.Keys(left))...)
}

// scalar writes a string, number or bool of the model, whatever its Go
// type; anything else as value does.
func scalar(v reflect.Value) ast.Expr {
	if t, ok := v.Interface().(encoding.TextMarshaler); ok {
		if b, err := t.MarshalText(); err == nil {
			return str(string(b))
		}
	}
	switch v.Kind() {
	case reflect.String:
		return str(v.String())
	case reflect.Bool:
		return ast.NewBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ast.NewLit(token.INT, strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ast.NewLit(token.INT, strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		return floatLit(v.Float())
	}
	return value(v.Interface())
}

// indirect follows pointers and interfaces; the zero Value for nil.
func indirect(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}
