// Package handwritten reads the configuration files people write by hand —
// docker compose files, cloudflared tunnel configs, Prometheus configs and
// alert rule files, promtail configs and Markdown port tables — into plain
// structs that keep the file and line of
// every value they return. It is the reading half of adoption (see
// schema/adoption): `portschema audit` uses the lines to point at what to
// fix; `portschema import` uses them to say where each fact of the CUE
// source it writes came from.
//
// Read takes the Inputs both commands are given and parses each file
// once: the structs hold the facts, and Ordered gives the same parse as
// ordered values, for the blocks import passes through as written.
//
// Every reader has two forms: ParseX(name, data) reads bytes already in
// memory and names them name in positions (tests and fuzzing use it);
// ReadX(path) reads the file from disk. Values come back as written:
// nothing is interpolated, so `${VAR:-default}` stays in the value, and
// ExpandDefaults resolves it the way compose would with VAR unset.
//
// Malformed input (bad YAML, a duplicate key, a document of the wrong shape)
// is an error naming the file and, where known, the line. Readers never
// panic, never follow includes, and never read any file but the one named.
package handwritten

import (
	"fmt"
	"portschema/schema/readfile"
)

// Pos is a place in a hand-written file: a file name as given to the
// reader and a 1-based line. The zero Pos means "not written in the file"
// (a default value).
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// IsValid reports whether p names a place in a file.
func (p Pos) IsValid() bool { return p.File != "" && p.Line > 0 }

// String renders p as file:line, the form editors and CI annotations jump to.
func (p Pos) String() string {
	if !p.IsValid() {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Less orders positions by file, then line, so reports are stable.
func (p Pos) Less(q Pos) bool {
	if p.File != q.File {
		return p.File < q.File
	}
	return p.Line < q.Line
}

// readFile reads path for the ReadX functions, with the reader's kind in
// the error so a user passing the wrong flag sees which input failed.
func readFile(kind, path string) ([]byte, error) {
	data, err := readfile.Regular(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	return data, nil
}
