package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Findings is the result of an audit, sorted by kind, then by first
// location, then by message.
type Findings []Finding

func (fs Findings) sort() {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		la, lb := first(a), first(b)
		if la != lb {
			return la.Less(lb)
		}
		return a.Message < b.Message
	})
}

func first(f Finding) Location {
	if len(f.Locations) == 0 {
		return Location{}
	}
	return f.Locations[0]
}

// Format selects how Write renders findings.
type Format int

const (
	// Human groups findings by kind under a one-line summary, one
	// `file:line: message` per finding with further locations indented.
	Human Format = iota
	// JSON is {"findings": [{"kind", "rule", "confidence", "message",
	// "locations": [{"file", "line"}], "fix"}]}, documented in README.
	JSON
)

// Write renders fs to w in the given format.
func Write(w io.Writer, fs Findings, format Format) error {
	if format == JSON {
		return fs.WriteJSON(w)
	}
	return fs.WriteHuman(w)
}

// WriteJSON renders fs as one JSON document; an empty audit gives
// {"findings": []}, never null.
func (fs Findings) WriteJSON(w io.Writer) error {
	doc := struct {
		Findings Findings `json:"findings"`
	}{Findings: fs}
	if doc.Findings == nil {
		doc.Findings = Findings{}
	}
	for i := range doc.Findings {
		if doc.Findings[i].Locations == nil {
			doc.Findings[i].Locations = []Location{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// WriteHuman renders fs for a person reading a terminal.
func (fs Findings) WriteHuman(w io.Writer) error {
	var b strings.Builder
	for i := 0; i < len(fs); {
		kind := fs[i].Kind
		j := i
		for j < len(fs) && fs[j].Kind == kind {
			j++
		}
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s: %s (%d)\n", kind, kind.Summary(), j-i)
		for _, f := range fs[i:j] {
			writeFinding(&b, f)
		}
		i = j
	}
	if len(fs) == 0 {
		b.WriteString("no findings\n")
	} else {
		fmt.Fprintf(&b, "\n%d %s\n", len(fs), plural(len(fs), "finding", "findings"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeFinding(b *strings.Builder, f Finding) {
	if len(f.Locations) == 0 {
		fmt.Fprintf(b, "  [%s] %s\n", f.Confidence, f.Message)
	} else {
		fmt.Fprintf(b, "  %s: [%s] %s\n", clean(f.Locations[0].String()), f.Confidence, f.Message)
	}
	for _, l := range f.Locations[min(1, len(f.Locations)):] {
		fmt.Fprintf(b, "      %s\n", clean(l.String()))
	}
	fmt.Fprintf(b, "      fix: %s\n", f.Fix)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// clean escapes what would break a one-line report: newlines, other
// control characters and invisible format characters (such as bidi
// overrides) in values copied from the audited files.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsGraphic(r) && !unicode.Is(unicode.Cf, r) {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRuneToASCII(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}
