package rendered

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"math"
	"reflect"
	"slices"
)

// Of is the digest of a render's data: strings, numbers and booleans,
// and structs (every field, exported or not), slices, arrays, maps with
// string keys, pointers and interfaces of them. Two values get the same
// digest only if they are the same value: each value is written with
// its kind, strings and collections with their length, map entries in
// the order of their keys, and the dynamic type of an interface's value
// by its package and name. ok is false for data holding anything else
// (a function, a channel), which is not kept.
func Of(v any) (d Digest, ok bool) {
	w := &walker{h: sha256.New()}
	if !w.value(reflect.ValueOf(v), 0) {
		return Digest{}, false
	}
	w.flush()
	w.h.Sum(d[:0])
	return d, true
}

// walker writes a value's bytes into a buffer it hashes in blocks.
type walker struct {
	h   hash.Hash
	buf []byte
}

func (w *walker) flush() {
	w.h.Write(w.buf)
	w.buf = w.buf[:0]
}

func (w *walker) tag(kind byte, n uint64) {
	if len(w.buf) > 4<<10 {
		w.flush()
	}
	w.buf = binary.AppendUvarint(append(w.buf, kind), n)
}

func (w *walker) text(s string) {
	w.tag('s', uint64(len(s)))
	if len(s) > 4<<10 {
		w.flush()
		w.h.Write([]byte(s))
		return
	}
	w.buf = append(w.buf, s...)
}

// maxDepth bounds the nesting a digest follows: data deeper than any
// template's (or a pointer cycle) is not kept.
const maxDepth = 32

func (w *walker) value(v reflect.Value, depth int) bool {
	if depth > maxDepth {
		return false
	}
	switch v.Kind() {
	case reflect.Invalid:
		w.tag('n', 0)
	case reflect.String:
		w.text(v.String())
	case reflect.Bool:
		b := uint64(0)
		if v.Bool() {
			b = 1
		}
		w.tag('b', b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.tag('i', uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		w.tag('u', v.Uint())
	case reflect.Float32, reflect.Float64:
		w.tag('f', math.Float64bits(v.Float()))
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			w.text(string(v.Bytes()))
			return true
		}
		w.tag('l', uint64(v.Len()))
		for i := range v.Len() {
			if !w.value(v.Index(i), depth+1) {
				return false
			}
		}
	case reflect.Struct:
		w.tag('t', uint64(v.NumField()))
		for i := range v.NumField() {
			if !w.value(v.Field(i), depth+1) {
				return false
			}
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return false
		}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			switch {
			case a.String() < b.String():
				return -1
			case a.String() > b.String():
				return 1
			}
			return 0
		})
		w.tag('m', uint64(len(keys)))
		for _, k := range keys {
			w.text(k.String())
			if !w.value(v.MapIndex(k), depth+1) {
				return false
			}
		}
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			w.tag('n', 0)
			return true
		}
		if v.Kind() == reflect.Interface {
			t := v.Elem().Type()
			w.tag('e', 0)
			w.text(t.PkgPath())
			w.text(t.String())
		} else {
			w.tag('p', 0)
		}
		return w.value(v.Elem(), depth+1)
	default:
		return false
	}
	return true
}

// A Digester writes the parts of a render's data by hand, where a
// generator has many small documents and Of's walk through reflection
// would cost a good part of what it saves. Its parts are written as Of
// writes them: each string with its length, each list with its count.
type Digester struct{ w walker }

// NewDigester starts a digest.
func NewDigester() *Digester { return &Digester{w: walker{h: sha256.New()}} }

// Text adds a string.
func (d *Digester) Text(s string) { d.w.text(s) }

// Count adds the length of the list whose items follow.
func (d *Digester) Count(n int) { d.w.tag('l', uint64(n)) }

// Texts adds a list of strings.
func (d *Digester) Texts(ss []string) {
	d.Count(len(ss))
	for _, s := range ss {
		d.Text(s)
	}
}

// Sum is the digest of the parts added; the Digester then starts the
// next digest, with its buffers.
func (d *Digester) Sum() Digest {
	var out Digest
	d.w.flush()
	d.w.h.Sum(out[:0])
	d.w.h.Reset()
	return out
}
