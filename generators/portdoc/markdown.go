package portdoc

import (
	"strings"
	"unicode"
)

// Inline renders plain text as one line of Markdown inline content that
// shows the text literally: Markdown punctuation is backslash-escaped (so
// `<script>` stays text and `*` emphasises nothing), a `|` cannot end a
// table cell, and line breaks become `<br>` so that a description of
// several lines stays in its table cell. Surrounding white space of each
// line is dropped, as Markdown would drop it; other control characters
// become U+FFFD.
//
// Only characters that can start or end a Markdown construct are escaped,
// so that ordinary text ("Hono/Bun", "Go (v1.26)") reads unchanged in
// the generated source that reviewers diff.
func Inline(s string) string {
	if isPlain(s) {
		return s
	}
	return escapeText(s)
}

// escapeText is Inline without its shortcut for plain text.
func escapeText(s string) string {
	lines := splitLines(s)
	var b strings.Builder
	for i, line := range lines {
		if i > 0 {
			b.WriteString("<br>")
		}
		escapeLine(&b, line, i == 0)
	}
	return b.String()
}

// isPlain reports whether Inline leaves s as it is: one line of
// printable ASCII that starts with a letter (so it opens no block) and
// ends with no space, holding no character Inline escapes. Most names
// and descriptions are, and a table of thousands of rows renders them
// without a copy.
func isPlain(s string) bool {
	if s == "" {
		return true
	}
	if c := s[0] | 0x20; c < 'a' || c > 'z' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == '#' || strings.IndexByte(escaped, c) >= 0 {
			return false
		}
	}
	return true
}

// Line renders plain text as Inline does, with line breaks as spaces:
// for headings and other one-line places.
func Line(s string) string { return Inline(strings.Join(splitLines(s), " ")) }

// Cell renders plain text as the content of a GFM table cell. It is
// Inline: a pipe is always escaped and a line break is always `<br>`.
func Cell(s string) string { return Inline(s) }

// Code renders a value as an inline code span, with a fence longer than
// any run of backticks in it. Line breaks become spaces.
func Code(s string) string {
	s = strings.Join(splitLines(s), " ")
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 || strings.HasPrefix(s, " ") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// splitLines splits on every line ending Markdown knows (\n, \r\n, \r)
// and trims each line; empty leading and trailing lines are dropped.
func splitLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return lines
}

// escaped are the ASCII punctuation characters that can open or close an
// inline construct (emphasis, code, links, images, raw HTML, autolinks,
// entities, strikethrough, GitHub math; `!` only opens an image before
// `[`, which is escaped) or a table cell, and the escape character itself.
const escaped = "\\`*_[]<>|&~$"

// escapeLine writes one line. At the start of the text, characters that
// would open a block (a heading, a quote, a list item, a thematic break)
// are escaped too, since the text may be placed at the start of a line.
func escapeLine(b *strings.Builder, line string, first bool) {
	if first {
		line = escapeBlockStart(b, line)
	}
	for i, r := range line {
		switch {
		case r == '#' && i == len(line)-1:
			// A closing sequence of an ATX heading would be dropped.
			b.WriteString("\\#")
		case r < 0x80 && strings.ContainsRune(escaped, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || r == 0:
			b.WriteRune(unicode.ReplacementChar)
		default:
			b.WriteRune(r)
		}
	}
}

// escapeBlockStart escapes the marker of a block that the line would
// open at the start of a Markdown line and returns the rest.
func escapeBlockStart(b *strings.Builder, line string) string {
	if line == "" {
		return line
	}
	switch line[0] {
	case '#', '>', '-', '+', '=':
		b.WriteByte('\\')
		b.WriteByte(line[0])
		return line[1:]
	}
	// An ordered list marker: up to nine digits then '.' or ')'.
	i := 0
	for i < len(line) && i < 9 && line[i] >= '0' && line[i] <= '9' {
		i++
	}
	if i > 0 && i < len(line) && (line[i] == '.' || line[i] == ')') {
		b.WriteString(line[:i])
		b.WriteByte('\\')
		b.WriteByte(line[i])
		return line[i+1:]
	}
	return line
}
