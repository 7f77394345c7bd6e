package env

import (
	"bytes"
	"iter"
	"slices"
	"strings"
)

// filledSecrets is how a developer fills in a service's .env: the
// file is generated with its secrets empty, a developer sets them where
// the service runs on a laptop, and the next regen keeps what was set
// instead of blanking it; a diff shows each only as hidden. Only the
// secrets' assignments are kept: every other line stays the
// generator's.
type filledSecrets struct {
	keys map[string]bool
}

func newFilledSecrets(keys []string) *filledSecrets {
	f := &filledSecrets{keys: map[string]bool{}}
	for _, k := range keys {
		f.keys[k] = true
	}
	return f
}

// hidden replaces a filled-in value in a diff.
const hidden = "<hidden: filled in on disk>"

// Keep puts every secret assignment set on disk (old) in place of the
// generated empty one.
func (f *filledSecrets) Keep(old, generated []byte) []byte {
	set := map[string]string{}
	for a := range dotenvPieces(old) {
		if f.keys[a.key] && a.value != "" {
			if _, dup := set[a.key]; !dup {
				set[a.key] = a.text
			}
		}
	}
	if len(set) == 0 {
		return generated
	}
	var out bytes.Buffer
	for _, a := range assignments(generated) {
		if text, ok := set[a.key]; ok && a.value == "" {
			out.WriteString(text)
			continue
		}
		out.WriteString(a.text)
	}
	return out.Bytes()
}

// Mask hides the value of every secret assignment that has one.
func (f *filledSecrets) Mask(data []byte) []byte {
	var out bytes.Buffer
	for _, a := range assignments(data) {
		if f.keys[a.key] && a.value != "" {
			out.WriteString(a.prefix + hidden + "\n")
			continue
		}
		out.WriteString(a.text)
	}
	return out.Bytes()
}

// dotenvPiece is one piece of a dotenv file: an assignment with its key
// and value as written (which may span lines inside quotes), or any
// other line (key ""). text is the piece as it is in the file.
type dotenvPiece struct {
	key, value string
	prefix     string // the text up to and including "="
	text       string
}

// assignments splits a dotenv file into pieces whose texts, joined, are
// the file.
func assignments(data []byte) []dotenvPiece { return slices.Collect(dotenvPieces(data)) }

// dotenvPieces yields the pieces of a dotenv file one by one, each a
// slice of one copy of the file: a regen reads every .env with secrets
// to keep what was filled in, and most have nothing to keep.
func dotenvPieces(data []byte) iter.Seq[dotenvPiece] {
	s := string(data)
	return func(yield func(dotenvPiece) bool) {
		for start := 0; start < len(s); {
			end := lineEnd(s, start)
			line := s[start:end]
			key, rest, ok := assignmentOf(line)
			if !ok {
				if !yield(dotenvPiece{text: line}) {
					return
				}
				start = end
				continue
			}
			value := end - len(rest) // where the value starts
			// A quoted value may go on over lines until its quote closes.
			for q := quoteOf(rest); q != 0 && !closes(strings.TrimRight(s[value:end], "\n"), q) && end < len(s); {
				end = lineEnd(s, end)
			}
			piece := dotenvPiece{key: key, value: strings.TrimSpace(s[value:end]), prefix: s[start:value], text: s[start:end]}
			if !yield(piece) {
				return
			}
			start = end
		}
	}
}

// lineEnd is where the line of s that starts at start ends: after its
// line break, or at the end of s.
func lineEnd(s string, start int) int {
	if i := strings.IndexByte(s[start:], '\n'); i >= 0 {
		return start + i + 1
	}
	return len(s)
}

// assignmentOf splits `KEY=rest` (optionally after `export `); comments
// and blank lines are not assignments.
func assignmentOf(line string) (key, rest string, ok bool) {
	trimmed := strings.TrimLeft(line, " \t")
	if trimmed == "" || trimmed[0] == '#' {
		return "", "", false
	}
	trimmed = strings.TrimPrefix(trimmed, "export ")
	eq := strings.IndexByte(trimmed, '=')
	if eq <= 0 {
		return "", "", false
	}
	key = strings.TrimSpace(trimmed[:eq])
	if strings.ContainsAny(key, " \t") {
		return "", "", false
	}
	return key, line[len(line)-len(trimmed)+eq+1:], true
}

// quoteOf is the quote a value opens with, or 0.
func quoteOf(rest string) byte {
	v := strings.TrimLeft(rest, " \t")
	if v != "" && (v[0] == '"' || v[0] == '\'') {
		return v[0]
	}
	return 0
}

// closes reports whether the value (from its opening quote q) holds
// its closing quote.
func closes(value string, q byte) bool {
	v := strings.TrimLeft(value, " \t")[1:]
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '\\' && q == '"':
			i++
		case v[i] == q:
			return true
		}
	}
	return false
}
