package platformdiff

import (
	"bytes"
	"fmt"
	"strings"

	"portschema/generators/portdoc"
)

// Markdown renders the diff for a pull request comment or a GitHub step
// summary: the headline, then a table per kind of change, each item
// with the generated files that show it. path turns a path relative to
// the project root into the one to print.
func (d *Diff) Markdown(path func(string) string) []byte {
	var b bytes.Buffer
	b.WriteString("### Platform change\n\n")
	fmt.Fprintf(&b, "**%s**\n", portdoc.Line(d.Headline()))
	if d.Base != "" {
		fmt.Fprintf(&b, "\nCompared with %s.\n", portdoc.Line(d.Base))
	}
	files := func(fs []string) string {
		out := make([]string, len(fs))
		for i, f := range fs {
			out[i] = code(path(f))
		}
		return strings.Join(out, ", ")
	}
	s := d.Services
	for _, side := range []struct {
		title    string
		services []Service
		stacks   [][]string
	}{{"Services removed", s.Removed, s.RemovedStacks}, {"Services added", s.Added, s.AddedStacks}} {
		if len(side.services) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n#### %s\n\n", side.title)
		for _, g := range side.stacks {
			if len(g) > 1 {
				names := make([]string, len(g))
				for i, n := range g {
					names[i] = code(n)
				}
				fmt.Fprintf(&b, "One stack: %s.\n\n", strings.Join(names, ", "))
			}
		}
		rows := [][]string{{"service", "host:port", "range", "about", "generated files"}}
		for _, svc := range side.services {
			rows = append(rows, []string{code(svc.Name), portdoc.Cell(fmt.Sprintf("%s:%d", svc.Host, svc.Port)),
				portdoc.Cell(svc.Range), portdoc.Cell(svc.Summary), files(svc.Files)})
		}
		table(&b, rows)
	}
	if len(s.Changed) > 0 {
		b.WriteString("\n#### Services changed\n\n")
		rows := [][]string{{"service", "change", "generated files"}}
		for _, c := range s.Changed {
			rows = append(rows, []string{code(c.Name), portdoc.Cell(c.Detail), files(c.Files)})
		}
		table(&b, rows)
	}
	for _, k := range d.kinds() {
		for _, part := range []struct {
			verb    string
			changes []Change
		}{{"removed", k.changes.Removed}, {"added", k.changes.Added}, {"changed", k.changes.Changed}} {
			if len(part.changes) == 0 {
				continue
			}
			fmt.Fprintf(&b, "\n#### %s %s\n\n", capitalize(k.many), part.verb)
			if grouped(part.changes) {
				rows := [][]string{{k.owner, k.many, "generated files"}}
				for _, g := range groups(part.changes) {
					rows = append(rows, []string{code(g.of), strings.Join(g.names(code, portdoc.Cell), ", "), files(g.files)})
				}
				table(&b, rows)
				continue
			}
			rows := [][]string{{k.one, k.detail, "generated files"}}
			detail := portdoc.Cell
			if k.technical {
				detail = code
			}
			for _, c := range part.changes {
				rows = append(rows, []string{code(c.Name), detail(c.Detail), files(c.Files)})
			}
			table(&b, rows)
		}
	}
	if len(d.Dangling) > 0 {
		b.WriteString("\n#### Dangling references\n\n")
		for _, r := range d.Dangling {
			pos := r.Pos
			pos.File = path(pos.File)
			fmt.Fprintf(&b, "- %s: %s\n", code(pos.String()), portdoc.Inline(r.Message))
		}
	}
	if len(d.Files) > 0 {
		b.WriteString("\n#### Generated files\n\n")
		rows := [][]string{{"file", "change", "lines", "shows"}}
		for _, f := range d.Files {
			rows = append(rows, []string{code(path(f.Path)), f.Kind, fmt.Sprintf("+%d −%d", f.Added, f.Removed),
				portdoc.Cell(strings.Join(f.Causes, ", "))})
		}
		table(&b, rows)
	}
	return b.Bytes()
}

// table writes a GFM table; the first row is the header.
func table(b *bytes.Buffer, rows [][]string) {
	for i, r := range rows {
		fmt.Fprintf(b, "| %s |\n", strings.Join(r, " | "))
		if i == 0 {
			fmt.Fprintf(b, "|%s\n", strings.Repeat(" --- |", len(r)))
		}
	}
}

// code is an inline code span that is safe in a table cell: a pipe in
// it is escaped, as GFM reads the cell before the span.
func code(s string) string {
	return strings.ReplaceAll(portdoc.Code(s), "|", `\|`)
}
