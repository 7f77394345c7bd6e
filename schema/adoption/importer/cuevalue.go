package importer

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/token"

	"portschema/schema/adoption/handwritten"
)

// plainLabelRE matches labels written without quotes: they must be
// identifiers that are neither definitions (#x) nor hidden (_x).
var plainLabelRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`) })

// cueKeywords may not be written as bare labels without surprising a
// reader (and some, like `if` or `for`, would not parse).
var cueKeywords = map[string]bool{
	"if": true, "for": true, "in": true, "let": true, "import": true, "package": true,
	"true": true, "false": true, "null": true, "div": true, "mod": true, "quo": true, "rem": true,
	"func": true, "bool": true, "int": true, "float": true, "string": true, "bytes": true,
	"number": true, "top": true, "len": true, "close": true, "and": true, "or": true,
}

// label is a field label, quoted unless it is a plain identifier.
func label(name string) ast.Label {
	if plainLabelRE().MatchString(name) && !cueKeywords[name] {
		return ast.NewIdent(name)
	}
	return str(name)
}

// str is a CUE string literal. CUE strings are UTF-8: invalid bytes
// become U+FFFD rather than a file CUE cannot read.
func str(s string) *ast.BasicLit {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return ast.NewString(s)
}

func intLit(n int) *ast.BasicLit { return ast.NewLit(token.INT, strconv.Itoa(n)) }

// field builds `name: value` with comment lines above it.
func field(name string, value ast.Expr, comments ...string) *ast.Field {
	f := &ast.Field{Label: label(name), Value: value}
	addComments(f, comments)
	return f
}

// addComments puts comment lines above a node. Each line is cleaned of
// anything that would end the comment early.
func addComments(n ast.Node, lines []string) {
	if len(lines) == 0 {
		return
	}
	cg := &ast.CommentGroup{Doc: true}
	for _, l := range lines {
		for _, part := range strings.Split(cleanComment(l), "\n") {
			cg.List = append(cg.List, &ast.Comment{Text: "// " + part})
		}
	}
	ast.AddComment(n, cg)
}

// cleanComment keeps a comment printable: valid UTF-8, no control
// characters, no carriage returns.
func cleanComment(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' {
			return r
		}
		if r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 {
			return ' '
		}
		return r
	}, s)
}

// value turns a decoded YAML or JSON value into CUE syntax. Maps are
// written with sorted keys; []handwritten.Field keeps the order given.
func value(v any) ast.Expr {
	switch v := v.(type) {
	case nil:
		return ast.NewNull()
	case string:
		return str(v)
	case bool:
		return ast.NewBool(v)
	case int:
		return intLit(v)
	case int64:
		return ast.NewLit(token.INT, strconv.FormatInt(v, 10))
	case uint64:
		return ast.NewLit(token.INT, strconv.FormatUint(v, 10))
	case int32:
		return ast.NewLit(token.INT, strconv.FormatInt(int64(v), 10))
	case uint32:
		return ast.NewLit(token.INT, strconv.FormatUint(uint64(v), 10))
	case float64:
		return floatLit(v)
	case json.Number:
		if _, err := v.Int64(); err == nil {
			return ast.NewLit(token.INT, v.String())
		}
		if f, err := v.Float64(); err == nil {
			return floatLit(f)
		}
		return str(v.String())
	case float32:
		return floatLit(float64(v))
	case []handwritten.Field:
		s := &ast.StructLit{}
		for _, f := range v {
			s.Elts = append(s.Elts, field(f.Key, value(f.Value)))
		}
		return s
	case map[string]any:
		s := &ast.StructLit{}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			s.Elts = append(s.Elts, field(k, value(v[k])))
		}
		return s
	case map[string]string:
		s := &ast.StructLit{}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			s.Elts = append(s.Elts, field(k, str(v[k])))
		}
		return s
	case []any:
		l := &ast.ListLit{}
		for _, e := range v {
			l.Elts = append(l.Elts, value(e))
		}
		return multiline(l)
	case []string:
		l := &ast.ListLit{}
		for _, e := range v {
			l.Elts = append(l.Elts, str(e))
		}
		return multiline(l)
	}
	// Anything else is written as its text rather than lost.
	return str(fmt.Sprint(v))
}

// floatLit writes integral floats as integers (YAML decoders disagree on
// which numbers are floats) and non-finite ones as strings, which CUE
// has no literal for.
func floatLit(f float64) ast.Expr {
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return str(strconv.FormatFloat(f, 'g', -1, 64))
	case f == math.Trunc(f) && math.Abs(f) < 1e15:
		return ast.NewLit(token.INT, strconv.FormatInt(int64(f), 10))
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return ast.NewLit(token.FLOAT, s)
}

// maxListLine is the width past which a list of scalars is written one
// element per line.
const maxListLine = 80

// multiline puts each element of a long list of scalars on a line of
// its own; short lists stay on one line, as a person would write them.
func multiline(l *ast.ListLit) *ast.ListLit {
	width := 0
	for _, e := range l.Elts {
		lit, ok := e.(*ast.BasicLit)
		if !ok {
			return l
		}
		width += len(lit.Value) + 2
	}
	if width <= maxListLine || len(l.Elts) < 2 {
		return l
	}
	for _, e := range l.Elts {
		ast.SetRelPos(e, token.Newline)
	}
	l.Rbrack = token.NoPos.WithRel(token.Newline)
	return l
}
