package platformdiff

import (
	"fmt"
	"strings"
)

// Headline is the change in one line, the way a reviewer would say it:
// "removed one stack: 4 services, 3 hostnames, ...; moved 1 service;
// 9 generated files change".
func (d *Diff) Headline() string {
	var clauses []string
	s := d.Services
	for _, side := range []struct {
		verb     string
		services int
		stacks   [][]string
		pick     func(Changes) []Change
	}{
		{"removed", len(s.Removed), s.RemovedStacks, func(c Changes) []Change { return c.Removed }},
		{"added", len(s.Added), s.AddedStacks, func(c Changes) []Change { return c.Added }},
	} {
		counts := []string{count(side.services, "service", "services")}
		for _, k := range d.kinds() {
			counts = append(counts, count(len(side.pick(*k.changes)), k.one, k.many))
		}
		counts = nonEmpty(counts)
		if len(counts) == 0 {
			continue
		}
		lead := stackPhrase(side.stacks)
		if lead != "" {
			lead += ": "
		}
		clauses = append(clauses, side.verb+" "+lead+strings.Join(counts, ", "))
	}
	moved, changed := 0, 0
	for _, c := range s.Changed {
		if c.Moved {
			moved++
		} else {
			changed++
		}
	}
	if moved > 0 {
		clauses = append(clauses, "moved "+count(moved, "service", "services"))
	}
	counts := []string{count(changed, "service", "services")}
	for _, k := range d.kinds() {
		counts = append(counts, count(len(k.changes.Changed), k.one, k.many))
	}
	if counts = nonEmpty(counts); len(counts) > 0 {
		clauses = append(clauses, "changed "+strings.Join(counts, ", "))
	}
	if len(clauses) == 0 {
		clauses = append(clauses, "no change to the platform")
	}
	switch n := len(d.Files); n {
	case 0:
		clauses = append(clauses, "no generated file changes")
	case 1:
		clauses = append(clauses, "1 generated file changes")
	default:
		clauses = append(clauses, fmt.Sprintf("%d generated files change", n))
	}
	return strings.Join(clauses, "; ")
}

// kind is one kind of item the diff reports, with its names for counts
// and headings.
type kind struct {
	one, many string
	// detail heads the column that says what an item is.
	detail string
	// owner heads the column of what grouped items belong to.
	owner string
	// technical is set for kinds whose details are addresses and URLs,
	// which Markdown shows as code.
	technical bool
	changes   *Changes
}

// kinds lists the item kinds in the order they are reported.
func (d *Diff) kinds() []kind {
	return []kind{
		{"hostname", "hostnames", "reaches", "", false, &d.Hostnames},
		{"route", "routes", "sends to", "", true, &d.Routes},
		{"scrape job", "scrape jobs", "targets", "", true, &d.Jobs},
		{"probe", "probes", "service", "job", false, &d.Probes},
		{"env name", "env names", "from", "service", false, &d.Env},
		{"secret", "secrets", "read by", "host", false, &d.Secrets},
		{"host", "hosts", "kind", "", false, &d.Hosts},
		{"range", "ranges", "ports", "", false, &d.Ranges},
	}
}

// stackPhrase names the groups of services that went or came together:
// "one stack", "2 stacks and 1 other service", or "" when each service
// stands alone.
func stackPhrase(groups [][]string) string {
	stacks, single := 0, 0
	for _, g := range groups {
		if len(g) > 1 {
			stacks++
		} else {
			single++
		}
	}
	if stacks == 0 {
		return ""
	}
	phrase := "one stack"
	if stacks > 1 {
		phrase = fmt.Sprintf("%d stacks", stacks)
	}
	if single > 0 {
		phrase += " and " + count(single, "other service", "other services")
	}
	return phrase
}

// count is "1 service", "3 services", or "" for none.
func count(n int, one, many string) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func nonEmpty(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
