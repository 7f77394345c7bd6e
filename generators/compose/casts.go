package compose

import (
	"strings"

	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	composetree "github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
)

// castTable is the loader's own table of the values interpolation turns
// into numbers or booleans (services.*.read_only, ...ports.[].target),
// with its path patterns split once into a tree. The loader matches
// every string of a document against every pattern of the table,
// splitting both at each comparison (tree.Path.Matches); walking the
// tree beside the document finds the same patterns with a map lookup
// per key.
type castTable struct {
	root *castNode
}

// castNode is where a prefix of one or more patterns leads.
type castNode struct {
	next map[string]*castNode // by a part the pattern names
	any  *castNode            // by tree.PathMatchAll, which matches every part
	cast interp.Cast          // of the pattern that ends here, if one does
}

// loaderCasts is the cast table the loader interpolates with.
func loaderCasts() *castTable {
	return newCastTable(loader.ToOptions(&types.ConfigDetails{}, nil).Interpolate.TypeCastMapping)
}

// newCastTable splits the patterns of a cast table into a tree, as
// tree.Path.Matches splits them.
func newCastTable(casts map[composetree.Path]interp.Cast) *castTable {
	t := &castTable{root: &castNode{}}
	for pattern, cast := range casts {
		n := t.root
		for _, part := range pattern.Parts() {
			n = n.child(part)
		}
		n.cast = cast
	}
	return t
}

func (n *castNode) child(part string) *castNode {
	if part == composetree.PathMatchAll {
		if n.any == nil {
			n.any = &castNode{}
		}
		return n.any
	}
	if n.next == nil {
		n.next = map[string]*castNode{}
	}
	c := n.next[part]
	if c == nil {
		c = &castNode{}
		n.next[part] = c
	}
	return c
}

// castPath is where a path of the document stands in the table: every
// node a pattern matching the path so far leads to. It follows the path
// as interpolation builds it (tree.NewPath, tree.Path.Next): a key taken
// on the empty path (a top-level key, or a key under one named "") is
// taken whole, so its dots split it into parts; any other key is one
// part, its dots replaced.
type castPath struct {
	nodes []*castNode
	empty bool // the path interpolation builds is ""
}

// keyDot is what tree.Path.Next writes for a dot inside a key, so that
// the dots of a path separate its parts only.
const keyDot = "👻"

// start is the empty path, before any key.
func (t *castTable) start() castPath {
	return castPath{empty: true}
}

// next is the path to key (tree.PathMatchList for a list's items) under p.
func (t *castTable) next(p castPath, key string) castPath {
	if p.empty {
		nodes := []*castNode{t.root}
		for _, part := range strings.Split(key, ".") {
			nodes = step(nodes, part)
		}
		return castPath{nodes: nodes, empty: key == ""}
	}
	if len(p.nodes) == 0 {
		return p
	}
	return castPath{nodes: step(p.nodes, strings.ReplaceAll(key, ".", keyDot))}
}

// step follows one part of a path from every node.
func step(nodes []*castNode, part string) []*castNode {
	var out []*castNode
	for _, n := range nodes {
		if c := n.next[part]; c != nil {
			out = append(out, c)
		}
		if n.any != nil {
			out = append(out, n.any)
		}
	}
	return out
}

// cast is the cast of the pattern that matches the path, if one does.
// ambiguous reports that more than one does: the loader then takes
// whichever its map iteration meets first, which nothing can repeat.
func (p castPath) cast() (cast interp.Cast, found, ambiguous bool) {
	for _, n := range p.nodes {
		if n.cast == nil {
			continue
		}
		if found {
			return nil, true, true
		}
		cast, found = n.cast, true
	}
	return cast, found, false
}

// casts is the cast of every pattern that matches the path: none, one,
// or, where patterns overlap, each the loader might apply.
func (p castPath) casts() []interp.Cast {
	var out []interp.Cast
	for _, n := range p.nodes {
		if n.cast != nil {
			out = append(out, n.cast)
		}
	}
	return out
}
