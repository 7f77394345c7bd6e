package explain

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"portschema/schema"
)

// Text renders the explanation for a terminal, a section per question;
// path turns a path relative to the project root into the one to print.
func (e *Explanation) Text(path func(string) string) []byte {
	var b bytes.Buffer
	head := e.Service
	if e.Description != "" {
		head += ": " + e.Description
	}
	if e.Runtime != "" {
		head += " (" + e.Runtime + ")"
	}
	where := fmt.Sprintf("on host %s (%s), range %s", e.Host, e.HostKind, e.Range)
	if !e.Deployed {
		where += ", not deployed"
	}
	fmt.Fprintf(&b, "%s\n  %s\n", head, where)
	if e.Declared.IsValid() {
		fmt.Fprintf(&b, "  declared at %s\n", posText(path, e.Declared))
	}
	section(&b, "URLs", len(e.Ports), func(tw *tabwriter.Writer) {
		for _, p := range e.Ports {
			fmt.Fprintf(tw, "  %s\n", portHeading(p))
			for _, u := range p.URLs {
				if u.URL != "" {
					fmt.Fprintf(tw, "    %s\t%s\n", u.Vantage, u.URL)
				} else {
					fmt.Fprintf(tw, "    %s\tunreachable: %s\n", u.Vantage, u.Unreachable)
				}
			}
		}
	})
	links := func(title string, ls []Link) {
		section(&b, title, len(ls), func(tw *tabwriter.Writer) {
			for _, l := range ls {
				fmt.Fprintf(tw, "  %s\t%s\t%s\n", l.Service, linkText(l), posText(path, l.Pos))
			}
		})
	}
	links("Needs", e.Needs)
	links("Needed by", e.NeededBy)
	section(&b, "Routes", len(e.Routes), func(tw *tabwriter.Writer) {
		for _, r := range e.Routes {
			fmt.Fprintf(tw, "  %s\t-> %s\t%s:%d\n", r.Hostname+r.Path, r.Service, path(r.File), r.Line)
		}
	})
	jobs := func(title string, js []JobUse) {
		section(&b, title, len(js), func(tw *tabwriter.Writer) {
			for _, j := range js {
				for _, t := range j.Targets {
					fmt.Fprintf(tw, "  %s\t%s\t%s:%d\n", j.Name, t.Address, path(j.File), t.Line)
				}
			}
		})
	}
	jobs("Scrape jobs", e.Jobs)
	jobs("Probes", e.Probes)
	section(&b, "Secrets (names only)", len(e.Secrets), func(tw *tabwriter.Writer) {
		for _, s := range e.Secrets {
			fmt.Fprintf(tw, "  %s\t%s\n", s.Env, secretText(s))
		}
	})
	section(&b, "Generated files", len(e.Appears), func(tw *tabwriter.Writer) {
		for _, a := range e.Appears {
			fmt.Fprintf(tw, "  %s\t%s\n", path(a.File), LineRuns(a.Lines))
		}
	})
	return trimLines(b.Bytes())
}

// posText is a source position with its file as path prints it.
func posText(path func(string) string, p schema.Pos) string {
	if !p.IsValid() {
		return ""
	}
	p.File = path(p.File)
	return p.String()
}

// section writes a titled block, or the title and "none".
func section(b *bytes.Buffer, title string, n int, body func(*tabwriter.Writer)) {
	fmt.Fprintf(b, "\n%s\n", title)
	if n == 0 {
		b.WriteString("  none\n")
		return
	}
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	body(tw)
	tw.Flush()
}

func portHeading(p Port) string {
	s := "port " + strconv.Itoa(p.Port)
	if p.Name != "" {
		s = p.Name + " " + s
	}
	if p.Protocol != "" && p.Protocol != "tcp" {
		s += "/" + p.Protocol
	}
	if p.ContainerPort != 0 && p.ContainerPort != p.Port {
		s += fmt.Sprintf(" (container %d)", p.ContainerPort)
	}
	return s
}

func linkText(l Link) string {
	var parts []string
	if l.Env != "" {
		parts = append(parts, l.Env+"="+l.URL)
	} else {
		parts = append(parts, "no URL")
	}
	if l.StartsAfter {
		parts = append(parts, "(starts after it)")
	}
	return strings.Join(parts, " ")
}

func secretText(s Secret) string {
	switch {
	case s.In != "":
		return "the password in " + s.In
	case s.From != s.Env:
		return "from the host's " + s.From
	}
	return ""
}

// LineRuns writes line numbers as runs: "3-20, 43".
func LineRuns(lines []int) string {
	var runs []string
	for i := 0; i < len(lines); {
		j := i
		for j+1 < len(lines) && lines[j+1] == lines[j]+1 {
			j++
		}
		if i == j {
			runs = append(runs, strconv.Itoa(lines[i]))
		} else {
			runs = append(runs, fmt.Sprintf("%d-%d", lines[i], lines[j]))
		}
		i = j + 1
	}
	return strings.Join(runs, ", ")
}

// trimLines drops the padding tabwriter leaves after an empty last cell.
func trimLines(text []byte) []byte {
	lines := bytes.Split(text, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, " ")
	}
	return bytes.Join(lines, []byte("\n"))
}
