package schema

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"
)

// CUE stops reporting some problems once a value has another error: an
// unknown field next to an out-of-bound port, or a missing field, is
// only revealed by the next run. A user fixing a source wants every
// problem in one run, so when CUE fails, the shape
// of every range, host and service as written is also checked here:
// unknown fields and missing required fields, from the definitions
// themselves.

// entityShape lists the fields a definition allows and requires.
type entityShape struct {
	allowed  map[string]bool
	required []string
}

// shapes reads #Range, #Host and #Service from the embedded
// definitions' syntax: a field is allowed if it is declared, and
// required unless it is optional (`?`) or has a default (`*`).
func shapes() (map[string]entityShape, error) {
	f, err := parser.ParseFile(DefinitionsFile, Definitions)
	if err != nil {
		return nil, err
	}
	defs := map[string]string{"#Range": "ranges", "#Host": "hosts", "#Service": "services"}
	out := map[string]entityShape{}
	for _, d := range f.Decls {
		field, ok := d.(*ast.Field)
		if !ok {
			continue
		}
		name, _, _ := ast.LabelName(field.Label)
		kind, ok := defs[name]
		st, isStruct := field.Value.(*ast.StructLit)
		if !ok || !isStruct {
			continue
		}
		s := entityShape{allowed: map[string]bool{}}
		collectShape(st.Elts, &s, true)
		sort.Strings(s.required)
		out[kind] = s
	}
	return out, nil
}

// collectShape records the fields of a definition's body; fields inside
// a conditional are allowed but never required.
func collectShape(decls []ast.Decl, s *entityShape, top bool) {
	for _, d := range decls {
		switch d := d.(type) {
		case *ast.Field:
			name, _, err := ast.LabelName(d.Label)
			if err != nil {
				continue
			}
			s.allowed[name] = true
			if top && d.Constraint == token.ILLEGAL && !hasDefault(d.Value) {
				s.required = append(s.required, name)
			}
		case *ast.Comprehension:
			if st, ok := d.Value.(*ast.StructLit); ok {
				collectShape(st.Elts, s, false)
			}
		}
	}
}

// hasDefault reports whether an expression marks a default (*x | y).
func hasDefault(e ast.Expr) bool {
	found := false
	ast.Walk(e, func(n ast.Node) bool {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.MUL {
			found = true
		}
		return !found
	}, nil)
	return found
}

// unknownTopLevel reports top-level fields that are none of the
// source's, with the closest known name.
func unknownTopLevel(ix *positionIndex) Diagnostics {
	known := slices.Sorted(maps.Keys(topLevel))
	var ds Diagnostics
	for name, pos := range ix.unknown {
		ds = append(ds, Diagnostic{Severity: Error, Pos: pos,
			Message: fmt.Sprintf("unknown top-level field %q%s; a source declares %s", name, suggest(name, known), strings.Join(known, ", "))})
	}
	return ds
}

// shapeDiagnostics reports unknown and missing fields of every entity
// written in the user's files, in CUE's own wording so that a problem
// CUE did report is not listed twice.
func shapeDiagnostics(ix *positionIndex, reported Diagnostics) Diagnostics {
	shp, err := shapes()
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	for _, d := range reported {
		seen[d.Message] = true
	}
	var ds Diagnostics
	for key, ps := range ix.entities {
		kind, _, ok := strings.Cut(key, ".")
		s, known := shp[kind]
		if !ok || !known {
			continue
		}
		present := map[string]bool{}
		for path, pos := range ps {
			if path == "" || strings.ContainsAny(path, ".[") {
				continue
			}
			present[path] = true
			if msg := key + "." + path + ": field not allowed"; !s.allowed[path] && !seen[msg] {
				ds = append(ds, Diagnostic{Severity: Error, Pos: pos, Message: msg})
			}
		}
		// A pattern or comprehension in the user's files may supply a
		// field without writing it per entity: then only CUE can tell.
		if ix.dynamic {
			continue
		}
		for _, field := range s.required {
			if !present[field] {
				ds = append(ds, Diagnostic{Severity: Error, Pos: ps[""],
					Message: key + ": missing required field " + field})
			}
		}
	}
	return ds
}
