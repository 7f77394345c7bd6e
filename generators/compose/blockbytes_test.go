package compose

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"

	"portschema/schema"
)

// blockBytes is appendBlock of v into a new buffer.
func blockBytes(t *testing.T, v any) []byte {
	t.Helper()
	b, ok := appendBlock(nil, v)
	if !ok {
		t.Fatalf("appendBlock(%#v) fails", v)
	}
	return b
}

// Values JSON tells apart get different bytes: types, nesting, a key
// with a null value and no key, strings that join alike; and the
// order a map is built in changes nothing.
func TestBlockBytesTellApartWhatJSONDoes(t *testing.T) {
	values := []any{
		nil, true, false, "", "1", 1, 1.5, -1, 0, "true", "null",
		1.0, // JSON writes it as 1, which appendBlock keeps apart
		map[string]any{}, []any{}, []any{nil}, []any{""}, []any{[]any{}},
		map[string]any{"a": nil}, map[string]any{"a": ""}, map[string]any{"a": map[string]any{}},
		map[string]any{"a": "b"}, map[string]any{"a": []any{"b"}}, map[string]any{"ab": ""},
		map[string]any{"a": map[string]any{"b": 1}}, map[string]any{"a.b": 1}, map[string]any{"a": map[string]any{"b": "1"}},
		[]any{"ab"}, []any{"a", "b"}, []any{"a", []any{"b"}}, []any{[]any{"a"}, "b"},
		map[string]any{"a": "b", "c": "d"}, map[string]any{"a": "bc", "": "d"}, map[string]any{"a": 1, "b": 2},
		int64(1), uint8(1), // types passThrough does not make, written with their type
	}
	for i, a := range values {
		for j, b := range values[i+1:] {
			if bytes.Equal(blockBytes(t, a), blockBytes(t, b)) {
				t.Errorf("%#v and %#v (values %d, %d) give the same bytes", a, b, i, i+1+j)
			}
		}
	}
	if _, ok := appendBlock(nil, map[string]any{"f": func() {}}); ok {
		t.Error("a value without JSON gives bytes")
	}
}

// On random blocks, two values get the same bytes exactly when their
// JSON is the same, whatever order their maps were filled in.
func TestBlockBytesFollowJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const n = 400
	values := make([]any, n)
	for i := range values {
		values[i] = randomBlock(r, 3)
	}
	for i := range values {
		ji, _ := json.Marshal(values[i])
		bi := blockBytes(t, values[i])
		if again := blockBytes(t, rebuilt(values[i])); !bytes.Equal(bi, again) {
			t.Fatalf("%s: the same value filled in another order gives other bytes", ji)
		}
		for j := i + 1; j < n; j++ {
			jj, _ := json.Marshal(values[j])
			if same := bytes.Equal(bi, blockBytes(t, values[j])); same != bytes.Equal(ji, jj) {
				t.Fatalf("%s and %s: same bytes %v, same JSON %v", ji, jj, same, !same)
			}
		}
	}
}

// randomBlock is a value passThrough could leave, of a few small
// shapes so that random values often coincide.
func randomBlock(r *rand.Rand, depth int) any {
	kind := r.IntN(8)
	if depth == 0 {
		kind = r.IntN(5)
	}
	switch kind {
	case 0:
		return nil
	case 1:
		return r.IntN(2) == 0
	case 2:
		return []string{"", "a", "1", "ab"}[r.IntN(4)]
	case 3:
		return r.IntN(3) - 1
	case 4:
		return []float64{0.5, -2.5}[r.IntN(2)]
	case 5, 6:
		m := map[string]any{}
		for range r.IntN(3) {
			m[[]string{"a", "b", "ab"}[r.IntN(3)]] = randomBlock(r, depth-1)
		}
		return m
	}
	l := make([]any, r.IntN(3))
	for i := range l {
		l[i] = randomBlock(r, depth-1)
	}
	return l
}

// rebuilt is a copy of v, its maps filled again in another order.
func rebuilt(v any) any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		out := make(map[string]any, len(x))
		for i := len(keys) - 1; i >= 0; i-- {
			out[keys[i]] = rebuilt(x[keys[i]])
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = rebuilt(e)
		}
		return out
	}
	return v
}

// appendPassed writes of a value what appendBlock writes of its
// passThrough copy, whole float64 numbers included.
func TestAppendPassedIsBlockOfTheCopy(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		v := randomBlock(r, 3)
		if r.IntN(2) == 0 {
			v = withWholeFloats(v)
		}
		got, ok := appendPassed(nil, v)
		if want := blockBytes(t, passThrough(v)); !ok || !bytes.Equal(got, want) {
			j, _ := json.Marshal(v)
			t.Fatalf("%s: appendPassed differs from appendBlock of the copy", j)
		}
	}
}

// withWholeFloats is v with its ints as float64, as JSON decodes them.
func withWholeFloats(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = withWholeFloats(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = withWholeFloats(e)
		}
		return out
	}
	return v
}

// A service's verdict bytes, written from its blocks as they are, are
// those of the copies the loader is given: on every service of this
// project's platform and of the fixtures' whose blocks refer to others.
func TestAppendReferencedIsBlockOfTheCopies(t *testing.T) {
	n := 0
	for _, root := range []string{projectRoot, labRoot, "testdata/references"} {
		p := loadPlatform(t, root)
		for _, h := range p.Hosts {
			for _, s := range h.Services {
				got, ok := appendReferenced(nil, p, h, s)
				if want := blockBytes(t, withReferenced(p, h, []*schema.Service{s})); !ok || !bytes.Equal(got, want) {
					t.Errorf("%s: %s: verdict bytes differ from those of the copies", root, s.Name)
				}
				if len(referenced(p, h, s)) > 1 {
					n++
				}
			}
		}
	}
	if n == 0 {
		t.Error("no service refers to another: the test shows nothing")
	}
	// Keys the generator owns are an error of their own, never part of
	// a verdict.
	p := loadPlatform(t, labRoot)
	s := p.Services[0]
	s.Compose["container_name"], s.Compose["ports"] = "by hand", []any{"80:80"}
	got, _ := appendReferenced(nil, p, s.HostRef, s)
	if want := blockBytes(t, withReferenced(p, s.HostRef, []*schema.Service{s})); !bytes.Equal(got, want) {
		t.Error("owned keys change the verdict bytes")
	}
}
