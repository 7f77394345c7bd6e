package handwritten

import (
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Doc is a Markdown document reduced to what a port plan says: its
// sections (with their prose and list items) and its tables.
type Doc struct {
	Path string
	// Sections[0] is the text before the first heading (Level 0, no
	// title); every heading, including one inside a block quote, starts
	// the next section.
	Sections []Section
	Tables   []Table // in document order
}

// Section is a heading and what follows it up to the next heading.
type Section struct {
	Title string // plain text: emphasis and code marks removed
	Level int    // 1-6; 0 for the preamble
	Pos   Pos
	// Parent is the index of the nearest earlier section of a lower
	// level, -1 for the preamble and top-level headings.
	Parent int
	// InQuote is true for a heading written inside a block quote (a
	// note such as "> ### Real ports today").
	InQuote bool
	Text    string     // its paragraphs, in plain text, one per line
	Items   []ListItem // its list items, nested ones included
}

// ListItem is the plain text of one list item (without nested lists).
type ListItem struct {
	Text string
	Pos  Pos
	// Lead is the paragraph that introduces the item's list, such as
	// "Windows GPU server (192.168.178.11):", or "" when the list follows
	// a heading directly.
	Lead string
}

// Table is one GFM table.
type Table struct {
	Pos     Pos
	Section int      // index into Doc.Sections of the section holding it
	Columns []string // header cells, plain text
	Rows    []TableRow
}

// TableRow is one body row of a table. Cells is padded or cut to the
// number of columns, as GFM renders the row.
type TableRow struct {
	Pos   Pos
	Cells []string // plain text: "*(reserved)*" reads "(reserved)"
}

// Column returns the index of the first column whose header, compared
// case-insensitively, is one of names; -1 when none is.
func (t *Table) Column(names ...string) int {
	for i, c := range t.Columns {
		for _, n := range names {
			if strings.EqualFold(strings.TrimSpace(c), n) {
				return i
			}
		}
	}
	return -1
}

// Trail lists the titles from the top-level section down to section i,
// e.g. ["Port Schema", "3000-3009: Core Platform Services"].
func (d *Doc) Trail(i int) []string {
	var out []string
	for steps := 0; i > 0 && i < len(d.Sections) && steps < len(d.Sections); steps++ {
		out = append(out, d.Sections[i].Title)
		i = d.Sections[i].Parent
	}
	for l, r := 0, len(out)-1; l < r; l, r = l+1, r-1 {
		out[l], out[r] = out[r], out[l]
	}
	return out
}

// ReadDoc reads and parses the Markdown file at path.
func ReadDoc(path string) (*Doc, error) {
	data, err := readFile("doc", path)
	if err != nil {
		return nil, err
	}
	return ParseDoc(path, data), nil
}

// ParseDoc parses Markdown held in data; name is used in positions.
// Markdown has no syntax errors, so neither does ParseDoc: any bytes give
// a Doc.
func ParseDoc(name string, data []byte) *Doc {
	md := goldmark.New(goldmark.WithExtensions(east.Table))
	root := md.Parser().Parse(text.NewReader(data))
	r := &docReader{src: data, lines: lineStarts(data), doc: &Doc{Path: name}}
	r.doc.Sections = []Section{{Parent: -1}}
	r.block(root, false)
	return r.doc
}

// docReader walks the goldmark tree into a Doc.
type docReader struct {
	src   []byte
	lines []int
	doc   *Doc
	lead  string // the last paragraph read, the lead-in of a list after it
}

func (r *docReader) current() *Section { return &r.doc.Sections[len(r.doc.Sections)-1] }

func (r *docReader) block(n ast.Node, inQuote bool) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Heading:
			r.heading(c, inQuote)
		case *extast.Table:
			r.table(c)
		case *ast.ListItem:
			r.listItem(c, inQuote)
		case *ast.Paragraph, *ast.TextBlock:
			cur := r.current()
			if cur.Text != "" {
				cur.Text += "\n"
			}
			r.lead = r.plain(c)
			cur.Text += r.lead
		case *ast.Blockquote:
			r.block(c, true)
		default:
			r.block(c, inQuote)
		}
	}
}

func (r *docReader) heading(h *ast.Heading, inQuote bool) {
	parent := len(r.doc.Sections) - 1
	for parent > 0 && r.doc.Sections[parent].Level >= h.Level {
		parent = r.doc.Sections[parent].Parent
	}
	if parent == 0 {
		parent = -1
	}
	r.lead = ""
	r.doc.Sections = append(r.doc.Sections, Section{
		Title: r.plain(h), Level: h.Level, Pos: r.pos(h), Parent: parent, InQuote: inQuote,
	})
}

func (r *docReader) listItem(li *ast.ListItem, inQuote bool) {
	var parts []string
	var nested []ast.Node
	for c := li.FirstChild(); c != nil; c = c.NextSibling() {
		if _, isList := c.(*ast.List); isList {
			nested = append(nested, c)
			continue
		}
		parts = append(parts, r.plain(c))
	}
	cur := r.current()
	lead := r.lead
	cur.Items = append(cur.Items, ListItem{Text: strings.Join(parts, " "), Pos: r.pos(li), Lead: lead})
	for _, l := range nested {
		r.block(l, inQuote)
	}
	r.lead = lead
}

func (r *docReader) table(t *extast.Table) {
	tbl := Table{Pos: r.pos(t), Section: len(r.doc.Sections) - 1}
	for c := t.FirstChild(); c != nil; c = c.NextSibling() {
		var cells []string
		for cell := c.FirstChild(); cell != nil; cell = cell.NextSibling() {
			cells = append(cells, strings.TrimSpace(r.plain(cell)))
		}
		if _, isHeader := c.(*extast.TableHeader); isHeader {
			tbl.Columns = cells
			continue
		}
		tbl.Rows = append(tbl.Rows, TableRow{Pos: r.pos(c), Cells: cells})
	}
	for i := range tbl.Rows {
		row := &tbl.Rows[i]
		for len(row.Cells) < len(tbl.Columns) {
			row.Cells = append(row.Cells, "")
		}
		row.Cells = row.Cells[:len(tbl.Columns)]
	}
	r.doc.Tables = append(r.doc.Tables, tbl)
}

// plain renders the inline text under n: emphasis and code marks dropped,
// escapes and entities resolved, line breaks as spaces.
func (r *docReader) plain(n ast.Node) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			v := c.Value(r.src)
			if !c.IsRaw() {
				v = util.ResolveEntityNames(util.UnescapePunctuations(v))
			}
			b.Write(v)
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.URL(r.src))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// pos finds the line of a node: its own offset, else its first line
// segment, else the first descendant that has one.
func (r *docReader) pos(n ast.Node) Pos {
	off := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if p := c.Pos(); p >= 0 {
			off = p
		} else if t, ok := c.(*ast.Text); ok {
			off = t.Segment.Start
		} else if c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			off = c.Lines().At(0).Start
		}
		if off >= 0 {
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off < 0 {
		return Pos{File: r.doc.Path}
	}
	return Pos{File: r.doc.Path, Line: sort.SearchInts(r.lines, off+1)}
}

// lineStarts lists the byte offset at which each line begins.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}
