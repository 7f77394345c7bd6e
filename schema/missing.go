package schema

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// A source can lack what CUE has no place to report at: no files at
// all, no platform block, an import of a package that does not exist.
// CUE then names no position, or the empty path (": import failed").
// These say what is missing, where a person would add or fix it.

// noSourceFiles is the diagnostic of a schema/ directory that holds no
// .cue file.
func noSourceFiles() Diagnostics {
	return Diagnostics{{Severity: Error, Pos: Pos{File: SourceDir + "/"}, Message: fmt.Sprintf(
		"no source files: the platform source is the .cue files of %s/ (package %s), and there are none; start one with platform: name: \"...\"",
		SourceDir, PackageName)}}
}

// missingInWords rewrites CUE's "incomplete value" for a field the
// user's files do not write at all ("platform.name: incomplete value
// =~..."): the field is required, said at its block, or at the first
// file where the block is missing too. ok is false for an incomplete
// value the user wrote (a bound without a value), which has a position
// of its own.
func missingInWords(ix *positionIndex, path []string, format string) (Diagnostic, bool) {
	if !strings.HasPrefix(format, "incomplete value") || len(path) == 0 {
		return Diagnostic{}, false
	}
	where := strings.Join(path, ".")
	msg := where + " is required"
	if f := shapeAt(ix.shape, path); f != nil && f.Doc != "" {
		msg += " (" + strings.ReplaceAll(f.Doc, "\n", " ") + ")"
	}
	for i := len(path) - 1; i > 0; i-- {
		if pos := ix.lookup(path[:i]); pos.IsValid() {
			return Diagnostic{Severity: Error, Pos: pos, Message: msg}, true
		}
	}
	pos := Pos{File: ix.first, Line: 1, Col: 1}
	if ix.first == "" {
		pos = Pos{File: SourceDir + "/"}
	}
	return Diagnostic{Severity: Error, Pos: pos, Message: fmt.Sprintf("no %s: block in any file of %s/: %s", path[0], SourceDir, msg)}, true
}

// importInWords says which import failed: CUE's "import failed" names
// no package, and "builtin package %q undefined" is about a path
// without a domain, which CUE takes for one of its standard packages.
// root is the project root, pos the import's position.
func importInWords(root string, pos Pos, format string, args []any) (string, bool) {
	switch format {
	case "builtin package %q undefined":
		return fmt.Sprintf("import %q: no such package; CUE has no standard package of that name (strings, list, math, ...), and a package of your own has a domain (example.com/...) in a CUE module", args[0]), true
	case "import failed":
		return fmt.Sprintf("import %s: no such package", importPathAt(root, pos)), true
	}
	return "", false
}

// importPathAt reads the quoted import path written at pos.
func importPathAt(root string, pos Pos) string {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(pos.File)))
	if err != nil || pos.Line < 1 {
		return "(a package)"
	}
	lines := strings.Split(string(data), "\n")
	if pos.Line > len(lines) || pos.Col < 1 || pos.Col > len(lines[pos.Line-1]) {
		return "(a package)"
	}
	if quoted, err := strconv.QuotedPrefix(lines[pos.Line-1][pos.Col-1:]); err == nil {
		return quoted
	}
	return "(a package)"
}
