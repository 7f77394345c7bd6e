package inventory

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
)

// maxSpans caps the runs of free ports a range's line lists.
const maxSpans = 8

// Text renders the inventory for a terminal: a table of the ports in
// use, then one line per range with its fill level and free ports.
func (inv Inventory) Text() []byte {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	if inv.Host != "" {
		b.WriteString("on host " + inv.Host + ":\n")
	}
	if len(inv.Ports) > 0 {
		fmt.Fprintln(tw, "HOST\tADDRESS\tPORT\tSERVICE\tRANGE\tPLANNED\tNOTE")
		for _, p := range inv.Ports {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Host, orDash(p.Address), portText(p), p.Service,
				orDash(p.Range), plannedText(p), noteText(p))
		}
		tw.Flush()
		b.WriteString("\n")
	} else {
		b.WriteString("no port in use\n\n")
	}
	fmt.Fprintln(tw, "RANGE\tPORTS\tUSED\tFREE")
	for _, r := range inv.Ranges {
		fmt.Fprintf(tw, "%s\t%d-%d\t%d of %d (%d%%)\t%s\n", r.Name, r.From, r.To, r.Used, r.Size, r.Percent(), spansText(r.Free))
	}
	tw.Flush()
	return trimLines(b.Bytes())
}

// trimLines drops the padding tabwriter leaves after an empty last cell.
func trimLines(text []byte) []byte {
	lines := bytes.Split(text, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, " ")
	}
	return bytes.Join(lines, []byte("\n"))
}

// portText is the port with its protocol: "3001/tcp".
func portText(p Port) string {
	proto := p.Protocol
	if proto == "" {
		proto = "tcp"
	}
	return strconv.Itoa(p.Port) + "/" + proto
}

func plannedText(p Port) string {
	if p.Planned == nil {
		return "-"
	}
	s := strconv.Itoa(p.Planned.Port)
	if p.Planned.Range != p.Range {
		s += " (" + p.Planned.Range + ")"
	}
	return s
}

func noteText(p Port) string {
	var notes []string
	if !p.Deployed {
		notes = append(notes, "not deployed")
	}
	if !p.Published {
		notes = append(notes, "not published")
	} else if len(p.HostIPs) > 0 {
		notes = append(notes, "only on "+strings.Join(p.HostIPs, ", "))
	}
	if p.Outside {
		notes = append(notes, "outside its range")
	}
	return strings.Join(notes, ", ")
}

// spansText writes free ports as runs: "3000, 3002-3009".
func spansText(free []int) string {
	if len(free) == 0 {
		return "none"
	}
	var spans []string
	for i := 0; i < len(free); {
		j := i
		for j+1 < len(free) && free[j+1] == free[j]+1 {
			j++
		}
		if i == j {
			spans = append(spans, strconv.Itoa(free[i]))
		} else {
			spans = append(spans, fmt.Sprintf("%d-%d", free[i], free[j]))
		}
		i = j + 1
	}
	if len(spans) > maxSpans {
		return strings.Join(spans[:maxSpans], ", ") + fmt.Sprintf(" and %d more runs", len(spans)-maxSpans)
	}
	return strings.Join(spans, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
