package schema

import (
	"encoding/binary"
	"errors"
)

// A file's facts are kept in the memo in a compact form of their own
// rather than with encoding/gob: a run after one change decodes the
// facts of every other file, and gob, which describes the types again
// in every entry and decodes through reflection, took most of that
// time. The paths of entities repeat from entity to entity ("port",
// "compose.image"), so every text is written once, in a table at the
// start, and referred to by its number; decoding makes each text once.
//
// The form is: the table (its length, then each text's length and
// bytes), then the flags, the declarations, the file's name, the
// unknown fields, the services written and the entities, every number
// an unsigned varint. An entry that does not decode whole is no entry:
// the file is read again.

// Flags of a file's facts, as one number, in marshalFacts' order.
const (
	factSplit = 1 << iota
	factTopLevel
	factApart
	factDynamic
)

// marshalFacts is the kept form of f.
func marshalFacts(f *fileFacts) []byte {
	w := factsWriter{index: map[string]uint64{}}
	var flags uint64
	for bit, set := range []bool{f.Split, f.TopLevel, f.Apart, f.Index.Dynamic} {
		if set {
			flags |= 1 << bit
		}
	}
	w.number(flags)
	w.number(uint64(len(f.Decls)))
	for _, d := range f.Decls {
		w.text(d.Name)
		w.number(uint64(d.Start))
		w.number(uint64(d.End))
	}
	w.text(f.Index.Rel)
	for _, named := range [][]namedPos{f.Index.Unknown, f.Index.Defined} {
		w.number(uint64(len(named)))
		for _, n := range named {
			w.text(n.Name)
			w.number(uint64(n.Line))
			w.number(uint64(n.Col))
		}
	}
	w.number(uint64(len(f.Index.Entities)))
	for _, e := range f.Index.Entities {
		w.text(e.Key)
		w.number(uint64(len(e.Paths)))
		for i, path := range e.Paths {
			w.text(path)
			w.number(uint64(e.Lines[i]))
			w.number(uint64(e.Cols[i]))
			w.flag(e.Values[i])
		}
	}
	out := binary.AppendUvarint(nil, uint64(len(w.texts)))
	for _, t := range w.texts {
		out = binary.AppendUvarint(out, uint64(len(t)))
		out = append(out, t...)
	}
	return append(out, w.body...)
}

// factsWriter writes the body of facts, gathering their texts.
type factsWriter struct {
	body  []byte
	texts []string
	index map[string]uint64 // of each text in texts
}

func (w *factsWriter) number(n uint64) { w.body = binary.AppendUvarint(w.body, n) }

func (w *factsWriter) flag(b bool) {
	if b {
		w.number(1)
	} else {
		w.number(0)
	}
}

func (w *factsWriter) text(s string) {
	i, ok := w.index[s]
	if !ok {
		i = uint64(len(w.texts))
		w.index[s] = i
		w.texts = append(w.texts, s)
	}
	w.number(i)
}

// errBadFacts is any entry that does not decode whole.
var errBadFacts = errors.New("not the facts of a file")

// unmarshalFacts decodes what marshalFacts wrote. Every count is
// checked against the bytes left before anything is made of it, so that
// no entry, however damaged, makes a large allocation or a panic.
func unmarshalFacts(data []byte) (fileFacts, error) {
	r := factsReader{data: data}
	r.texts = make([]string, r.count())
	for i := range r.texts {
		n := r.count()
		if r.err != nil {
			break
		}
		r.texts[i] = string(r.data[:n])
		r.data = r.data[n:]
	}
	var f fileFacts
	flags := r.number()
	f.Split, f.TopLevel, f.Apart, f.Index.Dynamic = flags&factSplit != 0, flags&factTopLevel != 0, flags&factApart != 0, flags&factDynamic != 0
	if n := r.count(); n > 0 {
		f.Decls = make([]declFacts, n)
		for i := range f.Decls {
			f.Decls[i] = declFacts{Name: r.text(), Start: r.int(), End: r.int()}
		}
	}
	f.Index.Rel = r.text()
	for _, named := range []*[]namedPos{&f.Index.Unknown, &f.Index.Defined} {
		if n := r.count(); n > 0 {
			*named = make([]namedPos, n)
			for i := range *named {
				(*named)[i] = namedPos{Name: r.text(), Line: r.int(), Col: r.int()}
			}
		}
	}
	if n := r.count(); n > 0 {
		f.Index.Entities = make([]entityIndex, n)
		for i := range f.Index.Entities {
			e := entityIndex{Key: r.text()}
			if paths := r.count(); paths > 0 {
				e.Paths, e.Lines, e.Cols, e.Values = make([]string, paths), make([]int, paths), make([]int, paths), make([]bool, paths)
			}
			for j := range e.Paths {
				e.Paths[j], e.Lines[j], e.Cols[j], e.Values[j] = r.text(), r.int(), r.int(), r.number() == 1
			}
			f.Index.Entities[i] = e
		}
	}
	if r.err != nil || len(r.data) > 0 {
		return fileFacts{}, errBadFacts
	}
	return f, nil
}

// factsReader reads the numbers and texts of kept facts; after the
// first error every read gives zero.
type factsReader struct {
	data  []byte
	texts []string
	err   error
}

func (r *factsReader) number() uint64 {
	if r.err != nil {
		return 0
	}
	n, size := binary.Uvarint(r.data)
	if size <= 0 {
		r.err = errBadFacts
		return 0
	}
	r.data = r.data[size:]
	return n
}

// count is a number of things still to read, each of at least one
// byte: never more than the bytes left.
func (r *factsReader) count() int {
	n := r.number()
	if n > uint64(len(r.data)) {
		r.err = errBadFacts
		return 0
	}
	return int(n)
}

// int is a line, column or byte offset: at most a file's length.
func (r *factsReader) int() int {
	n := r.number()
	if n > 1<<40 {
		r.err = errBadFacts
		return 0
	}
	return int(n)
}

func (r *factsReader) text() string {
	i := r.number()
	if i >= uint64(len(r.texts)) {
		r.err = errBadFacts
		return ""
	}
	return r.texts[i]
}
