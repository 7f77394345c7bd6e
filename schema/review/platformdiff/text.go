package platformdiff

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Text renders the diff for a terminal: the headline, then a section per
// kind of change, each item with the generated files that show it. path
// turns a path relative to the project root into the one to print.
func (d *Diff) Text(path func(string) string) []byte {
	var b bytes.Buffer
	b.WriteString(d.Headline() + "\n")
	if d.Base != "" {
		fmt.Fprintf(&b, "compared with %s\n", d.Base)
	}
	files := func(fs []string) string {
		if len(fs) == 0 {
			return ""
		}
		out := make([]string, len(fs))
		for i, f := range fs {
			out[i] = path(f)
		}
		return "in " + strings.Join(out, ", ")
	}
	block := func(title string, rows [][]string) {
		if len(rows) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s\n", title)
		writeRows(&b, rows, true)
	}
	s := d.Services
	for _, side := range []struct {
		title    string
		services []Service
		stacks   [][]string
	}{{"Services removed", s.Removed, s.RemovedStacks}, {"Services added", s.Added, s.AddedStacks}} {
		var rows [][]string
		for _, svc := range side.services {
			rows = append(rows, []string{svc.Name, fmt.Sprintf("%s:%d", svc.Host, svc.Port), "range " + svc.Range, svc.Summary, files(svc.Files)})
		}
		block(side.title+stackNote(side.stacks), rows)
	}
	var rows [][]string
	for _, c := range s.Changed {
		rows = append(rows, []string{c.Name, c.Detail, files(c.Files)})
	}
	block("Services changed", rows)
	for _, k := range d.kinds() {
		for _, part := range []struct {
			verb    string
			changes []Change
		}{{"removed", k.changes.Removed}, {"added", k.changes.Added}, {"changed", k.changes.Changed}} {
			title := capitalize(k.many) + " " + part.verb
			if grouped(part.changes) {
				groupBlock(&b, title, part.changes, files)
				continue
			}
			var rows [][]string
			for _, c := range part.changes {
				rows = append(rows, []string{c.Name, c.Detail, files(c.Files)})
			}
			block(title, rows)
		}
	}
	if len(d.Dangling) > 0 {
		fmt.Fprintf(&b, "\nDangling references\n")
		for _, r := range d.Dangling {
			pos := r.Pos
			pos.File = path(pos.File)
			fmt.Fprintf(&b, "  %s: %s\n", pos, r.Message)
		}
	}
	rows = nil
	for _, f := range d.Files {
		causes := ""
		if len(f.Causes) > 0 {
			causes = "shows " + strings.Join(f.Causes, ", ")
		}
		rows = append(rows, []string{path(f.Path), f.Kind, fmt.Sprintf("+%d -%d", f.Added, f.Removed), causes})
	}
	if len(rows) > 0 {
		b.WriteString("\nGenerated files\n")
		writeRows(&b, rows, false)
	}
	return trimLines(b.Bytes())
}

// writeRows writes rows whose cells but the last are aligned in
// columns; the last cell (the files that show an item) goes on a line
// of its own below when below is set, else at the end of the row.
func writeRows(b *bytes.Buffer, rows [][]string, below bool) {
	var widths []int
	for _, r := range rows {
		for i, cell := range r[:len(r)-1] {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	for _, r := range rows {
		var cells []string
		for i, cell := range r[:len(r)-1] {
			cells = append(cells, cell+strings.Repeat(" ", widths[i]-len([]rune(cell))))
		}
		last := r[len(r)-1]
		if !below {
			cells = append(cells, last)
		}
		fmt.Fprintf(b, "  %s\n", strings.TrimRight(strings.Join(cells, "  "), " "))
		if below && last != "" {
			fmt.Fprintf(b, "      %s\n", last)
		}
	}
}

// grouped reports whether items belong to services or hosts, and are
// shown by what they belong to.
func grouped(cs []Change) bool { return len(cs) > 0 && cs[0].Of != "" }

// groupBlock writes items by what they belong to: a line for the owner,
// with the count and the files, then the names, wrapped.
func groupBlock(b *bytes.Buffer, title string, cs []Change, files func([]string) string) {
	fmt.Fprintf(b, "\n%s\n", title)
	for _, g := range groups(cs) {
		fmt.Fprintf(b, "  %s (%d)\n", g.of, len(g.items))
		for _, l := range wrap(g.names(plain, plain), 96) {
			fmt.Fprintf(b, "    %s\n", l)
		}
		if fs := files(g.files); fs != "" {
			fmt.Fprintf(b, "      %s\n", fs)
		}
	}
}

// group is the items of one owner.
type group struct {
	of    string
	items []Change
	files []string
}

// groups gathers items by owner, in order.
func groups(cs []Change) []group {
	var out []group
	for _, c := range cs {
		if len(out) == 0 || out[len(out)-1].of != c.Of {
			out = append(out, group{of: c.Of})
		}
		g := &out[len(out)-1]
		g.items = append(g.items, c)
		for _, f := range c.Files {
			g.files = appendNew(g.files, f)
		}
	}
	for i := range out {
		sort.Strings(out[i].files)
	}
	return out
}

// names are the group's item names, each with its detail in
// parentheses unless the detail names readers (secrets), rendered by
// name and detail.
func (g group) names(name, detail func(string) string) []string {
	out := make([]string, len(g.items))
	for i, c := range g.items {
		out[i] = name(c.Name)
		if c.Detail != "" && !strings.HasPrefix(c.Detail, "read by ") {
			out[i] += " (" + detail(c.Detail) + ")"
		}
	}
	return out
}

// wrap joins names with ", " into lines of at most width bytes (a
// longer name gets a line of its own).
func wrap(names []string, width int) []string {
	var lines []string
	cur := ""
	for i, n := range names {
		if i < len(names)-1 {
			n += ","
		}
		switch {
		case cur == "":
			cur = n
		case len(cur)+1+len(n) > width:
			lines = append(lines, cur)
			cur = n
		default:
			cur += " " + n
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// stackNote lists the stacks under a heading: " (one stack: a, b, c)".
func stackNote(groups [][]string) string {
	var stacks []string
	for _, g := range groups {
		if len(g) > 1 {
			stacks = append(stacks, strings.Join(g, ", "))
		}
	}
	switch len(stacks) {
	case 0:
		return ""
	case 1:
		return " (one stack: " + stacks[0] + ")"
	}
	return " (stacks: " + strings.Join(stacks, "; ") + ")"
}

func plain(s string) string { return s }

func capitalize(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// trimLines drops the spaces that pad an empty last cell.
func trimLines(text []byte) []byte {
	lines := bytes.Split(text, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, " ")
	}
	return bytes.Join(lines, []byte("\n"))
}
