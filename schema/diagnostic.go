package schema

import (
	"fmt"
	"sort"
	"strings"
)

// Severity says whether a diagnostic fails the run.
type Severity int

const (
	// Error is a broken rule: nothing is generated.
	Error Severity = iota
	// Warning is printed by vet and does not fail it.
	Warning
)

// Diagnostic is one problem in the source, at the position of the
// offending value, with the position of the other party where there is
// one (the service that already took a port, say).
type Diagnostic struct {
	Severity Severity
	Pos      Pos
	Message  string
	Related  []Pos
	// Kind names a warning a source can acknowledge ("off-plan"), and
	// Subject the entity it is about ("services.x"); see Acknowledged.
	Kind, Subject string
	// Reason is the source's reason for an acknowledged warning.
	Reason string
}

// String renders "file:line:col: message (other:line:col)".
func (d Diagnostic) String() string {
	var b strings.Builder
	if d.Pos.IsValid() {
		b.WriteString(d.Pos.String())
		b.WriteString(": ")
	}
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Message)
	var rel []string
	for _, r := range d.Related {
		if r.IsValid() {
			rel = append(rel, r.String())
		}
	}
	if len(rel) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(rel, ", "))
	}
	if d.Reason != "" {
		fmt.Fprintf(&b, "; acknowledged: %s", d.Reason)
	}
	return b.String()
}

// Diagnostics is every problem of one run. As an error it means "the
// source is invalid" (exit 1), as opposed to an I/O or usage error.
type Diagnostics []Diagnostic

func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// Sort orders diagnostics by position, then message, and drops exact
// duplicates (CUE reports a conflict once per conjunct).
func (ds Diagnostics) Sort() Diagnostics {
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].Pos != ds[j].Pos {
			return ds[i].Pos.Less(ds[j].Pos)
		}
		return ds[i].Message < ds[j].Message
	})
	out := ds[:0]
	for i, d := range ds {
		if i > 0 && d.String() == ds[i-1].String() {
			continue
		}
		out = append(out, d)
	}
	return out
}

// Errorf adds an error at pos, with the positions of the other parties
// (related may be nil).
func (ds *Diagnostics) Errorf(pos Pos, related []Pos, format string, args ...any) {
	*ds = append(*ds, Diagnostic{Severity: Error, Pos: pos, Related: related, Message: fmt.Sprintf(format, args...)})
}

// Warnf adds a warning at pos, with the positions of the other parties.
func (ds *Diagnostics) Warnf(pos Pos, related []Pos, format string, args ...any) {
	*ds = append(*ds, Diagnostic{Severity: Warning, Pos: pos, Related: related, Message: fmt.Sprintf(format, args...)})
}

// OnlyErrors are the diagnostics that fail a run, or nil.
func (ds Diagnostics) OnlyErrors() Diagnostics {
	var errs Diagnostics
	for _, d := range ds {
		if d.Severity == Error {
			errs = append(errs, d)
		}
	}
	return errs
}

// Errors counts the diagnostics that fail a run.
func (ds Diagnostics) Errors() int {
	n := 0
	for _, d := range ds {
		if d.Severity == Error {
			n++
		}
	}
	return n
}

// collector gathers diagnostics while rules run.
type collector struct {
	diags Diagnostics
}

func (c *collector) errorf(pos Pos, related []Pos, format string, args ...any) {
	c.diags = append(c.diags, Diagnostic{Severity: Error, Pos: pos, Related: related, Message: fmt.Sprintf(format, args...)})
}

func (c *collector) warnf(pos Pos, related []Pos, format string, args ...any) {
	c.diags = append(c.diags, Diagnostic{Severity: Warning, Pos: pos, Related: related, Message: fmt.Sprintf(format, args...)})
}

// split separates errors from warnings, each sorted.
func (c *collector) split() (errs, warns Diagnostics) {
	for _, d := range c.diags {
		if d.Severity == Error {
			errs = append(errs, d)
		} else {
			warns = append(warns, d)
		}
	}
	return errs.Sort(), warns.Sort()
}
