package schema

import (
	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/parser"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"portschema/schema/memo"
	"portschema/schema/synthetic"
)

// After a change to one service, the memo holds every chunk whole but
// the service's own, and of that one every other service: only the
// changed service is evaluated again. The model is the changed
// source's. So it is for a large source, and for one of a few dozen
// services.
func TestChangeEvaluatesItsServiceOnly(t *testing.T) {
	for _, n := range []int{600, 30} {
		t.Run(fmt.Sprint(n), func(t *testing.T) { changeEvaluatesItsServiceOnly(t, n) })
	}
}

func changeEvaluatesItsServiceOnly(t *testing.T, n int) {
	root := t.TempDir()
	if err := synthetic.Write(root, n); err != nil {
		t.Fatal(err)
	}
	platformApart(t, root)
	store := memo.At(t.TempDir(), "tool A")
	loadOrFail(t, root, store)
	files, _ := filepath.Glob(filepath.Join(root, SourceDir, "services*.cue"))
	slices.Sort(files)
	file := files[len(files)/2]
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(data), `description: "`)
	edited := string(data[:i]) + `description: "edited, ` + string(data[i+len(`description: "`):])
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}

	src, err := readSource(filepath.Join(root, SourceDir))
	if err != nil {
		t.Fatal(err)
	}
	plan := planSplit(src, parsePlain(src))
	if plan == nil {
		t.Fatalf("%d services: the source is not split", n)
	}
	kept := plan.kept(src, store)
	if len(kept.missing) != 1 {
		t.Fatalf("%d services of %d to evaluate again after a change to one", len(kept.missing), len(plan.names))
	}
	want := loadOrFail(t, root, memo.Store{})
	var changed string
	for _, s := range want.Services {
		if strings.HasPrefix(s.Description, "edited, ") {
			changed = s.Name
		}
	}
	if !slices.Contains(kept.missing, changed) {
		t.Errorf("the changed service %s is not among those evaluated again: %v", changed, kept.missing)
	}
	// Evaluated in a part of its own, without the files services do
	// not evaluate from, the platform's among them.
	if !plan.apart["platform.cue"] {
		t.Errorf("apart files %v", plan.apart)
	}
	if _, ok := plan.evaluateChunks(src, memo.Store{}, kept, nil); !ok {
		t.Error("the changed service does not evaluate in a part")
	}
	if got := loadOrFail(t, root, store); !reflect.DeepEqual(got, want) {
		t.Error("the model differs from the one evaluated without the memo")
	}
	if kept := plan.kept(src, store); len(kept.missing) != 0 {
		t.Errorf("after the run, %d services are still to evaluate", len(kept.missing))
	}
}

// Chunks end where the names say, not where counts do: a service added
// or removed changes its own chunk only.
func TestChunksDependOnNamesAround(t *testing.T) {
	var names []string
	for i := range 400 {
		names = append(names, "svc-"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	slices.Sort(names)
	names = slices.Compact(names)
	plan := &splitPlan{names: names}
	before := plan.chunks()
	gone := names[len(names)/2]
	plan.names = slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == gone })
	after := plan.chunks()
	changed := 0
	seen := map[string]bool{}
	for _, c := range after {
		seen[strings.Join(c, " ")] = true
	}
	for _, c := range before {
		if !seen[strings.Join(c, " ")] {
			changed++
		}
	}
	if changed != 1 {
		t.Errorf("removing one service changed %d chunks", changed)
	}
	for _, c := range before {
		if len(c) > maxChunk {
			t.Errorf("a chunk of %d services", len(c))
		}
	}
}

// The index the files' facts give, kept and read back as the memo
// does, is the one a walk over every file gives, where files repeat a
// service, a field as a label and as a value, an unknown top-level
// field, and write a pattern constraint.
func TestIndexOfFactsIsTheWalk(t *testing.T) {
	root := t.TempDir()
	if err := synthetic.Write(root, 60); err != nil {
		t.Fatal(err)
	}
	extra := map[string]string{
		"a_extra.cue": "package platform\n\nservices: \"db-00001\": {\n\tdescription: \"first\"\n}\nservics: x: 1\n",
		"z_extra.cue": "package platform\n\nservices: \"db-00001\": description: \"again\"\nservices: [string]: {}\nservics: x: 2\nbogus: 1\n",
	}
	for name, data := range extra {
		if err := os.WriteFile(filepath.Join(root, SourceDir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	abs, src, shape := sourceAndShape(t, root)
	files := parsePlain(src)
	want := newPositionIndex(abs, files, shape)
	facts := make([]fileFacts, len(src.Names))
	for i, f := range files[1:] {
		learnt := factsOf(abs, f, shape)
		kept, err := unmarshalFacts(marshalFacts(&learnt)) // as the memo gives them back
		if err != nil || !reflect.DeepEqual(kept, learnt) {
			t.Fatalf("%s: the facts kept are not the facts learnt (%v):\nkept   %+v\nlearnt %+v", src.Names[i], err, kept, learnt)
		}
		facts[i] = kept
	}
	got := indexOfFacts(abs, shape, facts)
	got.files, want.files = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the index of the facts differs from the walk's:\nfacts %+v\nwalk  %+v", got.unknown, want.unknown)
		for key, ps := range want.entities {
			if !reflect.DeepEqual(got.entities[key], ps) {
				t.Errorf("%s: facts %v\nwalk %v", key, got.entities[key], ps)
			}
		}
	}
	if len(want.definedIn["db-00001"]) != 3 || !want.dynamic || want.unknown["servics"].File != "schema/a_extra.cue" {
		t.Errorf("the source does not exercise the merge: %v %v %v", want.definedIn["db-00001"], want.dynamic, want.unknown)
	}
}

// A chunk's entry is found by its services' names and what they
// evaluate from besides their own declarations, which a run without
// those declarations may hold: opened with that alone, it holds no
// service's value. Each value opens only with its own declarations.
func TestChunkEntryHoldsNoValueInTheClear(t *testing.T) {
	const canary = "canary description 4711"
	root := splitSource(t, `package platform

services: "extra-canary": {host: "batch", port: 9126, range: "exporters", description: "`+canary+`"}
`)
	store := memo.At(t.TempDir(), "tool A")
	loadOrFail(t, root, store)
	src, err := readSource(filepath.Join(root, SourceDir))
	if err != nil {
		t.Fatal(err)
	}
	plan := planSplit(src, parsePlain(src))
	kept := plan.kept(src, store)
	for i, names := range kept.chunks {
		j := slices.Index(names, "extra-canary")
		if j < 0 {
			continue
		}
		outer, ok := store.Get(kept.keys[i])
		if !ok {
			t.Fatal("no entry for the chunk")
		}
		if strings.Contains(string(outer), canary) {
			t.Error("the chunk's entry, opened by its key, holds a service's value in the clear")
		}
		other := serviceKey(store, src, [32]byte{}, nil)
		if values := openChunk(slices.Clone(outer), names, slices.Repeat([]memo.Key{other}, len(names))); values[j] != nil {
			t.Error("another key opens the service's value")
		}
		if values := openChunk(outer, names, kept.serviceKeys[i]); !strings.Contains(string(values[j]), canary) {
			t.Fatal("the service's own key does not open its value")
		}
		return
	}
	t.Fatal("no chunk holds the service")
}

// A service added to a chunk, or removed from it, leaves the name that
// ends the chunk: the run finds the chunk's entry, and evaluates the
// added service alone, or none.
func TestAddedOrRemovedServiceEvaluatesAlone(t *testing.T) {
	root := splitSource(t, extraServices)
	store := memo.At(t.TempDir(), "tool A")
	loadOrFail(t, root, store)
	src, err := readSource(filepath.Join(root, SourceDir))
	if err != nil {
		t.Fatal(err)
	}
	names := planSplit(src, parsePlain(src)).names
	// A name inside a chunk: it sorts between two services, not last,
	// and ends no chunk.
	added := ""
	for i := range names[:len(names)-1] {
		if name := names[i] + "-added"; !endsChunk(name) && name < names[i+1] {
			added = name
			break
		}
	}
	if added == "" {
		t.Fatal("no name to add inside a chunk")
	}
	// Written with a blank line and a comment before it, into a file
	// that declares others.
	extra := filepath.Join(root, SourceDir, "extra.cue")
	before, err := os.ReadFile(extra)
	if err != nil {
		t.Fatal(err)
	}
	service := "\n// Added.\nservices: \"" + added + "\": {host: \"batch\", port: 9127, range: \"exporters\"}\n"
	if err := os.WriteFile(extra, append(slices.Clone(before), service...), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := func() []string {
		src, err := readSource(filepath.Join(root, SourceDir))
		if err != nil {
			t.Fatal(err)
		}
		return planSplit(src, parsePlain(src)).kept(src, store).missing
	}
	if got := missing(); !slices.Equal(got, []string{added}) {
		t.Errorf("after adding %s, to evaluate: %v", added, got)
	}
	if got := loadOrFail(t, root, store); !reflect.DeepEqual(got, loadOrFail(t, root, memo.Store{})) {
		t.Error("the model differs from the one evaluated without the memo")
	}
	if err := os.WriteFile(extra, before, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := missing(); len(got) != 0 {
		t.Errorf("after removing %s, to evaluate: %v", added, got)
	}
	if got := loadOrFail(t, root, store); !reflect.DeepEqual(got, loadOrFail(t, root, memo.Store{})) {
		t.Error("the model differs from the one evaluated without the memo")
	}
}

// A change to a file the services do not evaluate from (here the
// hosts') evaluates no service but those that come with the rest of the
// source: every chunk but the first is taken from the memo.
func TestChangeAroundTheServicesEvaluatesTheRest(t *testing.T) {
	root := t.TempDir()
	if err := synthetic.Write(root, 200); err != nil {
		t.Fatal(err)
	}
	store := memo.At(t.TempDir(), "tool A")
	loadOrFail(t, root, store)
	file := filepath.Join(root, SourceDir, "hosts.cue")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(data), `address: "10.0.0.1"`, `address: "10.0.0.9"`, 1)
	if edited == string(data) {
		t.Fatal("the edit changed nothing")
	}
	os.WriteFile(file, []byte(edited), 0o644)
	src, err := readSource(filepath.Join(root, SourceDir))
	if err != nil {
		t.Fatal(err)
	}
	plan := planSplit(src, parsePlain(src))
	if !plan.apart["hosts.cue"] || !plan.apart["ranges.cue"] || plan.apart["platform.cue"] || plan.apart["services_000.cue"] {
		t.Fatalf("apart files %v", plan.apart)
	}
	if kept := plan.kept(src, store); !slices.Equal(kept.missing, kept.chunks[0]) {
		t.Errorf("%d services of %d to evaluate again after a change to the platform", len(kept.missing), len(plan.names))
	}
	got := loadOrFail(t, root, store)
	if got.Host("core").Address != "10.0.0.9" || !reflect.DeepEqual(got, loadOrFail(t, root, memo.Store{})) {
		t.Error("the model differs from the one evaluated without the memo")
	}
}

// A file is apart from the services only when it declares nothing but
// regular fields the definitions do not read, and only while no file
// refers to a top-level declaration.
func TestApartFiles(t *testing.T) {
	parse := func(name, text string) *ast.File {
		f, err := parser.ParseFile(name, "package platform\n"+text)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	services := parse("services.cue", `services: a: {host: "h", port: 1}`)
	for _, tc := range []struct {
		text  string
		apart bool
	}{
		{`hosts: h: {address: "x"}`, true},
		{`platform: name: "p"` + "\n" + `let x = 1` + "\n" + `ranges: r: {from: 1, to: 2}`, true},
		{`#Service: extra?: int`, false},   // constrains every service
		{`_shared: "x"`, false},            // a hidden field a service may read
		{`string: "x"`, false},             // the definitions read string
		{`services: [string]: {}`, false},  // a pattern every service meets
		{`hosts: [Name=string]: {}`, true}, // a pattern of hosts only
		{`"quoted#": 1` + "\n" + `x: 1`, true},
	} {
		f := parse("rest.cue", tc.text)
		got := apartFiles([]*ast.File{services, f}) // nil: none apart
		if got["rest.cue"] != tc.apart {
			t.Errorf("%q: apart files %v, want rest.cue apart %v", tc.text, got, tc.apart)
		}
	}
	// A reference to a top-level declaration may read anything.
	refers := parse("services.cue", `_h: "h"`+"\n"+`services: a: {host: _h, port: 1}`)
	if got := apartFiles([]*ast.File{refers, parse("rest.cue", `hosts: h: {}`)}); got != nil {
		t.Errorf("apart files %v beside a reference to a top-level declaration", got)
	}
}

// platformApart moves the services written in the platform's file of a
// synthetic source to a file of their own, as `import` writes sources,
// so that the platform's file holds the platform alone.
func platformApart(t *testing.T, root string) {
	t.Helper()
	file := filepath.Join(root, SourceDir, "platform.cue")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(data), "\nservices:")
	if i < 0 {
		t.Fatal("the platform's file declares no services")
	}
	os.WriteFile(file, data[:i+1], 0o644)
	os.WriteFile(filepath.Join(root, SourceDir, "services_platform.cue"), append([]byte("package platform\n"), data[i:]...), 0o644)
}

// Kept facts that are damaged are no facts: every shorter entry fails to
// decode, and no change to any byte makes the decoder panic or
// allocate beyond the entry's length.
func TestDamagedFactsDoNotDecode(t *testing.T) {
	root := t.TempDir()
	if err := synthetic.Write(root, 30); err != nil {
		t.Fatal(err)
	}
	abs, src, shape := sourceAndShape(t, root)
	var learnt fileFacts
	for _, f := range parsePlain(src)[1:] { // a file of services
		if learnt = factsOf(abs, f, shape); len(learnt.Decls) > 0 {
			break
		}
	}
	if len(learnt.Decls) == 0 || len(learnt.Index.Entities) == 0 {
		t.Fatalf("the file has no facts to damage: %+v", learnt)
	}
	entry := marshalFacts(&learnt)
	for n := range len(entry) {
		if _, err := unmarshalFacts(entry[:n]); err == nil {
			t.Fatalf("the first %d of %d bytes decode", n, len(entry))
		}
	}
	if _, err := unmarshalFacts(append(entry, 0)); err == nil {
		t.Error("an entry with a byte after its end decodes")
	}
	for i := range entry {
		for _, b := range []byte{0, 1, 0x7f, 0x80, 0xff, entry[i] ^ 0x40} {
			damaged := slices.Clone(entry)
			damaged[i] = b
			unmarshalFacts(damaged) // must return, whatever it returns
		}
	}
}

// sourceAndShape reads the source of root, with its absolute path and
// the source's shape.
func sourceAndShape(t testing.TB, root string) (string, *Source, *Shape) {
	t.Helper()
	abs, _ := filepath.Abs(root)
	src, err := readSource(filepath.Join(abs, SourceDir))
	if err != nil {
		t.Fatal(err)
	}
	shape, err := SourceShape()
	if err != nil {
		t.Fatal(err)
	}
	return abs, src, shape
}
