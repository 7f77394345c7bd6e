package compose

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"portschema/schema"
)

// appendBlock appends to buf the bytes a verdict's key is made of for a
// compose value (a block, the blocks of a chunk, a host's top-level
// blocks) as passThrough leaves it: maps of strings, lists, strings,
// booleans, whole numbers as int, other numbers as float64, and nil.
// Two values get the same bytes only if they are the same value: each
// value starts with a byte naming its type, strings and collections
// with their length, and a map's entries come in the order of their
// keys, so the order maps are built in does not matter. It writes what
// json.Marshal and a digest of its text used to tell apart, walking the
// value once without building text; it tells apart a little more (1
// and 1.0, which JSON writes alike), which costs at most a verdict
// asked again. A value of any other type is written as its type's name
// and its JSON; false where it has none.
func appendBlock(buf []byte, v any) ([]byte, bool) {
	return appendValue(buf, v, false)
}

// appendPassed is appendBlock of passThrough(v), without the copy.
func appendPassed(buf []byte, v any) ([]byte, bool) {
	return appendValue(buf, v, true)
}

// appendValue is appendBlock, of passThrough(v) when passed is set.
func appendValue(buf []byte, v any, passed bool) ([]byte, bool) {
	if x, ok := v.(float64); ok && passed {
		if w, whole := wholeNumber(x); whole {
			v = w
		}
	}
	switch x := v.(type) {
	case nil:
		return append(buf, 'n'), true
	case bool:
		if x {
			return append(buf, 't'), true
		}
		return append(buf, 'f'), true
	case string:
		return appendText(append(buf, 's'), x), true
	case int:
		return binary.AppendVarint(append(buf, 'i'), int64(x)), true
	case float64:
		return binary.BigEndian.AppendUint64(append(buf, 'd'), math.Float64bits(x)), true
	case map[string]any:
		buf = binary.AppendUvarint(append(buf, 'm'), uint64(len(x)))
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		ok := true
		for _, k := range keys {
			buf = appendText(buf, k)
			if buf, ok = appendValue(buf, x[k], passed); !ok {
				return buf, false
			}
		}
		return buf, true
	case []any:
		buf = binary.AppendUvarint(append(buf, 'l'), uint64(len(x)))
		ok := true
		for _, e := range x {
			if buf, ok = appendValue(buf, e, passed); !ok {
				return buf, false
			}
		}
		return buf, true
	}
	data, err := json.Marshal(v)
	if err != nil {
		return buf, false
	}
	buf = appendText(append(buf, 'j'), fmt.Sprintf("%T", v))
	return appendText(buf, string(data)), true
}

// appendText appends a string after its length, so that no two
// sequences of strings give the same bytes.
func appendText(buf []byte, s string) []byte {
	return append(binary.AppendUvarint(buf, uint64(len(s))), s...)
}

// appendReferenced is appendBlock of withReferenced(p, h, {s}), without
// copying a block: the blocks of s and of every service of h it refers
// to, by name.
func appendReferenced(buf []byte, p *schema.Platform, h *schema.Host, s *schema.Service) ([]byte, bool) {
	services := referenced(p, h, s)
	slices.SortFunc(services, func(a, b *schema.Service) int { return strings.Compare(a.Name, b.Name) })
	buf = binary.AppendUvarint(append(buf, 'm'), uint64(len(services)))
	ok := true
	for _, t := range services {
		buf = appendText(buf, t.Name)
		if buf, ok = appendUserBlock(buf, t); !ok {
			return buf, false
		}
	}
	return buf, true
}

// appendUserBlock is appendBlock of userBlock(s), without the copy.
func appendUserBlock(buf []byte, s *schema.Service) ([]byte, bool) {
	keys := make([]string, 0, len(s.Compose))
	for k := range s.Compose {
		if _, owned := OwnedKey(k); !owned {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	buf = binary.AppendUvarint(append(buf, 'm'), uint64(len(keys)))
	ok := true
	for _, k := range keys {
		buf = appendText(buf, k)
		if buf, ok = appendPassed(buf, s.Compose[k]); !ok {
			return buf, false
		}
	}
	return buf, true
}
