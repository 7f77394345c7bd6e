package compose

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"portschema/generators/yamlout"
)

// serviceKeyOrder is the order people write a service's keys in: what
// runs, what it is called, how it starts, what it is given, how it
// connects, when it is up, how it is found. Keys not listed here follow
// in the order compose-go declares them (see keyRank).
var serviceKeyOrder = []string{
	"image", "build", "container_name", "profiles", "restart",
	"command", "entrypoint", "environment", "ports", "volumes",
	"depends_on", "healthcheck", "labels",
}

// marshalDocument writes a host's compose document as YAML. Values are
// written as the document has them, which is as the source wrote them
// for the pass-through keys (a size stays 128m, a command stays a string
// or a list); only the order of keys is chosen: a service's keys in
// serviceKeyOrder, the keys of every block compose-go has a type for in
// the order of that type's fields (the order compose-go itself writes
// them in, and the order of the compose specification), and map keys
// (labels, environment, build args, ...) sorted. Strings are quoted only
// where a reader could take them for something else (see
// yamlout.AppendString), and strings of several lines are literal
// blocks. The document holds only what JSON decodes to, so the writer
// is the few lines of block YAML it needs, at a tenth of the cost of a
// general encoder on a file of thousands of services; tests load every
// file back with compose-go's loader and compare it with the project
// the document makes.
func marshalDocument(doc map[string]any) ([]byte, error) {
	return appendDocument(nil, doc), nil
}

// appendDocument is marshalDocument appending to dst.
func appendDocument(dst []byte, doc map[string]any) []byte {
	w := &writer{b: dst, types: map[reflect.Type]structInfo{}}
	w.mapping(doc, projectType, 0, false)
	return w.b
}

var (
	projectType = reflect.TypeFor[types.Project]()
	serviceType = reflect.TypeFor[types.ServiceConfig]()
	portType    = reflect.TypeFor[types.ServicePortConfig]()

	healthcheckTestType = reflect.TypeFor[types.HealthCheckTest]()
)

// writer appends block YAML, two spaces per level. It writes one
// document, from one goroutine.
type writer struct {
	b []byte
	// types holds what each compose-go struct type met so far says
	// (see infoOf).
	types map[reflect.Type]structInfo
	// keys are sortedKeys' buffers, by indent.
	keys []sortBuffer
}

func (w *writer) indent(n int) {
	for range n {
		w.b = append(w.b, ' ')
	}
}

// mapping writes the entries of a mapping at indent; inline says that
// the first key goes on the current line, after a sequence's "- ". t is
// the compose-go type the mapping decodes into, or nil where there is
// none (an extension, a value compose-go keeps as any); it decides the
// order of the keys.
func (w *writer) mapping(m map[string]any, t reflect.Type, indent int, inline bool) {
	for i, k := range w.sortedKeys(m, t, indent) {
		if i > 0 || !inline {
			w.indent(indent)
		}
		w.b = yamlout.AppendString(w.b, k)
		w.b = append(w.b, ':')
		switch v := m[k].(type) {
		case map[string]any:
			if len(v) == 0 {
				w.b = append(w.b, " {}\n"...)
				continue
			}
			w.b = append(w.b, '\n')
			w.mapping(v, w.childType(t, k), indent+2, false)
		case []any:
			switch {
			case len(v) == 0:
				w.b = append(w.b, " []\n"...)
			case w.childType(t, k) == healthcheckTestType && allStrings(v):
				w.flowStrings(v)
			default:
				w.b = append(w.b, '\n')
				w.sequence(v, w.childType(t, k), indent+2, false)
			}
		default:
			w.b = append(w.b, ' ')
			w.scalar(v, w.childType(t, k), indent+2)
		}
	}
}

// sequence writes the items of a list of type t at indent; inline says
// that the first item goes on the current line.
func (w *writer) sequence(items []any, t reflect.Type, indent int, inline bool) {
	et := elemType(t)
	for i, item := range items {
		if i > 0 || !inline {
			w.indent(indent)
		}
		w.b = append(w.b, "- "...)
		switch item := item.(type) {
		case map[string]any:
			if len(item) == 0 {
				w.b = append(w.b, "{}\n"...)
				continue
			}
			w.mapping(item, et, indent+2, true)
		case []any:
			if len(item) == 0 {
				w.b = append(w.b, "[]\n"...)
				continue
			}
			w.sequence(item, et, indent+2, true)
		default:
			w.scalar(item, et, indent+2)
		}
	}
}

// flowStrings writes a list of strings on the key's line, each quoted:
// a healthcheck's test, which people write as ["CMD", "curl", "-f", URL]
// and read as one command.
func (w *writer) flowStrings(items []any) {
	w.b = append(w.b, " ["...)
	for i, item := range items {
		if i > 0 {
			w.b = append(w.b, ", "...)
		}
		w.b = strconv.AppendQuote(w.b, item.(string))
	}
	w.b = append(w.b, "]\n"...)
}

func allStrings(items []any) bool {
	for _, item := range items {
		if _, ok := item.(string); !ok {
			return false
		}
	}
	return true
}

// scalar writes a scalar and its line break. A string of several lines
// becomes a literal block whose lines are indented at indent. A port in
// the short syntax is always quoted, as people write them (YAML 1.1
// reads 22:22 as a number).
func (w *writer) scalar(v any, t reflect.Type, indent int) {
	switch v := v.(type) {
	case string:
		switch {
		case t == portType:
			w.b = strconv.AppendQuote(w.b, v)
		case yamlout.LiteralSafe(v):
			w.literal(v, indent)
			return
		default:
			w.b = yamlout.AppendString(w.b, v)
		}
	case int:
		w.b = strconv.AppendInt(w.b, int64(v), 10)
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			// JSON has no such numbers; say what it is rather than
			// write something compose reads as another value.
			w.b = yamlout.AppendString(w.b, fmt.Sprint(v))
		} else {
			w.b = strconv.AppendFloat(w.b, v, 'g', -1, 64)
		}
	case bool:
		w.b = strconv.AppendBool(w.b, v)
	case nil:
		w.b = append(w.b, "null"...)
	default:
		// The document holds only what JSON decodes to; anything else
		// is a bug here, written visibly rather than dropped.
		w.b = yamlout.AppendString(w.b, fmt.Sprint(v))
	}
	w.b = append(w.b, '\n')
}

// literal writes s as a literal block scalar (see yamlout.LiteralSafe):
// the header that keeps its trailing line breaks, then its lines at
// indent, empty ones empty.
func (w *writer) literal(s string, indent int) {
	w.b = append(w.b, yamlout.LiteralHeader(s)...)
	w.b = append(w.b, '\n')
	lines := strings.Split(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for _, line := range lines {
		if line != "" {
			w.indent(indent)
			w.b = append(w.b, line...)
		}
		w.b = append(w.b, '\n')
	}
}

// sortedKeys are a mapping's keys in the order they are written: ranked
// keys (see keyRanks) first, by rank, then the others sorted.
func (w *writer) sortedKeys(m map[string]any, t reflect.Type, indent int) []string {
	ranks := w.keyRanks(t)
	// A mapping's keys are used while the mappings inside it, each at a
	// deeper indent, sort theirs: one buffer per indent serves them all.
	for len(w.keys) <= indent {
		w.keys = append(w.keys, sortBuffer{})
	}
	buf := &w.keys[indent]
	order := buf.order[:0]
	for k := range m {
		r := ranks[k]
		if r == 0 {
			r = math.MaxInt
		}
		order = append(order, rankedKey{k, r})
	}
	slices.SortFunc(order, func(a, b rankedKey) int {
		if a.rank != b.rank {
			return cmp.Compare(a.rank, b.rank)
		}
		return strings.Compare(a.key, b.key)
	})
	keys := buf.keys[:0]
	for _, o := range order {
		keys = append(keys, o.key)
	}
	buf.order, buf.keys = order, keys
	return keys
}

// sortBuffer is what sortedKeys reuses from mapping to mapping.
type sortBuffer struct {
	order []rankedKey
	keys  []string
}

type rankedKey struct {
	key  string
	rank int // unranked keys (0) go after the ranked ones
}

// keyRanks gives each key of a compose-go struct type its place,
// counting from 1: for a service, serviceKeyOrder first; then the
// struct's fields in declaration order, inlined structs in place.
func (w *writer) keyRanks(t reflect.Type) map[string]int {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	return w.infoOf(t).ranks
}

// childType is the compose-go type of the value at key in a value of
// type t, or nil.
func (w *writer) childType(t reflect.Type, key string) reflect.Type {
	if t == nil {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		return w.infoOf(t).fields[key]
	case reflect.Map:
		return deref(t.Elem())
	}
	return nil
}

// structInfo is what marshalDocument needs of a compose-go struct type: the
// rank of each key and the type of its value.
type structInfo struct {
	ranks  map[string]int
	fields map[string]reflect.Type
}

// infoOf is computed once per type and document.
func (w *writer) infoOf(t reflect.Type) structInfo {
	if info, ok := w.types[t]; ok {
		return info
	}
	info := structInfo{ranks: map[string]int{}, fields: map[string]reflect.Type{}}
	if t == serviceType {
		for _, k := range serviceKeyOrder {
			info.ranks[k] = len(info.ranks) + 1
		}
	}
	addFields(t, info)
	w.types[t] = info
	return info
}

// addFields adds the YAML keys of a struct type in declaration order,
// the fields of inlined structs in place.
func addFields(t reflect.Type, info structInfo) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, options, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		option, _, _ := strings.Cut(options, ",")
		if name == "-" {
			continue
		}
		if option == "inline" || f.Anonymous && name == "" {
			if ft := deref(f.Type); ft.Kind() == reflect.Struct {
				addFields(ft, info)
			}
			continue
		}
		if name == "" {
			continue
		}
		if _, ok := info.ranks[name]; !ok {
			info.ranks[name] = len(info.ranks) + 1
		}
		info.fields[name] = deref(f.Type)
	}
}

// elemType is the compose-go type of the items of a list of type t, or
// nil.
func elemType(t reflect.Type) reflect.Type {
	if t = deref(t); t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		return deref(t.Elem())
	}
	return nil
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}
