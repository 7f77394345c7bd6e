package portdoc

import (
	"strconv"
	"strings"

	"portschema/schema"
)

// Diagram is a Mermaid flowchart of the deployed platform: one subgraph
// per host holding its services, and the public hostnames pointing at
// the services they reach. IDs are sanitised; labels are plain text that
// the template escapes (MermaidLabel).
type Diagram struct {
	Hosts  []DiagramHost
	Public []DiagramNode
	Edges  []DiagramEdge
}

// DiagramHost is a host's subgraph.
type DiagramHost struct {
	ID, Label string
	Services  []DiagramNode
}

// DiagramNode is a node with an ID and a label.
type DiagramNode struct{ ID, Label string }

// DiagramEdge links a public name to a service.
type DiagramEdge struct{ From, To string }

func buildDiagram(p *schema.Platform) Diagram {
	ids := newIDs()
	var d Diagram
	svc := map[string]string{}
	for _, h := range p.Hosts {
		dh := DiagramHost{ID: ids.make("host", h.Name), Label: h.Name + ": " + h.Title}
		for _, s := range h.Services {
			if !s.Deployed {
				continue
			}
			id := ids.make("svc", s.Name)
			svc[s.Name] = id
			dh.Services = append(dh.Services, DiagramNode{ID: id, Label: s.Name + " :" + strconv.Itoa(s.Port)})
		}
		if len(dh.Services) > 0 {
			d.Hosts = append(d.Hosts, dh)
		}
	}
	for _, pn := range buildPublic(p) {
		to, ok := svc[pn.target]
		if !ok {
			continue
		}
		label := pn.Hostname + pn.Path
		id := ids.make("pub", label)
		d.Public = append(d.Public, DiagramNode{ID: id, Label: label})
		d.Edges = append(d.Edges, DiagramEdge{From: id, To: to})
	}
	return d
}

// ids hands out Mermaid node IDs: a kind prefix and the name with every
// character but ASCII letters and digits replaced by '_'. Two names that
// sanitise alike get numbered suffixes in the order they are asked for,
// which is deterministic since the model is sorted.
type ids struct{ taken map[string]bool }

func newIDs() *ids { return &ids{taken: map[string]bool{}} }

func (x *ids) make(kind, name string) string {
	var b strings.Builder
	b.WriteString(kind)
	b.WriteByte('_')
	for _, r := range name {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	id := b.String()
	for n := 2; x.taken[id]; n++ {
		id = b.String() + "_" + strconv.Itoa(n)
	}
	x.taken[id] = true
	return id
}

// MermaidLabel escapes text for a double-quoted Mermaid label: quotes,
// angle brackets, ampersands, '#' and backticks become Mermaid's entity
// codes, so the text can neither end the label, inject HTML, nor turn it
// into a Markdown string; line breaks become spaces.
func MermaidLabel(s string) string {
	var b strings.Builder
	for _, r := range strings.Join(splitLines(s), " ") {
		switch r {
		case '"':
			b.WriteString("#quot;")
		case '#':
			b.WriteString("#35;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '&':
			b.WriteString("#amp;")
		case '`':
			b.WriteString("#96;")
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteByte(' ')
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
