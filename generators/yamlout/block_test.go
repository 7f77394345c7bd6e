package yamlout

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"go.yaml.in/yaml/v4"

	"portschema/generators/gentest"
)

// probe has a field for every method of Block, with the tags that make
// yaml.v4 write each as that method does.
type probe struct {
	Name    string              `yaml:"name"`
	Opt     string              `yaml:"opt,omitempty"`
	Port    int                 `yaml:"port"`
	List    []string            `yaml:"list"`
	Flow    []string            `yaml:"flow,flow"`
	Labels  map[string]string   `yaml:"labels,omitempty"`
	Params  map[string][]string `yaml:"params"`
	Subs    []probeSub          `yaml:"subs,omitempty"`
	Comment string              `yaml:"-"`
}

type probeSub struct {
	Targets []string          `yaml:"targets"`
	Labels  map[string]string `yaml:"labels"`
}

// MarshalYAML writes the probe with Comment as its head comment.
func (p probe) MarshalYAML() (any, error) {
	type plain probe
	var n yaml.Node
	if err := n.Encode(plain(p)); err != nil {
		return nil, err
	}
	n.HeadComment = p.Comment
	return &n, nil
}

func (p probe) WriteYAML(w *Block, col int) {
	w.Comment(col, p.Comment)
	w.Item(col)
	col += 2
	w.String(col, "name", p.Name)
	w.OmitEmpty(col, "opt", p.Opt)
	w.Int(col, "port", p.Port)
	w.Strings(col, "list", p.List)
	w.FlowStrings(col, "flow", p.Flow)
	if len(p.Labels) > 0 {
		w.StringMap(col, "labels", p.Labels)
	}
	w.StringsMap(col, "params", p.Params)
	if len(p.Subs) > 0 {
		w.Key(col, "subs")
		for _, s := range p.Subs {
			w.Item(col + 2)
			w.Strings(col+4, "targets", s.Targets)
			w.StringMap(col+4, "labels", s.Labels)
		}
	}
}

// stringGen draws the strings of a random item: str for values, name for
// entries of flow sequences, key for keys.
type stringGen struct{ str, name, key func(*rand.Rand) string }

var (
	ordinary = stringGen{gentest.OrdinaryYAMLString, gentest.OrdinaryYAMLName, gentest.OrdinaryYAMLKey}
	anything = stringGen{gentest.YAMLString, gentest.YAMLString, gentest.YAMLString}
	// mixed has a few random strings among ordinary ones, so that
	// items with some of them are also written directly.
	mixed = stringGen{gentest.Sometimes(gentest.OrdinaryYAMLString), gentest.Sometimes(gentest.OrdinaryYAMLName),
		gentest.Sometimes(gentest.OrdinaryYAMLKey)}
	sortKeys = stringGen{gentest.OrdinaryYAMLString, gentest.OrdinaryYAMLName, sortKey}
)

// sortKey returns a key made of pieces yaml.v4 orders differently from
// Go's string order (digits compared as numbers, letters after other
// characters), so that maps of them test the order of keys.
func sortKey(r *rand.Rand) string {
	pieces := []string{"a", "b", "A", "_", "1", "9", "10"}
	return pieces[r.IntN(len(pieces))] + pieces[r.IntN(len(pieces))]
}

// randomProbe fills every field of a probe with gen's strings, and
// leaves some empty at times.
func randomProbe(r *rand.Rand, gen stringGen) probe {
	str, key := gen.str, gen.key
	list := func(str func(*rand.Rand) string) []string {
		var out []string
		for range r.IntN(3) {
			out = append(out, str(r))
		}
		return out
	}
	strs := func() []string { return list(str) }
	labels := func() map[string]string {
		m := map[string]string{}
		for range r.IntN(4) {
			m[key(r)] = str(r)
		}
		return m
	}
	p := probe{Name: str(r), Port: r.IntN(70000) - 10, List: strs(), Flow: list(gen.name), Labels: labels(), Params: map[string][]string{}}
	if r.IntN(2) == 0 {
		p.Opt = str(r)
	}
	if r.IntN(2) == 0 {
		p.Comment = str(r)
	}
	for range r.IntN(3) {
		p.Params[key(r)] = strs()
	}
	for range r.IntN(3) {
		p.Subs = append(p.Subs, probeSub{Targets: strs(), Labels: labels()})
	}
	return p
}

// yamlV4Item is what MarshalList wrote for an item before Block: the
// item as an entry of a list yaml.v4 encodes, at column 2, or the error
// it fails with (yaml.v4 fails on a few items of awkward strings).
func yamlV4Item(item any) ([]byte, error) {
	var buf bytes.Buffer
	err := encodePiece(&buf, "items", []any{item})
	return buf.Bytes(), err
}

// checkItem checks that where a Block writes item, it writes yaml.v4's
// bytes, and that it writes nothing where it gives up; it reports
// whether the Block wrote the item.
func checkItem(t *testing.T, item ListItem) bool {
	t.Helper()
	want, err := yamlV4Item(item)
	got, ok := AppendItem([]byte("x"), item, 2)
	switch {
	case !ok && string(got) != "x":
		t.Fatalf("%#v: giving up left %q behind", item, got)
	case ok && err != nil:
		t.Fatalf("%#v\nwritten as\n%s\nwhere yaml.v4 fails: %v", item, got[1:], err)
	case ok && !bytes.Equal(got[1:], want):
		t.Fatalf("%#v\nwritten as\n%s\nyaml.v4 writes\n%s", item, got[1:], want)
	}
	return ok
}

// Wherever a Block writes an item, it writes yaml.v4's bytes: over many
// items of random strings, ordinary and tricky (indicators, blanks,
// numbers, booleans, nulls, timestamps, line breaks, Unicode, keys
// yaml.v4 sorts its own way). An item of ordinary strings is always
// written directly, so a Block that always gave up would fail too.
func TestBlockWritesWhatYAMLV4Writes(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	direct, fallback := 0, 0 // of the items with random strings
	for range 4000 {
		if p := randomProbe(r, ordinary); !checkItem(t, p) {
			t.Fatalf("an item of ordinary strings is left to yaml.v4: %#v", p)
		}
		checkItem(t, randomProbe(r, anything))
		checkItem(t, randomProbe(r, sortKeys))
		if checkItem(t, randomProbe(r, mixed)) {
			direct++
		} else {
			fallback++
		}
	}
	// Both paths are taken for items with random strings in them, so
	// that the comparison is not only over ordinary strings.
	if direct < 1000 || fallback < 1000 {
		t.Errorf("of the items with random strings, %d are written directly, %d by yaml.v4", direct, fallback)
	}
}

// One string in every place a Block writes one: a value, an entry of a
// block and of a flow sequence, a key and a comment; where the Block
// writes it, the bytes are yaml.v4's.
func FuzzBlockString(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		f.Add(gentest.YAMLString(r))
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range []probe{
			{Name: s}, {Name: "name", Opt: s}, {Name: "name", List: []string{s, "x"}}, {Name: "name", Flow: []string{"x", s}},
			{Name: "name", Labels: map[string]string{s: "v", "k": "v"}}, {Name: "name", Params: map[string][]string{s: nil}},
			{Name: "name", Comment: s},
		} {
			checkItem(t, p)
		}
	})
}

// A list of items some of which a Block writes and some yaml.v4, in
// runs longer and shorter than a batch, has the bytes of one yaml.v4
// call on the whole document.
func TestMarshalListMixesBothPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	type doc struct {
		Name  string  `yaml:"name"`
		Items []probe `yaml:"items"`
	}
	for _, n := range []int{1, 2, pieceSize + 1, 500} {
		d := doc{Name: "demo"}
		for i := range n {
			// Runs of either kind, some longer than a batch.
			if (i/(pieceSize+3))%2 == 0 && i%5 != 0 {
				d.Items = append(d.Items, randomProbe(r, ordinary))
			} else {
				d.Items = append(d.Items, randomProbe(r, anything))
			}
		}
		got, err := MarshalList(struct {
			Name string `yaml:"name"`
		}{d.Name}, "items", d.Items)
		if err != nil {
			t.Fatal(err)
		}
		want, err := Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%d items: %s", n, firstDifference(got, want))
		}
	}
}
