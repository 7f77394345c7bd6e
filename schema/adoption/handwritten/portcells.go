package handwritten

import (
	"strings"
	"unicode"
)

// PortRange is an inclusive span of ports; From == To for one port.
type PortRange struct {
	From, To int
}

// Contains reports whether port lies in r.
func (r PortRange) Contains(port int) bool { return port >= r.From && port <= r.To }

// ParsePortCell reads a table cell naming a port or a span of ports:
// "3001", "3006-3009", "3006–3009" (en dash), "3006 - 3009", "`3001`".
func ParsePortCell(s string) (PortRange, bool) {
	s = strings.Trim(strings.TrimSpace(s), "`*_ ")
	s = strings.NewReplacer("–", "-", "—", "-").Replace(s)
	from, to, ok := strings.Cut(s, "-")
	a, okA := parsePort(strings.TrimSpace(from))
	b := a
	okB := okA
	if ok {
		b, okB = parsePort(strings.TrimSpace(to))
	}
	if !okA || !okB || b < a {
		return PortRange{}, false
	}
	return PortRange{From: a, To: b}, true
}

// IsReservedCell reports whether a service cell marks its ports as held
// for later rather than naming a service: "(reserved)", "reserved", "—".
func IsReservedCell(s string) bool {
	s = strings.ToLower(strings.Trim(strings.TrimSpace(s), "*_()` "))
	switch s {
	case "reserved", "free", "unused", "unassigned", "-", "—", "–", "":
		return true
	}
	return false
}

// PortRow is a table row that assigns a port (or span) to a service: a
// row of a table with a port column and a service column.
type PortRow struct {
	Pos     Pos
	Table   int // index into Doc.Tables
	Row     int // index into that table's Rows
	Ports   PortRange
	Service string // the service cell as written, in plain text
	// Name is the service name that cell starts with: "minio (S3 API)"
	// gives "minio". "" for a reserved row.
	Name     string
	Reserved bool
}

// PortRows lists the rows of every table that has a "Port" and a
// "Service" column (case-insensitive) and whose port cell parses.
func (d *Doc) PortRows() []PortRow {
	var out []PortRow
	for ti := range d.Tables {
		t := &d.Tables[ti]
		pc, sc := t.Column("port", "ports"), t.Column("service", "services", "name")
		if pc < 0 || sc < 0 {
			continue
		}
		for ri, row := range t.Rows {
			ports, ok := ParsePortCell(row.Cells[pc])
			if !ok {
				continue
			}
			pr := PortRow{Pos: row.Pos, Table: ti, Row: ri, Ports: ports, Service: row.Cells[sc]}
			if IsReservedCell(pr.Service) {
				pr.Reserved = true
			} else {
				pr.Name = LeadingName(pr.Service)
			}
			out = append(out, pr)
		}
	}
	return out
}

// LeadingName is the identifier a service cell starts with.
func LeadingName(s string) string {
	end := strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '(' || r == ',' || r == '/'
	})
	if end < 0 {
		return s
	}
	return s[:end]
}
