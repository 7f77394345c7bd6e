package audit

import (
	"fmt"
	"strings"
	"unicode"

	"portschema/schema/adoption/handwritten"
)

// hostColumns are the headers of a doc column that says where a service
// runs: the machine, or the stack (compose file) it is part of.
var hostColumns = []string{"host", "hosts", "machine", "server", "node", "stack", "where", "location"}

// docHosts learns, from the doc itself, which values of its host column
// stand for which audited compose file: a row that names a service of
// file F says what F is called in the doc. A row whose host names no
// audited file describes a machine the audit does not see.
type docHosts struct {
	// votes counts, per compose file, the host values of its rows.
	votes map[*handwritten.ComposeFile]map[string]int
	// seen are the host values of rows that name an audited service.
	seen map[string]bool
}

func (a *auditor) learnDocHosts(d *handwritten.Doc) *docHosts {
	h := &docHosts{votes: map[*handwritten.ComposeFile]map[string]int{}, seen: map[string]bool{}}
	for _, row := range d.PortRows() {
		host := rowHost(d, row)
		s := a.world.lookup(row.Name, nil)
		if host == "" || s == nil {
			continue
		}
		if h.votes[s.file] == nil {
			h.votes[s.file] = map[string]int{}
		}
		h.votes[s.file][host]++
		h.seen[host] = true
	}
	return h
}

// rowHost is the row's host cell, normalised; "" when its table has no
// host column or the cell is empty.
func rowHost(d *handwritten.Doc, row handwritten.PortRow) string {
	t := &d.Tables[row.Table]
	c := t.Column(hostColumns...)
	if c < 0 {
		return ""
	}
	return normalName(t.Rows[row.Row].Cells[c])
}

// elsewhere reports whether host names a machine none of the audited
// compose files is: every file's rows agree on other values.
func (h *docHosts) elsewhere(host string) bool {
	return host != "" && len(h.seen) > 0 && !h.seen[host]
}

// of is the host value most rows of file f give, and how many do; ""
// when no row or a tie says.
func (h *docHosts) of(f *handwritten.ComposeFile) (string, int) {
	best, n, tie := "", 0, false
	for host, c := range h.votes[f] {
		switch {
		case c > n:
			best, n, tie = host, c, false
		case c == n:
			tie = true
		}
	}
	if tie {
		return "", 0
	}
	return best, n
}

// normalName is a name stripped of form: lower case, letters and digits
// only, so "PostgreSQL", "postgres_ql" and "Postgre-SQL" compare equal.
func normalName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// knownInForm reports whether a doc's name for a service matches some
// compose service in form (see sameInForm).
func (w *world) knownInForm(name string) bool { return w.inForm(name) != nil }

// inForm is the first compose service a doc's name matches in form.
func (w *world) inForm(name string) *service {
	for _, s := range w.services {
		if sameInForm(name, s) {
			return s
		}
	}
	return nil
}

// sameInForm reports whether a doc's name for a service and a compose
// name of s differ only in form: case and punctuation, or one the other
// with a product suffix ("PostgreSQL" for postgres, "MinIO" for minio),
// or the service's image ("Redis" for a service called cache running
// redis).
func sameInForm(name string, s *service) bool {
	n := normalName(name)
	if len(n) < 3 {
		return false
	}
	cands := append([]string{}, s.DNSNames()...)
	cands = append(cands, imageName(s.Image))
	for _, c := range cands {
		c = normalName(c)
		if c == "" {
			continue
		}
		if c == n || (len(c) >= 4 && len(n) >= 4 && (strings.HasPrefix(n, c) || strings.HasPrefix(c, n))) {
			return true
		}
	}
	return false
}

// imageName is an image's repository name without registry, owner or
// tag: "ghcr.io/acme/postgres:16" gives "postgres".
func imageName(image string) string {
	image, _, _ = strings.Cut(image, "@")
	if i := strings.LastIndex(image, "/"); i >= 0 {
		image = image[i+1:]
	}
	image, _, _ = strings.Cut(image, ":")
	return image
}

// checkDocHost reports a row whose host column puts a compose service on
// another machine than the other rows of its compose file do.
func (a *auditor) checkDocHost(d *handwritten.Doc, hosts *docHosts, row handwritten.PortRow) {
	host := rowHost(d, row)
	s := a.world.lookup(row.Name, nil)
	if host == "" || s == nil {
		return
	}
	want, n := hosts.of(s.file)
	if want == "" || want == host || n < 2 {
		return
	}
	t := &d.Tables[row.Table]
	written := t.Rows[row.Row].Cells[t.Column(hostColumns...)]
	a.add(DocHostMismatch,
		fmt.Sprintf("the doc puts %s on %s, but it is a service of %s, whose other services the doc puts on %s", row.Name, written, s.file.Path, want),
		row.Pos, s.Pos)
}
