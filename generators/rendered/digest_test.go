package rendered

import (
	"testing"
)

type inner struct {
	A string
	b []string
}

type outer struct {
	Name  string
	Items []inner
	Ptr   *inner
	Any   any
	Map   map[string]int
	N     int
	F     float64
	On    bool
}

// Values a render could tell apart get different digests: strings that
// join alike, fields that trade places, nil and empty pointers, the
// dynamic type of an interface, unexported fields, map entries.
func TestDigestsTellValuesApart(t *testing.T) {
	values := []any{
		outer{},
		outer{Name: "ab"},
		outer{Name: "a", Items: []inner{{A: "b"}}},
		outer{Items: []inner{{A: "ab"}}},
		outer{Items: []inner{{A: "a"}, {A: "b"}}},
		outer{Items: []inner{{A: "a", b: []string{"b"}}}},
		outer{Items: []inner{{b: []string{"a", "b"}}}},
		outer{Items: []inner{{b: []string{"ab"}}}},
		outer{Ptr: &inner{}},
		outer{Ptr: &inner{A: "x"}},
		outer{Any: "1"},
		outer{Any: 1},
		outer{Any: int64(1)},
		outer{Any: inner{}},
		outer{Map: map[string]int{"a": 1}},
		outer{Map: map[string]int{"a": 2}},
		outer{Map: map[string]int{"b": 1}},
		outer{Map: map[string]int{"a": 1, "b": 2}},
		outer{N: 1},
		outer{N: -1},
		outer{F: 1},
		outer{F: 1.5},
		outer{On: true},
		[]string{"a", "b"},
		[]string{"ab"},
		[]string{"a", "", "b"},
	}
	seen := map[Digest]int{}
	for i, v := range values {
		d, ok := Of(v)
		if !ok {
			t.Fatalf("value %d: no digest", i)
		}
		if j, dup := seen[d]; dup {
			t.Errorf("values %d and %d have the same digest: %#v, %#v", j, i, values[j], v)
		}
		seen[d] = i
	}
	// The same value, built again (a map filled in another order): the
	// same digest.
	a, _ := Of(outer{Map: map[string]int{"a": 1, "b": 2, "c": 3}})
	m := map[string]int{}
	m["c"], m["b"], m["a"] = 3, 2, 1
	if b, _ := Of(outer{Map: m}); a != b {
		t.Error("a map filled in another order has another digest")
	}
}

// Data holding what a render could not be told apart by has no digest.
func TestDigestRefusesWhatItCannotWrite(t *testing.T) {
	type cycle struct{ Next *cycle }
	loop := &cycle{}
	loop.Next = loop
	for _, v := range []any{func() {}, make(chan int), map[int]string{1: "a"}, loop, outer{Any: func() {}}} {
		if _, ok := Of(v); ok {
			t.Errorf("%T has a digest", v)
		}
	}
}

// A Digester starts anew after each Sum: the digest of the same parts
// is the same whatever came before, and parts written by hand are
// written as Of writes them.
func TestDigesterStartsAnewAfterSum(t *testing.T) {
	d := NewDigester()
	d.Texts([]string{"a", "b"})
	first := d.Sum()
	d.Text("something else")
	d.Sum()
	d.Texts([]string{"a", "b"})
	if again := d.Sum(); again != first {
		t.Error("the digest of the same parts differs after another")
	}
	if of, _ := Of([]string{"a", "b"}); of != first {
		t.Error("Texts does not write what Of writes of a list of strings")
	}
}
