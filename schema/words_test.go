package schema

import (
	"strings"
	"testing"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/format"
	"cuelang.org/go/cue/parser"
	"cuelang.org/go/cue/token"
)

// Every constraint the embedded definitions write (a pattern, a bound,
// a length) has its rule in words: a constraint added without words
// fails here, before a user meets its regular expression.
func TestEveryConstraintHasWords(t *testing.T) {
	f, err := parser.ParseFile(DefinitionsFile, Definitions)
	if err != nil {
		t.Fatal(err)
	}
	words := ruleWords()
	found := 0
	ast.Walk(f, func(n ast.Node) bool {
		var x ast.Node
		switch n := n.(type) {
		case *ast.UnaryExpr:
			switch n.Op {
			case token.MAT, token.NMAT, token.LSS, token.LEQ, token.GTR, token.GEQ:
				x = n
			}
		case *ast.CallExpr:
			x = n
		}
		if x == nil {
			return true
		}
		b, err := format.Node(x)
		if err != nil {
			t.Fatal(err)
		}
		found++
		key := string(b)
		w, ok := words[key]
		switch {
		case !ok:
			t.Errorf("constraint %s has no words in ruleWords", key)
		case strings.ContainsAny(w, "^$[]\\") || strings.Contains(w, "=~"):
			t.Errorf("the words for %s read like a pattern: %q", key, w)
		}
		return false
	}, nil)
	if found < 20 {
		t.Errorf("found %d constraints in the definitions; the walk is broken", found)
	}
}

// A failure of each kind reaches the user in words: no pattern, no
// "conflicting values" between the user's value and a default.
func TestConstraintFailuresInWords(t *testing.T) {
	shape, err := SourceShape()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path   string
		format string
		args   []any
		want   string
	}{
		{"services.a.port", "invalid value %v (out of bound %s)", []any{70000, "<=65535"}, "services.a.port: a port is a whole number from 1 to 65535; got 70000"},
		{"ranges.r.to", "invalid value %v (out of bound %s)", []any{2999, ">=3000"}, "ranges.r.to: a range's last port (to) is not below its first (from); got 2999"},
		{"services.a.exception", "invalid value %s (does not satisfy %s)", []any{`"x"`, "strings.MinRunes(3)"}, `services.a.exception: a reason takes a few words, at least 3 characters; got "x"`},
		{"hosts.h.kind", "conflicting values %s and %s (alone)", []any{`"compose"`, `"composee"`}, `hosts.h.kind: must be "compose" or "scheduled-task" or "launchd" or "systemd" or "manual" or "cluster"; got "composee" (did you mean "compose"?)`},
		{"outputs.port_doc", "conflicting values %s and %s", []any{`"out/PORT_SCHEMA.md"`, `"../x.md"`}, ""},
		{"services.a.port", "conflicting values %s and %s (mismatched types %s and %s)", []any{`"3002"`, "int", "string", "int"}, `services.a.port: expected a whole number, got "3002"`},
	} {
		got := inWords(shape, splitPath(tc.path), tc.format, tc.args)
		if got != tc.want {
			t.Errorf("%s %s:\n got %q\nwant %q", tc.path, tc.format, got, tc.want)
		}
	}
}
