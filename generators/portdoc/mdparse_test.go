package portdoc

import (
	"html"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// This file reads the generated document back the way GitHub does, with
// goldmark's GFM table extension, into tables of plain text. Text is
// taken from the Text nodes' values (Text.Value), with backslash escapes
// and entity references resolved as a renderer shows them, and a `<br>`
// read as a line break. Any other markup inside a cell or a heading is
// reported, since escaped text must not produce any.

// mdDoc is a parsed document.
type mdDoc struct {
	Tables   []mdTable
	Headings []string
	// Fences maps a fenced code block's info string to its contents.
	Fences map[string][]string
	// Lists holds the items of each list, in order.
	Lists [][]string
	// Paragraphs holds the text of each top-level paragraph.
	Paragraphs []string
	// Markup lists markup found where only text was expected, and raw
	// HTML other than <br> and the leading header comment anywhere.
	Markup []string
}

// mdTable is a table with the heading it follows.
type mdTable struct {
	Heading string
	Header  []string
	Rows    [][]string
}

// column returns the index of a header name, or -1.
func (tb mdTable) column(name string) int {
	for i, h := range tb.Header {
		if h == name {
			return i
		}
	}
	return -1
}

// parseMarkdown parses src with the GFM table extension.
func parseMarkdown(t testing.TB, src []byte) *mdDoc {
	t.Helper()
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))
	root := md.Parser().Parse(text.NewReader(src))
	d := &mdDoc{Fences: map[string][]string{}}
	heading := ""
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Heading:
			heading = d.inlineText(n, src)
			d.Headings = append(d.Headings, heading)
		case *east.Table:
			d.Tables = append(d.Tables, d.table(n, heading, src))
		case *ast.FencedCodeBlock:
			var lines []string
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				lines = append(lines, strings.TrimSuffix(string(seg.Value(src)), "\n"))
			}
			d.Fences[string(n.Language(src))] = lines
		case *ast.List:
			var items []string
			for it := n.FirstChild(); it != nil; it = it.NextSibling() {
				var parts []string
				for c := it.FirstChild(); c != nil; c = c.NextSibling() {
					if c.Kind() == ast.KindParagraph || c.Kind() == ast.KindTextBlock {
						parts = append(parts, d.inlineText(c, src))
					} else {
						d.Markup = append(d.Markup, "list item holds a "+c.Kind().String())
					}
				}
				items = append(items, strings.Join(parts, "\n"))
			}
			d.Lists = append(d.Lists, items)
		case *ast.Paragraph:
			d.Paragraphs = append(d.Paragraphs, d.paragraphText(n, src))
		case *ast.HTMLBlock:
			if n != root.FirstChild() || n.HTMLBlockType != ast.HTMLBlockType2 {
				d.Markup = append(d.Markup, "HTML block")
			}
		}
	}
	return d
}

func (d *mdDoc) table(tb *east.Table, heading string, src []byte) mdTable {
	out := mdTable{Heading: heading}
	for r := tb.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			if _, ok := c.(*east.TableCell); ok {
				cells = append(cells, d.inlineText(c, src))
			}
		}
		switch r.(type) {
		case *east.TableHeader:
			out.Header = cells
		case *east.TableRow:
			out.Rows = append(out.Rows, cells)
		}
	}
	return out
}

// paragraphText is a paragraph's text, where bold labels ("**Free:**")
// are expected: strong emphasis is read as its text.
func (d *mdDoc) paragraphText(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if em, ok := c.(*ast.Emphasis); ok && em.Level == 2 {
			b.WriteString(d.inlineText(em, src))
			continue
		}
		b.WriteString(d.inlineNode(c, src))
	}
	return b.String()
}

// inlineText is the text of a block's inline children.
func (d *mdDoc) inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	var pending []byte // consecutive escaped text, decoded together
	flush := func() {
		b.WriteString(decodeText(string(pending)))
		pending = pending[:0]
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok && !t.IsRaw() {
			pending = append(pending, t.Value(src)...)
			if t.SoftLineBreak() || t.HardLineBreak() {
				pending = append(pending, '\n')
			}
			continue
		}
		flush()
		b.WriteString(d.inlineNode(c, src))
	}
	flush()
	return b.String()
}

// inlineNode reads one inline node that is not plain escaped text.
func (d *mdDoc) inlineNode(c ast.Node, src []byte) string {
	switch c := c.(type) {
	case *ast.Text:
		if c.IsRaw() {
			return string(c.Value(src))
		}
		return decodeText(string(c.Value(src)))
	case *ast.String:
		return string(c.Value)
	case *ast.RawHTML:
		var raw strings.Builder
		for i := 0; i < c.Segments.Len(); i++ {
			seg := c.Segments.At(i)
			raw.Write(seg.Value(src))
		}
		if raw.String() == "<br>" {
			return "\n"
		}
		d.Markup = append(d.Markup, "raw HTML "+raw.String())
		return raw.String()
	case *ast.CodeSpan:
		var code strings.Builder
		for t := c.FirstChild(); t != nil; t = t.NextSibling() {
			if tt, ok := t.(*ast.Text); ok {
				code.Write(tt.Value(src))
			} else if s, ok := t.(*ast.String); ok {
				code.Write(s.Value)
			}
		}
		return code.String()
	}
	d.Markup = append(d.Markup, c.Kind().String())
	return d.inlineText(c, src)
}

// decodeText resolves backslash escapes and entity references in one
// pass, as a renderer does: `\&amp;` is the text "&amp;".
func decodeText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			b.WriteByte(s[i+1])
			i++
		case c == '&':
			if end := strings.IndexByte(s[i:], ';'); end > 1 && end < 40 {
				ref := s[i : i+end+1]
				if u := html.UnescapeString(ref); u != ref {
					b.WriteString(u)
					i += end
					continue
				}
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}
