package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// docFacts is what the port doc says: its ranges and, per service name
// written in a table, the rows about it.
type docFacts struct {
	rows   []*docRow
	byName map[string][]*docRow
}

// docRow is one table row naming a service and a port.
type docRow struct {
	Port        int
	Service     string        // as written, parenthetical removed
	Detail      string        // the parenthetical, e.g. "Console" of "minio (Console)"
	Range       *schema.Range // the range whose section holds the table, if any
	Runtime     string
	Description string
	Pos         handwritten.Pos
	used        bool
}

var (
	rangeTitleRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^\s*([0-9]{1,5})\s*[-–—]\s*([0-9]{1,5})\s*:?\s*(.*)$`)
	})
	rowServiceRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([^()]*?)\s*(?:\(([^()]*)\))?\s*$`) })
)

// readDoc reads ranges from headings such as "3000-3009: Core Platform
// Services", the principles from a "Principles" section, and each table
// row naming a service and a port.
func (b *builder) readDoc() {
	b.doc = &docFacts{byName: map[string][]*docRow{}}
	d := b.in.Doc
	if d == nil {
		return
	}
	sectionRange := map[int]*schema.Range{}
	for i, sec := range d.Sections {
		if strings.EqualFold(strings.TrimSpace(sec.Title), "principles") {
			for _, it := range sec.Items {
				b.src.Platform.Principles = append(b.src.Platform.Principles, it.Text)
			}
		}
		m := rangeTitleRE().FindStringSubmatch(sec.Title)
		if m == nil {
			continue
		}
		from, _ := strconv.Atoi(m[1])
		to, _ := strconv.Atoi(m[2])
		if from < 1 || to > 65535 || to < from {
			b.finding("doc-range", sec.Pos, "heading %q is not a valid port range and is ignored", sec.Title)
			continue
		}
		purpose := strings.TrimSpace(m[3])
		if purpose == "" {
			purpose = fmt.Sprintf("ports %d-%d", from, to)
		}
		r := &schema.Range{Name: b.rangeNames.claim(rangeName(purpose)), From: from, To: to, Purpose: purpose, Note: firstLine(sec.Text)}
		b.rangeNotes(r).Add("", fmt.Sprintf("From %s.", where(sec.Pos)))
		sectionRange[i] = r
		b.src.Platform.Ranges = append(b.src.Platform.Ranges, r)
	}
	b.resolveRangeOverlaps()
	for _, t := range d.Tables {
		b.readDocTable(t, sectionRange[t.Section])
	}
}

// rangeName makes a range name of the first words of its purpose.
func rangeName(purpose string) string {
	words := strings.FieldsFunc(strings.ToLower(purpose), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	if len(words) > 3 {
		words = words[:3]
	}
	return SanitizeName(strings.Join(words, "-"), "range")
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}

// readDocTable reads the rows of a table with a port and a service column.
func (b *builder) readDocTable(t handwritten.Table, r *schema.Range) {
	portCol, svcCol := t.Column("port"), t.Column("service")
	if portCol < 0 || svcCol < 0 {
		return
	}
	runtimeCol, descCol := t.Column("runtime"), t.Column("description")
	for _, row := range t.Rows {
		port, err := strconv.Atoi(strings.TrimSpace(row.Cells[portCol]))
		m := rowServiceRE().FindStringSubmatch(row.Cells[svcCol])
		if err != nil || port < 1 || port > 65535 || m == nil || strings.TrimSpace(m[1]) == "" {
			continue
		}
		dr := &docRow{Port: port, Service: strings.TrimSpace(m[1]), Detail: m[2], Range: r, Pos: row.Pos}
		if runtimeCol >= 0 {
			dr.Runtime = row.Cells[runtimeCol]
		}
		if descCol >= 0 {
			dr.Description = row.Cells[descCol]
		}
		b.doc.rows = append(b.doc.rows, dr)
		key := strings.ToLower(dr.Service)
		b.doc.byName[key] = append(b.doc.byName[key], dr)
	}
}

// resolveRangeOverlaps trims ranges the doc let overlap: the narrower
// range keeps its ports, since it is the more specific statement, and
// the wider one gives them up, with a comment saying what changed.
func (b *builder) resolveRangeOverlaps() {
	rs := b.src.Platform.Ranges
	for i := 0; i < len(rs); i++ {
		for j := 0; j < len(rs); j++ {
			a, c := rs[i], rs[j]
			if i == j || a.To < c.From || c.To < a.From || a.To < a.From || c.To < c.From {
				continue
			}
			wide, narrow := a, c
			if c.To-c.From > a.To-a.From || (c.To-c.From == a.To-a.From && j < i) {
				wide, narrow = c, a
			}
			was := fmt.Sprintf("%d-%d", wide.From, wide.To)
			if narrow.From > wide.From {
				wide.To = narrow.From - 1
			} else {
				wide.From = narrow.To + 1
			}
			note := fmt.Sprintf("the port doc says %s, which overlaps %s (%d-%d); trimmed to %d-%d", was, narrow.Name, narrow.From, narrow.To, wide.From, wide.To)
			b.rangeNotes(wide).Add("from", note)
			b.finding("range-overlap", handwritten.Pos{File: b.in.Doc.Path}, "range %s: %s", wide.Name, note)
		}
	}
	kept := rs[:0]
	for _, r := range rs {
		if r.To < r.From {
			b.finding("range-overlap", handwritten.Pos{File: b.in.Doc.Path}, "range %s lies wholly inside other ranges and is dropped", r.Name)
			continue
		}
		kept = append(kept, r)
	}
	b.src.Platform.Ranges = kept
}

// rowsFor finds the doc rows about a service: by its name, its original
// compose name or its container name.
func (b *builder) rowsFor(s *svc) []*docRow {
	names := []string{s.Name, s.Container}
	if s.origin != nil {
		names = append(names, s.origin.Name)
	}
	for _, n := range names {
		if rows := b.doc.byName[strings.ToLower(n)]; n != "" && len(rows) > 0 {
			return rows
		}
	}
	return nil
}

// applyDoc takes runtime, description and the planned slot of each
// service from its doc rows, and names extra ports after the row's
// parenthetical ("minio (Console)" names minio's 9001 "console").
func (b *builder) applyDoc() {
	for _, s := range b.svcs {
		for _, row := range b.rowsFor(s) {
			if row.Detail != "" {
				if b.nameExtraPort(s, row) {
					continue
				}
			}
			if s.docRow != nil {
				continue
			}
			row.used = true
			s.docRow = row
			s.Runtime = row.Runtime
			s.Description = row.Description
		}
	}
	for _, row := range b.doc.rows {
		if row.used {
			continue
		}
		line := fmt.Sprintf("The port doc also lists %s at %d (%s), which no other input has.", row.Service, row.Port, where(row.Pos))
		if row.Range != nil {
			b.rangeNotes(row.Range).Add("", line)
		} else {
			b.src.Header = append(b.src.Header, line)
		}
		b.finding("doc-only", row.Pos, "%s at %d is only in the port doc and is not imported", row.Service, row.Port)
	}
}

// nameExtraPort renames the extra port a doc row describes.
func (b *builder) nameExtraPort(s *svc, row *docRow) bool {
	for _, np := range s.namedPorts() {
		if np.Port != row.Port && np.ContainerPort != row.Port {
			continue
		}
		name := SanitizeName(row.Detail, np.name)
		if _, taken := s.Ports[name]; taken {
			return false
		}
		if b.portNameReferenced(s, np.name) {
			return false
		}
		s.renamePort(np.name, name)
		row.used = true
		return true
	}
	return false
}

// portNameReferenced reports whether anything already names port name of s.
func (b *builder) portNameReferenced(s *svc, name string) bool {
	for _, p := range s.Public {
		if p.Port == name {
			return true
		}
	}
	if s.Metrics != nil && s.Metrics.Port == name {
		return true
	}
	for _, o := range b.svcs {
		for _, n := range o.Needs {
			if n.Service == s.Name && n.Port == name {
				return true
			}
		}
	}
	return false
}
