package yamlout

import (
	"maps"
	"slices"
	"strconv"
)

// The long lists (a scrape job per service, an ingress rule per public
// hostname) are made of items the generators build from identifiers,
// hostnames, ports and paths. yaml.v4 writes each of them through
// reflection, a node tree and an event queue, which at thousands of
// services is a tenth of a warm regen. An item that implements
// ListItem writes itself with a Block instead: a few appends per line
// that give exactly yaml.v4's bytes for the shapes such items have
// (mappings of plain scalars, block and flow sequences of them, string
// maps with sorted keys, a head comment). The Block gives up at the
// first value it cannot prove yaml.v4 writes that way -- a string
// yaml.v4 would quote or split, a key it would sort differently -- and
// the item then goes through yaml.v4 as before, so the bytes never
// depend on which path wrote them (tested against yaml.v4 on random
// items of awkward strings).

// ListItem is an item of a MarshalList list that can write itself.
type ListItem interface {
	// WriteYAML writes the item with w as an entry of a block sequence
	// whose dash is at column col. It need not check anything: w gives
	// up by itself at a value it cannot write as yaml.v4 would.
	WriteYAML(w *Block, col int)
}

// Block appends block YAML as yaml.v4 writes it at an indent of two
// spaces, for the values it can prove it writes the same way; see
// ListItem. Every method takes the column of the key it writes.
type Block struct {
	b []byte
	// inline says that the next key goes on the current line, after a
	// sequence entry's "- ".
	inline bool
	// failed says that a value could not be written as yaml.v4 writes
	// it: what b holds is then to be thrown away.
	failed bool
}

// AppendItem appends item as an entry of a block sequence at column col
// and reports whether it could write it as yaml.v4 would; when it could
// not, b is returned unchanged.
func AppendItem(b []byte, item ListItem, col int) ([]byte, bool) {
	w := Block{b: b}
	item.WriteYAML(&w, col)
	if w.failed {
		return b, false
	}
	return w.b, true
}

// Comment writes text as a comment line at col, as yaml.v4 writes the
// head comment of an entry; nothing for an empty text. It accepts one
// line of printable characters that does not start with # (yaml.v4
// would not add "# " to it).
func (w *Block) Comment(col int, text string) {
	if text == "" {
		return
	}
	if text[0] == '#' || !printableLine(text) {
		w.failed = true
		return
	}
	w.indent(col)
	w.b = append(w.b, "# "...)
	w.b = append(w.b, text...)
	w.b = append(w.b, '\n')
}

// Item starts a sequence entry at col: its first key goes on the same
// line, the others at col+2.
func (w *Block) Item(col int) {
	w.indent(col)
	w.b = append(w.b, "- "...)
	w.inline = true
}

// Key writes key and a line break: a block (mapping or non-empty
// sequence) follows at col+2.
func (w *Block) Key(col int, key string) {
	w.key(col, key)
	w.b = append(w.b, '\n')
}

// String writes key: value.
func (w *Block) String(col int, key, value string) {
	w.key(col, key)
	w.b = append(w.b, ' ')
	w.scalar(value, false)
	w.b = append(w.b, '\n')
}

// OmitEmpty writes key: value unless value is empty, as a field tagged
// omitempty.
func (w *Block) OmitEmpty(col int, key, value string) {
	if value != "" {
		w.String(col, key, value)
	}
}

// Int writes key: n.
func (w *Block) Int(col int, key string, n int) {
	w.key(col, key)
	w.b = append(w.b, ' ')
	w.b = strconv.AppendInt(w.b, int64(n), 10)
	w.b = append(w.b, '\n')
}

// Strings writes values as a block sequence under key ([] if empty).
func (w *Block) Strings(col int, key string, values []string) {
	w.key(col, key)
	if len(values) == 0 {
		w.b = append(w.b, " []\n"...)
		return
	}
	w.b = append(w.b, '\n')
	for _, v := range values {
		w.indent(col + 2)
		w.b = append(w.b, "- "...)
		w.scalar(v, false)
		w.b = append(w.b, '\n')
	}
}

// FlowStrings writes values as a flow sequence under key: [a, b].
func (w *Block) FlowStrings(col int, key string, values []string) {
	w.key(col, key)
	w.b = append(w.b, " ["...)
	for i, v := range values {
		if i > 0 {
			w.b = append(w.b, ", "...)
		}
		w.scalar(v, true)
	}
	w.b = append(w.b, "]\n"...)
}

// StringMap writes m under key with its keys sorted ({} if empty).
func (w *Block) StringMap(col int, key string, m map[string]string) {
	writeMap(w, col, key, m, w.String)
}

// StringsMap writes m under key with its keys sorted, each value a
// block sequence ({} if empty).
func (w *Block) StringsMap(col int, key string, m map[string][]string) {
	writeMap(w, col, key, m, w.Strings)
}

// writeMap writes m under key with its keys sorted, each entry with
// write ({} if empty).
func writeMap[V any](w *Block, col int, key string, m map[string]V, write func(col int, key string, v V)) {
	w.key(col, key)
	if len(m) == 0 {
		w.b = append(w.b, " {}\n"...)
		return
	}
	w.b = append(w.b, '\n')
	for _, k := range sortedKeys(m) {
		write(col+2, k, m[k])
	}
}

// sortedKeys returns m's keys in Go's string order, which is yaml.v4's
// for the keys plainKey accepts (key checks each).
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func (w *Block) key(col int, key string) {
	if !plainKey(key) {
		w.failed = true
	}
	if w.inline {
		w.inline = false
	} else {
		w.indent(col)
	}
	w.b = append(w.b, key...)
	w.b = append(w.b, ':')
}

// scalar writes s as yaml.v4 does, or gives up: plain where plainValue
// says so (in a flow sequence when flow is set), double-quoted where s
// is a number of decimal digits (the numbers generated label values
// hold: a group, a shard), which yaml.v4 would otherwise read back as
// an int or a float.
func (w *Block) scalar(s string, flow bool) {
	switch {
	case plainValue(s, flow):
		w.b = append(w.b, s...)
	case decimalDigits(s):
		w.b = append(w.b, '"')
		w.b = append(w.b, s...)
		w.b = append(w.b, '"')
	default:
		w.failed = true
	}
}

func (w *Block) indent(col int) {
	for range col {
		w.b = append(w.b, ' ')
	}
}

// Fail gives up: the item is left to yaml.v4. An item calls it for a
// shape the Block has no method for.
func (w *Block) Fail() { w.failed = true }
