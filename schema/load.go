package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/build"
	"cuelang.org/go/cue/cuecontext"
	cueerrors "cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/load"

	"portschema/schema/memo"
)

// Definitions is the CUE file that constrains every platform source. It
// is laid over the source directory at load time, so a directory holding
// only data files loads, and a stale copy in the directory never wins.
//
//go:embed definitions.cue
var Definitions []byte

// DefinitionsFile is the name the definitions take in the source
// directory; `cue vet` of a directory holding a copy of it passes too.
const DefinitionsFile = "definitions.cue"

// SourceDir is the directory below the project root holding the source.
const SourceDir = "schema"

// PackageName is the CUE package every source file declares.
const PackageName = "platform"

// Load reads the platform source of the project at root (its schema/
// directory), evaluates it against the definitions, checks every rule,
// and returns the model. Problems in the source come back together as
// Diagnostics, sorted by position; any other error is an I/O problem.
// Warnings are in Platform.Warnings.
//
// What the source evaluates to is kept in the memo (see package memo),
// in chunks for a source evaluated in parts, with what each file's
// syntax told, so that a run after a change to one service parses only
// the changed files and evaluates only the chunk that holds it.
// PORTSCHEMA_CACHE=off turns that off; the model is the same either way.
func Load(root string) (*Platform, error) {
	return loadWith(root, nil, memo.Open(memo.ToolIdentity()))
}

// LoadSource is Load of the source of root as ReadSource read it, for
// a caller that had to read it already.
func LoadSource(root string, src *Source) (*Platform, error) {
	return loadWith(root, src, memo.Open(memo.ToolIdentity()))
}

// loadWith is Load of src (nil: read from root) with the memo it keeps
// evaluations in.
func loadWith(root string, src *Source, store memo.Store) (*Platform, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(absRoot, SourceDir)
	if src == nil {
		if src, err = readSource(dir); err != nil {
			return nil, err
		}
	} else if src.Dir != dir {
		return nil, fmt.Errorf("the source given is of %s, not of %s", src.Dir, dir)
	}
	if len(src.Names) == 0 {
		return nil, noSourceFiles()
	}
	if ds := checkPackages(src); len(ds) > 0 {
		return nil, ds.Sort()
	}
	shape, err := SourceShape()
	if err != nil {
		return nil, err
	}
	early := &earlyDecoding{}
	ev, err := evaluate(absRoot, src, shape, store, early)
	var cueErrs Diagnostics
	if err != nil && (ev.broken == nil || !errors.As(err, &cueErrs)) {
		return nil, err
	}
	ix := ev.ix
	p, err := decode(ev.docs, ix, early)
	if err != nil {
		return nil, err
	}
	p.Root = absRoot
	p.Source = src
	p.SourceFiles = ev.files
	p.broken = ev.broken
	clean := openCleanServices(store, absRoot, ev.valueKeys)
	errs, warns := validate(p, clean)
	clean.keep()
	if unknown := unknownTopLevel(ix); len(unknown) > 0 {
		errs = append(errs, unknown...)
	}
	warns = append(warns, ix.spreadServices()...)
	if len(cueErrs) > 0 {
		// The rules ran on what evaluates; warnings wait for a source
		// that evaluates whole.
		errs, warns = append(errs, cueErrs...), nil
	}
	errs = errs.Sort()
	p.Warnings = warns.Sort()
	if len(errs) > 0 {
		return p, errs
	}
	return p, nil
}

// evaluation is what evaluate makes of a source.
type evaluation struct {
	ix *positionIndex
	// docs are the JSON: whole, or the rest and then each part's or
	// chunk's services.
	docs   [][]byte
	files  []string        // the files evaluated, relative to the root, sorted
	broken map[string]bool // the entities left out (see partialExport)
	// valueKeys name what each service's value was evaluated from (see
	// serviceKey), where the source went through the memo's chunks: a
	// service of the same key has the same value.
	valueKeys map[string]memo.Key
}

// evaluate exports the source as JSON, in parts where it can be split,
// and indexes the positions of its syntax meanwhile. Problems in the
// source come back as Diagnostics. shape is the source's shape (see
// SourceShape). What a plain source, or each of its parts, evaluated to
// is kept in store.
//
// A plain source is parsed here, once, a file per core at once: the
// plan, the index and the parts are built from that syntax (see
// partSyntax). Any other source, and one whose part fails (for the complete
// diagnostics), is loaded and evaluated whole by CUE.
//
// Where CUE's errors are all inside entities, the entities that do
// evaluate come back with the errors, and the broken ones are named
// (see partialExport). The JSON the memo held of a split source's
// chunks starts decoding through early while the rest evaluates.
func evaluate(absRoot string, src *Source, shape *Shape, store memo.Store, early *earlyDecoding) (evaluation, error) {
	var whole memo.Key
	cached := store.On() && !src.InModule // a module reads files the key does not cover
	if cached {
		if ev, ok := evaluateFromFacts(absRoot, src, shape, store, early); ok {
			ev.files = userFiles(absRoot, src)
			return ev, nil
		}
	}
	if files := parsePlain(src); files != nil {
		names := sourceNames(absRoot, files)
		if plan := planSplit(src, files); plan != nil {
			var facts []fileFacts
			if cached {
				// What the files' names tell is learnt before the parts
				// link the same syntax (see namingFactsOf).
				facts = make([]fileFacts, len(src.Names))
				for i, f := range files[1:] { // after the definitions, src.Names in order
					facts[i] = namingFactsOf(f)
				}
			}
			positions := make(chan *positionIndex, 1)
			go func(files []*ast.File) {
				if !cached {
					positions <- newPositionIndex(absRoot, files, shape)
					return
				}
				for i, f := range files[1:] {
					facts[i].Index = fileIndexOf(absRoot, f, shape)
				}
				keepFacts(src, facts, store)
				positions <- indexOfFacts(absRoot, shape, facts)
			}(files)
			docs, valueKeys, ok := plan.evaluate(src, store, early) // from the same syntax where it can
			ix := <-positions
			if ok {
				return evaluation{ix: ix, docs: docs, files: names, valueKeys: valueKeys}, nil
			}
			inst, err := loadInstance(src)
			if err != nil {
				return evaluation{}, err
			}
			data, broken, err := evaluateWhole(absRoot, ix, inst)
			return evaluation{ix: ix, docs: [][]byte{data}, files: sourceNames(absRoot, inst.Files), broken: broken}, err
		}
		if cached {
			whole = partKey(store, "whole source", src.Names, src.Data)
			if data, ok := store.Get(whole); ok {
				return evaluation{ix: newPositionIndex(absRoot, files, shape), docs: [][]byte{data}, files: names}, nil
			}
		}
	}
	inst, err := loadInstance(src)
	if err != nil {
		return evaluation{}, err
	}
	names := sourceNames(absRoot, inst.Files)
	ix := newPositionIndex(absRoot, inst.Files, shape)
	if inst.Err != nil {
		return evaluation{}, cueDiagnostics(absRoot, ix, inst.Err)
	}
	data, broken, err := evaluateWhole(absRoot, ix, inst)
	if err == nil && whole != (memo.Key{}) && sameFiles(src, names) {
		store.Put(whole, data)
	}
	return evaluation{ix: ix, docs: [][]byte{data}, files: names, broken: broken}, err
}

// evaluateFromFacts evaluates a split source parsing only the files
// the memo holds no facts of (see fileFacts), when little is left to
// evaluate: the chunks the memo lacks are parsed from their own bytes.
// It reports false otherwise, and for a source with errors, which the
// parsing path reports. The evaluation's files are left to the caller.
func evaluateFromFacts(absRoot string, src *Source, shape *Shape, store memo.Store, early *earlyDecoding) (evaluation, bool) {
	if !definitionsSplit() {
		return evaluation{}, false
	}
	facts, ok := factsOfSource(absRoot, src, shape, store)
	if !ok {
		return evaluation{}, false
	}
	plan := planOfFacts(src, facts)
	if plan == nil {
		return evaluation{}, false
	}
	kept := plan.kept(src, store)
	if len(kept.missing) > factsUpTo {
		return evaluation{}, false // parsed once and evaluated from the syntax, cheaper
	}
	docs, ok := plan.evaluateChunks(src, store, kept, early)
	if !ok {
		return evaluation{}, false
	}
	return evaluation{ix: indexOfFacts(absRoot, shape, facts), docs: docs, valueKeys: kept.valueKeys()}, true
}

// userFiles are the source's files relative to the root, sorted.
func userFiles(absRoot string, src *Source) []string {
	names := make([]string, len(src.Names))
	for i, name := range src.Names {
		names[i] = relPath(absRoot, filepath.Join(src.Dir, name))
	}
	sort.Strings(names)
	return names
}

// partKey is the memo key of an evaluation of files (the source's, or a
// part's): the definitions and every file with its name.
func partKey(store memo.Store, step string, names []string, files map[string][]byte) memo.Key {
	k := store.NewKey(step).Add(Definitions)
	for _, name := range names {
		k.AddString(name).Add(files[name])
	}
	return k.Key()
}

// sameFiles reports whether the files CUE's loader evaluated (names,
// relative to the root) are exactly the source's: the loader reads the
// directory, where a file may have appeared since the source was read.
func sameFiles(src *Source, names []string) bool {
	if len(names) != len(src.Names) {
		return false
	}
	for _, name := range names {
		if src.Data[filepath.Base(name)] == nil {
			return false
		}
	}
	return true
}

// sourceNames are the user's files among files, relative to the root,
// sorted.
func sourceNames(absRoot string, files []*ast.File) []string {
	var names []string
	for _, f := range files {
		if filepath.Base(f.Filename) != DefinitionsFile {
			names = append(names, relPath(absRoot, f.Filename))
		}
	}
	sort.Strings(names)
	return names
}

// evaluateWhole evaluates the source in one piece and exports it as
// JSON; if that fails, it validates for the complete list of problems,
// and exports what evaluates (see partialExport).
func evaluateWhole(absRoot string, ix *positionIndex, inst *build.Instance) ([]byte, map[string]bool, error) {
	v := cuecontext.New().BuildInstance(inst)
	data, err := v.MarshalJSON()
	if err != nil {
		verr := v.Validate(cue.Concrete(true), cue.All())
		if verr == nil {
			verr = err
		}
		ds := cueDiagnostics(absRoot, ix, verr)
		partial, broken := partialExport(v, ix.shape)
		return partial, broken, fieldsInWords(ix.shape, append(ds, shapeDiagnostics(ix, ds)...)).Sort()
	}
	return data, nil, nil
}

// loadInstance loads the package from the bytes already read, with the
// embedded definitions laid over.
func loadInstance(src *Source) (*build.Instance, error) {
	dir := src.Dir
	overlay := make(map[string]load.Source, len(src.Names)+1)
	overlay[filepath.Join(dir, DefinitionsFile)] = load.FromBytes(Definitions)
	for _, name := range src.Names {
		overlay[filepath.Join(dir, name)] = load.FromBytes(src.Data[name])
	}
	cfg := &load.Config{
		Dir:     dir,
		Package: PackageName,
		Env:     []string{},
		Overlay: overlay,
	}
	insts := load.Instances([]string{"."}, cfg)
	if len(insts) != 1 {
		return nil, fmt.Errorf("loading %s: expected one CUE package, got %d", dir, len(insts))
	}
	return insts[0], nil
}

// cueDiagnostics converts CUE's errors into diagnostics at the user's
// positions. CUE often names the embedded definitions (an incomplete
// value, a pattern constraint); those positions are dropped and the
// error's path is looked up in the user's files instead.
func cueDiagnostics(root string, ix *positionIndex, err error) Diagnostics {
	var ds, dropped Diagnostics
	for _, e := range cueerrors.Errors(err) {
		var pos Pos
		var related []Pos
		for _, p := range cueerrors.Positions(e) {
			if !p.IsValid() || filepath.Base(p.Filename()) == DefinitionsFile {
				continue
			}
			up := Pos{File: relPath(root, p.Filename()), Line: p.Line(), Col: p.Column()}
			if !pos.IsValid() {
				pos = up
			} else if up != pos {
				related = append(related, up)
			}
		}
		format, args := e.Msg()
		if msg, ok := importInWords(root, pos, format, args); ok {
			ds = append(ds, Diagnostic{Severity: Error, Pos: pos, Message: msg})
			continue
		}
		if !pos.IsValid() {
			if d, ok := missingInWords(ix, e.Path(), format); ok {
				ds = append(ds, d)
				continue
			}
			pos = ix.lookup(e.Path())
		}
		msg := cueMessage(e)
		if strings.Contains(msg, "errors in empty disjunction") {
			continue // a heading; its alternatives follow as errors of their own
		}
		if strings.Contains(format, "(mismatched types") && mismatchedElsewhere(err, e) {
			continue // another alternative of a disjunction says what is wrong
		}
		if format == "conflicting values %s and %s" && !mismatchedElsewhere(err, e) {
			format += " (alone)"
		}
		if format != "field not allowed" && ix.shape != nil {
			words := inWords(ix.shape, e.Path(), format, args)
			if words == "" {
				// Left to another error; kept in case none is reported.
				dropped = append(dropped, Diagnostic{Severity: Error, Pos: pos, Related: related, Message: redactSecrets(e.Path(), msg)})
				continue
			}
			msg = words
		}
		ds = append(ds, Diagnostic{Severity: Error, Pos: pos, Related: related, Message: redactSecrets(e.Path(), msg)})
	}
	if len(ds) == 0 {
		// A source that does not evaluate is never reported as without
		// errors.
		ds = dropped
	}
	return ds.Sort()
}

// mismatchedElsewhere reports whether, for a value that matched no
// alternative of a disjunction, an alternative of another type ("a
// string is not a struct") is one of several errors at or below the
// value's path: the others say what is wrong.
func mismatchedElsewhere(err error, e cueerrors.Error) bool {
	path := strings.Join(e.Path(), ".")
	for _, o := range cueerrors.Errors(err) {
		if o == e {
			continue
		}
		format, _ := o.Msg()
		if strings.Contains(format, "errors in empty disjunction") {
			continue
		}
		op := strings.Join(o.Path(), ".")
		if op == path || strings.HasPrefix(op, path+".") {
			return true
		}
	}
	return false
}

// cueMessage is CUE's message with the path in front, as CUE prints it,
// but without positions (they are ours to print).
func cueMessage(e cueerrors.Error) string {
	format, args := e.Msg()
	msg := fmt.Sprintf(format, args...)
	if path := e.Path(); len(path) > 0 {
		msg = strings.Join(path, ".") + ": " + msg
	}
	return msg
}

// relPath renders an absolute file name relative to root, with slashes.
func relPath(root, name string) string {
	if rel, err := filepath.Rel(root, name); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(name)
}

// source is the JSON shape of an evaluated source's top level. Each
// block decodes into its model type by the model's json tags, which are
// the source's field names: the platform block into Platform itself,
// the named entities into maps that decode sorts into slices.
type source struct {
	Platform   *Platform           `json:"platform"`
	Ranges     map[string]*Range   `json:"ranges"`
	Hosts      map[string]*Host    `json:"hosts"`
	Services   map[string]*Service `json:"services"`
	Outputs    Outputs             `json:"outputs"`
	Prometheus *Prometheus         `json:"prometheus"`
}

// earlyDecoding decodes some of the JSON of a source's parts ahead of
// the others: what the memo held of a split source decodes on one core
// while a changed chunk evaluates on the other (see evaluateChunks). A
// nil one decodes nothing early.
type earlyDecoding struct {
	wg    sync.WaitGroup
	parts map[int]*decodedPart // by index in the docs
}

// decodedPart is the JSON of a part, decoded.
type decodedPart struct {
	data []byte
	src  source
	err  error
}

// start decodes the JSON of the parts given by index, in the
// background, one at a time: one goroutine leaves the other core to the
// evaluation, which many would crowd out.
func (e *earlyDecoding) start(docs map[int][]byte) {
	if e == nil || len(docs) == 0 {
		return
	}
	e.parts = make(map[int]*decodedPart, len(docs))
	for i, data := range docs {
		e.parts[i] = &decodedPart{data: data}
	}
	parts := e.parts
	e.wg.Go(func() {
		for _, d := range parts {
			d.err = json.Unmarshal(d.data, &d.src)
		}
	})
}

// take returns part i decoded early, if it was decoded from data
// itself: an evaluation that fell back to another path has other
// parts.
func (e *earlyDecoding) take(i int, data []byte) (*decodedPart, bool) {
	if e == nil {
		return nil, false
	}
	d := e.parts[i]
	same := d != nil && len(d.data) == len(data) && (len(data) == 0 || &d.data[0] == &data[0])
	return d, same
}

// decode turns the evaluated source, exported once as JSON, into the
// model, taking the parts decoded early (early may be nil). Decoding
// JSON is several times cheaper than cue.Value.Decode.
func decode(docs [][]byte, ix *positionIndex, early *earlyDecoding) (*Platform, error) {
	// The parts of a split source each hold some services and the same
	// everything else: they are decoded side by side and their services
	// merged into the first.
	parts := make([]source, len(docs))
	errs := make([]error, len(docs))
	var wg sync.WaitGroup
	for i, data := range docs {
		if _, ok := early.take(i, data); !ok {
			wg.Go(func() { errs[i] = json.Unmarshal(data, &parts[i]) })
		}
	}
	wg.Wait()
	if early != nil {
		early.wg.Wait()
		for i, data := range docs {
			if d, ok := early.take(i, data); ok {
				parts[i], errs[i] = d.src, d.err
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("decoding evaluated source: %w", err)
	}
	src := parts[0]
	for _, part := range parts[1:] {
		if src.Services == nil {
			src.Services = part.Services
			continue
		}
		for name, s := range part.Services {
			src.Services[name] = s
		}
	}
	p := src.Platform
	if p == nil {
		p = &Platform{}
	}
	p.Outputs, p.Prometheus = src.Outputs, src.Prometheus
	p.Outputs.Pos = ix.entity("outputs")
	if p.Prometheus != nil {
		p.Prometheus.Pos = ix.entity("prometheus")
	}
	for name, r := range src.Ranges {
		r.Name, r.Pos = name, ix.entity("ranges."+name)
		p.Ranges = append(p.Ranges, r)
	}
	sort.Slice(p.Ranges, func(i, j int) bool {
		if p.Ranges[i].From != p.Ranges[j].From {
			return p.Ranges[i].From < p.Ranges[j].From
		}
		return p.Ranges[i].Name < p.Ranges[j].Name
	})
	for name, h := range src.Hosts {
		h.Name, h.Pos = name, ix.entity("hosts."+name)
		p.Hosts = append(p.Hosts, h)
	}
	sort.Slice(p.Hosts, func(i, j int) bool { return p.Hosts[i].Name < p.Hosts[j].Name })
	for name, s := range src.Services {
		s.Name = name
		s.setPositions(ix.entity("services." + name))
		p.Services = append(p.Services, s)
	}
	sort.Slice(p.Services, func(i, j int) bool { return p.Services[i].Name < p.Services[j].Name })
	p.index()
	return p, nil
}

// UnmarshalJSON accepts a hostname or {hostname, path, port}.
func (pub *Public) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return unquote(b, &pub.Hostname)
	}
	type plain Public
	return json.Unmarshal(b, (*plain)(pub))
}

// UnmarshalJSON accepts a service name or a need struct, whose url:
// false becomes NoURL.
func (n *Need) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		n.Depends = true
		return unquote(b, &n.Service)
	}
	type plain Need
	need := struct {
		*plain
		URL *bool `json:"url"`
	}{plain: (*plain)(n)}
	if err := json.Unmarshal(b, &need); err != nil {
		return err
	}
	n.NoURL = need.URL != nil && !*need.URL
	return nil
}

// UnmarshalJSON accepts a variable name or {env, from}.
func (s *Secret) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		if err := unquote(b, &s.Env); err != nil {
			return err
		}
		s.From = s.Env
		return nil
	}
	type plain Secret
	return json.Unmarshal(b, (*plain)(s))
}

// UnmarshalJSON reads a variable written as its name alone.
func (v *Variable) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		*v = Variable{}
		return unquote(b, &v.Name)
	}
	type plain Variable
	return json.Unmarshal(b, (*plain)(v))
}

// UnmarshalJSON keeps numbers as written and renders booleans as
// true/false, so that a value reaches the environment unchanged.
func (e *EnvValue) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return unquote(b, &e.Value)
	}
	e.Value = string(b)
	return nil
}

// unquote decodes the JSON string b into dst. The text of a string
// without escapes is the string itself (b is a value of a document
// already found valid, so it holds no control characters); the others
// go through the decoder. A large platform has tens of thousands of
// such values, each of which json.Unmarshal would scan twice.
func unquote(b []byte, dst *string) error {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b[1:len(b)-1], '\\') < 0 &&
		bytes.IndexByte(b[1:len(b)-1], '"') < 0 && utf8.Valid(b) {
		*dst = string(b[1 : len(b)-1])
		return nil
	}
	return json.Unmarshal(b, dst)
}
