package compose

import (
	"reflect"
	"strings"
	"testing"

	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	composetree "github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
)

// castOf is what the loader's interpolation finds for a path: the casts
// of every pattern of the table that matches it, by tree.Path.Matches.
func castOf(table map[composetree.Path]interp.Cast, path composetree.Path) []interp.Cast {
	var found []interp.Cast
	for pattern, cast := range table {
		if path.Matches(pattern) {
			found = append(found, cast)
		}
	}
	return found
}

// libraryPath builds the path to a value the way interpolation does:
// tree.NewPath of the top-level key, then tree.Path.Next of each key.
func libraryPath(keys []string) composetree.Path {
	p := composetree.NewPath(keys[0])
	for _, k := range keys[1:] {
		p = p.Next(k)
	}
	return p
}

// keysTo returns variants of the keys that lead to a pattern: each "*"
// taken by several keys (a plain one, a list's items, a key with a dot,
// "*" itself), and a top-level key that holds the next key with a dot.
func keysTo(pattern composetree.Path) [][]string {
	parts := pattern.Parts()
	var out [][]string
	for _, wild := range []string{"web", composetree.PathMatchList, "a.b", composetree.PathMatchAll, "x👻y", ""} {
		keys := make([]string, len(parts))
		for i, p := range parts {
			if p == composetree.PathMatchAll {
				p = wild
			}
			keys[i] = p
		}
		out = append(out, keys)
		out = append(out, append([]string{strings.Join(keys[:2], ".")}, keys[2:]...))
		out = append(out, append([]string{""}, keys...))
	}
	return out
}

// mutations are keys that lead near a pattern without reaching it, or
// past it: one key changed, given a dot, dropped or added.
func mutations(keys []string) [][]string {
	var out [][]string
	for i := range keys {
		for _, change := range []string{keys[i] + "x", strings.ToUpper(keys[i]), keys[i] + ".x", "x." + keys[i]} {
			m := append([]string(nil), keys...)
			m[i] = change
			out = append(out, m)
		}
		if i > 0 {
			out = append(out, append(append([]string(nil), keys[:i]...), keys[i+1:]...))
		}
	}
	return append(out, append(append([]string(nil), keys...), "x"), append(append([]string(nil), keys...), composetree.PathMatchList))
}

// walk is where castTable stands after the keys.
func walk(table *castTable, keys []string) castPath {
	at := table.start()
	for _, k := range keys {
		at = table.next(at, k)
	}
	return at
}

// sameCast reports whether the tree finds what the loader finds for the
// keys: no cast, the same cast, or more than one (ambiguous).
func sameCast(t *testing.T, table *castTable, casts map[composetree.Path]interp.Cast, keys []string) bool {
	t.Helper()
	path := libraryPath(keys)
	want := castOf(casts, path)
	got, found, ambiguous := walk(table, keys).cast()
	switch {
	case len(want) > 1:
		return ambiguous
	case len(want) == 0:
		return !found
	}
	return found && !ambiguous && reflect.ValueOf(got).Pointer() == reflect.ValueOf(want[0]).Pointer()
}

// The tree finds, for every path near every pattern of the loader's cast
// table, exactly the cast tree.Path.Matches finds; the paths include
// keys with dots (which interpolation writes as 👻 inside a path, but
// splits at the top level) and list items (which a "*" matches).
func TestCastTableMatchesLikeTreePathMatches(t *testing.T) {
	casts := loader.ToOptions(&types.ConfigDetails{}, nil).Interpolate.TypeCastMapping
	if len(casts) < 50 {
		t.Fatalf("the loader's cast table has %d patterns", len(casts))
	}
	table := newCastTable(casts)
	matched, unmatched := 0, 0
	for pattern := range casts {
		for _, keys := range keysTo(pattern) {
			if !sameCast(t, table, casts, keys) {
				t.Errorf("keys %q (path %s): the tree and tree.Path.Matches disagree", keys, libraryPath(keys))
			}
			if len(castOf(casts, libraryPath(keys))) > 0 {
				matched++
			}
			for _, m := range mutations(keys) {
				if !sameCast(t, table, casts, m) {
					t.Errorf("keys %q (path %s): the tree and tree.Path.Matches disagree", m, libraryPath(m))
				}
				if len(castOf(casts, libraryPath(m))) == 0 {
					unmatched++
				}
			}
		}
	}
	if matched < len(casts) || unmatched < len(casts) {
		t.Errorf("only %d matching and %d non-matching paths tried", matched, unmatched)
	}
}

// Where two patterns match a path the loader's choice is its map's
// iteration order: the tree says so rather than pick one. A key with a
// dot meets a pattern that names it with 👻, as in a path
// interpolation builds.
func TestCastTableAmbiguousPatterns(t *testing.T) {
	toA := func(string) (any, error) { return "a", nil }
	toB := func(string) (any, error) { return "b", nil }
	casts := map[composetree.Path]interp.Cast{"services.*.x": toA, "services.web.*": toB, "services.*.y.*": toA, "networks.*.a👻b": toB}
	table := newCastTable(casts)
	for _, c := range []struct {
		keys             []string
		found, ambiguous bool
	}{
		{[]string{"services", "web", "x"}, true, true},
		{[]string{"services", "db", "x"}, true, false},
		{[]string{"services", "web", "z"}, true, false},
		{[]string{"services.web", "x"}, true, true},
		{[]string{"services", "web.x"}, false, false},
		{[]string{"services", "web", "y", "[]"}, true, false},
		{[]string{"services", "web", "y"}, true, false},
		{[]string{"networks", "default", "a.b"}, true, false},
		{[]string{"networks", "default", "a👻b"}, true, false},
		{[]string{"networks.default", "a.b"}, true, false},
		{[]string{"networks.default.a", "b"}, false, false},
	} {
		_, found, ambiguous := walk(table, c.keys).cast()
		if found != c.found || ambiguous != c.ambiguous {
			t.Errorf("%q: found %v, ambiguous %v; want %v, %v", c.keys, found, ambiguous, c.found, c.ambiguous)
		}
		if !sameCast(t, table, casts, c.keys) {
			t.Errorf("%q: the tree and tree.Path.Matches disagree", c.keys)
		}
	}
}
