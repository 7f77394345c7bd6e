package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/parser"
)

// This file edits a CUE source the way a person following vet does:
// deleting what a message points at. Each edit parses the file, removes
// one node of the syntax tree and formats the file with CUE's own
// formatter.

// finding is one line vet printed: file:line:col: message.
type finding struct {
	File      string
	Line, Col int
	Message   string
}

// parseFindings reads vet's output, relative to root.
func parseFindings(t *testing.T, out string) []finding {
	t.Helper()
	var fs []finding
	for _, line := range strings.Split(out, "\n") {
		parts := strings.SplitN(line, ":", 4)
		if len(parts) < 4 {
			continue
		}
		l, err1 := strconv.Atoi(parts[1])
		c, err2 := strconv.Atoi(parts[2])
		if err1 != nil || err2 != nil {
			continue
		}
		fs = append(fs, finding{File: parts[0], Line: l, Col: c, Message: strings.TrimSpace(parts[3])})
	}
	return fs
}

// editCUE parses a file, lets edit change its tree, and writes it back
// formatted. edit reports whether it changed anything.
func editCUE(t *testing.T, path string, edit func(f *ast.File) bool) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(path, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	if !edit(f) {
		t.Fatalf("%s: nothing to edit", path)
	}
	out, err := format.Node(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// removeAt removes the list element or struct field that starts at
// line:col of the file (or, for a field, whose value starts there).
func removeAt(t *testing.T, root string, fd finding) {
	t.Helper()
	path := fd.File
	if !filepath.IsAbs(path) {
		path = filepath.Join(root, path)
	}
	editCUE(t, path, func(f *ast.File) bool {
		at := func(n ast.Node) bool {
			p := n.Pos()
			return p.Line() == fd.Line && p.Column() == fd.Col
		}
		done := false
		ast.Walk(f, func(n ast.Node) bool {
			if done {
				return false
			}
			switch n := n.(type) {
			case *ast.ListLit:
				for i, e := range n.Elts {
					if at(e) || containsField(e, at) {
						n.Elts = append(n.Elts[:i], n.Elts[i+1:]...)
						done = true
						return false
					}
				}
			case *ast.StructLit:
				n.Elts = removeField(n.Elts, at, &done)
			case *ast.File:
				n.Decls = removeField(n.Decls, at, &done)
			}
			return !done
		}, nil)
		return done
	})
}

// containsField reports whether a list element is a struct one of
// whose direct fields sits at the position (a message may point at the
// rule's service:, not at the rule).
func containsField(e ast.Expr, at func(ast.Node) bool) bool {
	st, ok := e.(*ast.StructLit)
	if !ok {
		return false
	}
	for _, d := range st.Elts {
		if fl, ok := d.(*ast.Field); ok && at(fl.Value) {
			return true
		}
	}
	return false
}

func removeField(decls []ast.Decl, at func(ast.Node) bool, done *bool) []ast.Decl {
	for i, d := range decls {
		if fl, ok := d.(*ast.Field); ok && (at(fl.Label) || at(fl.Value)) {
			*done = true
			return append(decls[:i], decls[i+1:]...)
		}
	}
	return decls
}

// removeService deletes `services: NAME: {...}` from whichever file of
// the source declares it.
func removeService(t *testing.T, root, name string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(root, "schema", "*.cue"))
	for _, path := range files {
		src, _ := os.ReadFile(path)
		f, err := parser.ParseFile(path, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if declares(d, name) {
				editCUE(t, path, func(f *ast.File) bool {
					for i, d := range f.Decls {
						if declares(d, name) {
							f.Decls = append(f.Decls[:i], f.Decls[i+1:]...)
							return true
						}
					}
					return false
				})
				return
			}
		}
	}
	t.Fatalf("no file declares service %s", name)
}

// declares reports whether a top-level declaration is services: NAME:.
func declares(d ast.Decl, name string) bool {
	fl, ok := d.(*ast.Field)
	if !ok {
		return false
	}
	if l, _, _ := ast.LabelName(fl.Label); l != "services" {
		return false
	}
	st, ok := fl.Value.(*ast.StructLit)
	if !ok || len(st.Elts) != 1 {
		return false
	}
	inner, ok := st.Elts[0].(*ast.Field)
	if !ok {
		return false
	}
	l, _, _ := ast.LabelName(inner.Label)
	return l == name
}

// removeSecret deletes the secret whose variable is env from the
// secrets of a service declared in the file at path.
func removeSecret(t *testing.T, path, service, env string) {
	t.Helper()
	editCUE(t, path, func(f *ast.File) bool {
		for _, d := range f.Decls {
			if !declares(d, service) {
				continue
			}
			body, _ := d.(*ast.Field).Value.(*ast.StructLit).Elts[0].(*ast.Field).Value.(*ast.StructLit)
			if body == nil {
				return false
			}
			for _, e := range body.Elts {
				fl, ok := e.(*ast.Field)
				if name, _, _ := ast.LabelName(fl.Label); !ok || name != "secrets" {
					continue
				}
				list, ok := fl.Value.(*ast.ListLit)
				if !ok {
					return false
				}
				for i, el := range list.Elts {
					if secretEnv(el) == env {
						list.Elts = append(list.Elts[:i], list.Elts[i+1:]...)
						return true
					}
				}
			}
		}
		return false
	})
}

// secretEnv is the variable of a secret as written: "NAME" or {env: "NAME", ...}.
func secretEnv(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, _ := strconv.Unquote(e.Value)
		return s
	case *ast.StructLit:
		for _, d := range e.Elts {
			if fl, ok := d.(*ast.Field); ok {
				if name, _, _ := ast.LabelName(fl.Label); name == "env" {
					return secretEnv(fl.Value)
				}
			}
		}
	}
	return ""
}
