package audit

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"portschema/schema/adoption/handwritten"
)

// internalWords mark doc text that says a port is not on the host: a
// row, a list item or a section about a container's own port.
var internalWords = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?i)\b(internal|not exposed|not published|never published|unpublished|container[- ]only|container ports?|not on the host|docker network only)\b`)
})

// publishedColumns are the headers of a doc column that says whether a
// service's port is published on the host.
var publishedColumns = []string{"published", "exposed", "on host", "host port published"}

// docUnpublished lists the services (lower-case names) a doc says are
// not published, in a Published column of any of its tables: "no",
// "false", "internal". A row elsewhere that gives such a service's
// container port is then what the doc means.
func docUnpublished(d *handwritten.Doc) map[string]bool {
	out := map[string]bool{}
	for ti := range d.Tables {
		t := &d.Tables[ti]
		pc, sc := t.Column(publishedColumns...), t.Column("service", "services", "name")
		if pc < 0 || sc < 0 {
			continue
		}
		for _, row := range t.Rows {
			switch strings.ToLower(strings.Trim(row.Cells[pc], "*_` ")) {
			case "no", "false", "internal", "-", "—", "–":
				out[strings.ToLower(handwritten.LeadingName(row.Cells[sc]))] = true
			}
		}
	}
	return out
}

// publishedAs reports whether host port p leads to s: s publishes it,
// listens on it on the host's network, or runs in the namespace of a
// service that publishes it.
func (s *service) publishedAs(p int) bool {
	if _, ok := s.publishes(p); ok {
		return true
	}
	if s.hostNetwork() {
		listens, _ := s.listensOn(p)
		return listens
	}
	if s.sharesWith != nil {
		return s.sharesWith.publishedAs(p)
	}
	return false
}

// checkDocPort checks the port a doc gives service s, at pos. A port
// compose publishes for s is right. A port s only listens on inside
// its container is not reachable on the host, which a port doc is read
// for, unless the doc says it is internal. Any other port contradicts
// compose.
func (a *auditor) checkDocPort(name string, s *service, ports handwritten.PortRange, pos Location, internal bool) {
	for p := ports.From; p <= ports.To; p++ {
		if s.publishedAs(p) {
			return
		}
	}
	for p := ports.From; p <= ports.To; p++ {
		if listens, _ := s.listensOn(p); !listens {
			continue
		}
		if internal {
			return
		}
		how := "compose publishes none of its ports"
		hosts := s.hostPorts(p)
		if len(hosts) > 0 {
			how = "compose publishes it as host port " + andList(hosts)
		}
		f := a.add(DocNotPublished,
			fmt.Sprintf("the doc lists %s on port %d, which is only its container port: %s", name, p, how),
			append([]Location{pos}, s.portPositions()...)...)
		if len(hosts) > 0 {
			f.Fix = fmt.Sprintf("list the host port (%s) in the doc, or say there that %d is the container port", andList(hosts), p)
		}
		return
	}
	if len(s.listen)+len(s.Ports) == 0 {
		return
	}
	a.add(DocMismatch,
		fmt.Sprintf("the doc lists %s on port %s, but compose has it on %s", name, rangeText(ports), s.portSummary()),
		append([]Location{pos}, s.portPositions()...)...)
}

// hostPorts are the host ports s publishes for container port p.
func (s *service) hostPorts(p int) []string {
	var out []string
	for _, m := range s.Ports {
		if m.Target == p && m.Published > 0 {
			out = append(out, fmt.Sprint(m.Published))
		}
	}
	return out
}
