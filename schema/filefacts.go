package schema

import (
	"crypto/sha256"
	"path/filepath"
	"sort"
	"sync"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"

	"portschema/schema/memo"
)

// After a change to one file, a run needs of every other file only
// what it learnt from its syntax last time: whether the file can be
// split, where it declares its services, and where each field is
// written. These facts are kept in the memo per file, keyed by the
// file's bytes and name (and the definitions and the binary, as every
// entry), so that a run that finds every file's facts parses none of
// them: the chunks it evaluates again are parsed from their own bytes.
//
// A file's positions are merged into the source's index exactly as one
// walk over every file records them (see positionIndex.add).

// fileFacts are what a run learns of one file from its syntax.
type fileFacts struct {
	// Split: every top-level declaration is plain (see addTopLevel) and
	// no expression refers to services (see refersToServices).
	Split bool
	// TopLevel: an expression refers to a top-level declaration (see
	// refersToTopLevel).
	TopLevel bool
	// Apart: the file declares nothing the services evaluate from (see
	// apartFile).
	Apart bool
	// Decls are the services the file declares, in the order of its
	// bytes.
	Decls []declFacts
	Index fileIndex
}

// declFacts is a serviceDecl without its syntax.
type declFacts struct {
	Name       string
	Start, End int
}

// fileIndex is the positions of one file, as the source's index takes
// them in (see positionIndex.add).
type fileIndex struct {
	Rel     string // the file, relative to the root
	Dynamic bool
	Unknown []namedPos // unknown top-level fields, first of each
	Defined []namedPos // services written, in the order written
	// Entities are the positions of each entity the file writes.
	Entities []entityIndex
}

type namedPos struct {
	Name      string
	Line, Col int
}

// entityIndex is the positions of one entity written in a file: each
// path's label position, or its value's (Values) which replaces what
// files before recorded.
type entityIndex struct {
	Key         string
	Paths       []string
	Lines, Cols []int
	Values      []bool
}

// factsOf learns a parsed user file's facts.
func factsOf(absRoot string, f *ast.File, shape *Shape) fileFacts {
	facts := namingFactsOf(f)
	facts.Index = fileIndexOf(absRoot, f, shape)
	return facts
}

// namingFactsOf learns all of a file's facts but its positions: whether
// it can be split, refers to the top level or stands apart, and where
// it declares its services. They read how the parser resolved the
// file's names, which linking an instance of it rewrites (see
// linkFiles): they are learnt before any part built from the same
// syntax is linked. The positions read no name's resolution.
func namingFactsOf(f *ast.File) fileFacts {
	plan := &splitPlan{}
	scopes := map[ast.Node]bool{}
	facts := fileFacts{Split: true}
	for _, d := range f.Decls {
		if !plan.addTopLevel(f, d, scopes) {
			facts.Split = false
		}
	}
	facts.Split = facts.Split && !refersToServices(f, scopes)
	facts.TopLevel = refersToTopLevel(f)
	if reads, ok := definitionsRead(); ok {
		facts.Apart = apartFile(f, reads)
	}
	for _, d := range plan.decls {
		facts.Decls = append(facts.Decls, declFacts{Name: d.name, Start: d.start, End: d.end})
	}
	return facts
}

// fileIndexOf walks one file as newPositionIndex walks every file.
func fileIndexOf(absRoot string, f *ast.File, shape *Shape) fileIndex {
	ix := &positionIndex{root: absRoot, entities: map[string]Positions{}, shape: shape, values: map[string]map[string]bool{}}
	order := &walkOrder{}
	ix.order = order
	ix.walkDecls(f.Decls, cursor{})
	fi := fileIndex{Rel: relPath(absRoot, f.Filename), Dynamic: ix.dynamic}
	for _, name := range order.unknown {
		p := ix.unknown[name]
		fi.Unknown = append(fi.Unknown, namedPos{name, p.Line, p.Col})
	}
	for _, name := range order.defined {
		p := ix.definedIn[name][0]
		fi.Defined = append(fi.Defined, namedPos{name, p.Line, p.Col})
	}
	keys := make([]string, 0, len(ix.entities))
	for key := range ix.entities {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		ps := ix.entities[key]
		e := entityIndex{Key: key}
		for _, path := range sortedKeys(ps) {
			e.Paths = append(e.Paths, path)
			e.Lines = append(e.Lines, ps[path].Line)
			e.Cols = append(e.Cols, ps[path].Col)
			e.Values = append(e.Values, ix.values[key][path])
		}
		fi.Entities = append(fi.Entities, e)
	}
	return fi
}

// walkOrder is the order in which a walk first met unknown top-level
// fields and service definitions, which the index's maps forget.
type walkOrder struct {
	unknown, defined []string
}

// add takes one file's positions into the index, the files in load
// order: a label's position is kept where no file before recorded one,
// a value's replaces it, unknown fields keep their first position, and
// each file that writes a service is noted.
func (ix *positionIndex) add(fi *fileIndex) {
	if ix.first == "" || fi.Rel < ix.first {
		ix.first = fi.Rel
	}
	ix.dynamic = ix.dynamic || fi.Dynamic
	for _, u := range fi.Unknown {
		if _, seen := ix.unknown[u.Name]; !seen {
			if ix.unknown == nil {
				ix.unknown = map[string]Pos{}
			}
			ix.unknown[u.Name] = Pos{File: fi.Rel, Line: u.Line, Col: u.Col}
		}
	}
	for _, d := range fi.Defined {
		if ix.definedIn == nil {
			ix.definedIn = map[string][]Pos{}
		}
		ix.definedIn[d.Name] = append(ix.definedIn[d.Name], Pos{File: fi.Rel, Line: d.Line, Col: d.Col})
	}
	for _, e := range fi.Entities {
		ps := ix.entities[e.Key]
		if ps == nil { // most entities are written in one file: sized once
			ps = make(Positions, len(e.Paths))
			ix.entities[e.Key] = ps
		}
		for i, path := range e.Paths {
			if _, seen := ps[path]; e.Values[i] || !seen {
				ps[path] = Pos{File: fi.Rel, Line: e.Lines[i], Col: e.Cols[i]}
			}
		}
	}
}

// definitionsSplit reports whether the definitions leave a source's
// services apart (no expression of theirs refers to services), as
// planParts requires of every file.
var definitionsSplit = sync.OnceValue(func() bool {
	f, err := parser.ParseFile(DefinitionsFile, Definitions)
	return err == nil && !refersToServices(f, map[ast.Node]bool{})
})

// factsKey is the memo key of a file's facts.
func factsKey(store memo.Store, rel string, sum [sha256.Size]byte) memo.Key {
	return store.NewKey("file facts by digest v3").Add(Definitions).AddString(rel).Add(sum[:]).Key()
}

// factsOfSource returns every user file's facts, in the order of
// src.Names: from store, or learnt from the file parsed, and kept. It
// reports false when a file does not parse as a plain file of the
// package (see parsePlain), which the parsing path reports.
func factsOfSource(absRoot string, src *Source, shape *Shape, store memo.Store) ([]fileFacts, bool) {
	facts := make([]fileFacts, len(src.Names))
	ok := make([]bool, len(src.Names))
	keys := make([]memo.Key, len(src.Names))
	var wg sync.WaitGroup
	for i, name := range src.Names {
		wg.Go(func() {
			rel := relPath(absRoot, filepath.Join(src.Dir, name))
			keys[i] = factsKey(store, rel, src.Sum(name))
			data, found := store.Get(keys[i])
			if found {
				var err error
				facts[i], err = unmarshalFacts(data)
				ok[i] = err == nil && facts[i].Index.Rel == rel
			}
		})
	}
	wg.Wait()
	missing := 0
	for _, found := range ok {
		if !found {
			missing++
		}
	}
	if missing > 1+len(src.Names)/4 {
		return nil, false // parsed whole, once, by the parsing path
	}
	for i, name := range src.Names {
		if ok[i] {
			continue
		}
		wg.Go(func() {
			k := keys[i]
			f, err := parser.ParseFile(filepath.Join(src.Dir, name), src.Data[name])
			if err != nil || f.PackageName() != PackageName || hasFileAttributes(f) {
				return
			}
			facts[i], ok[i] = factsOf(absRoot, f, shape), true
			store.Put(k, marshalFacts(&facts[i]))
		})
	}
	wg.Wait()
	for _, found := range ok {
		if !found {
			return nil, false
		}
	}
	return facts, true
}

// keepFacts puts every user file's facts in store.
func keepFacts(src *Source, facts []fileFacts, store memo.Store) {
	for i, name := range src.Names {
		store.Put(factsKey(store, facts[i].Index.Rel, src.Sum(name)), marshalFacts(&facts[i]))
	}
}

// indexOfFacts is the source's position index, from its files' facts
// in load order.
func indexOfFacts(absRoot string, shape *Shape, facts []fileFacts) *positionIndex {
	n := 0
	for i := range facts {
		n += len(facts[i].Index.Entities)
	}
	ix := &positionIndex{root: absRoot, entities: make(map[string]Positions, n), shape: shape}
	for i := range facts {
		ix.add(&facts[i].Index)
	}
	return ix
}

// planOfFacts is the split plan the files' facts allow, without syntax
// (its parts are parsed from their bytes), or nil.
func planOfFacts(src *Source, facts []fileFacts) *splitPlan {
	if src.InModule {
		return nil
	}
	plan := &splitPlan{}
	for i, f := range facts {
		if !f.Split {
			return nil
		}
		for _, d := range f.Decls {
			plan.decls = append(plan.decls, serviceDecl{file: src.Names[i], name: d.Name, start: d.Start, end: d.End})
		}
	}
	plan.nameServices()
	if len(plan.names) < splitAt {
		return nil
	}
	if _, ok := definitionsRead(); ok {
		plan.apart = map[string]bool{}
		for i, f := range facts {
			switch {
			case f.Apart:
				plan.apart[src.Names[i]] = true
			case f.TopLevel:
				plan.apart = nil
				return plan
			}
		}
	}
	return plan
}
