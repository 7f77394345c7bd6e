package schema

import (
	"fmt"
	"slices"
	"strings"
)

// CUE stops reporting some problems once a value has another error: an
// unknown field next to an out-of-bound port, or a missing field, is
// only revealed by the next run. A user fixing a source wants every
// problem in one run, so when CUE fails, the shape
// of every range, host and service as written is also checked here:
// unknown fields and missing required fields, from the definitions
// themselves (see SourceShape).

// unknownTopLevel reports top-level fields that are none of the
// source's, with the closest known name.
func unknownTopLevel(ix *positionIndex) Diagnostics {
	var known []string
	for _, f := range ix.shape.Fields {
		known = append(known, f.Name)
	}
	slices.Sort(known)
	var ds Diagnostics
	for name, pos := range ix.unknown {
		ds = append(ds, Diagnostic{Severity: Error, Pos: pos,
			Message: fmt.Sprintf("unknown top-level field %q%s; a source declares %s", name, suggest(name, known), strings.Join(known, ", "))})
	}
	return ds
}

// shapeDiagnostics reports unknown and missing fields of every entity
// written in the user's files, in CUE's own wording so that a problem
// CUE did report is not listed twice.
func shapeDiagnostics(ix *positionIndex, reported Diagnostics) Diagnostics {
	seen := map[string]bool{}
	for _, d := range reported {
		seen[d.Message] = true
	}
	var ds Diagnostics
	for key, ps := range ix.entities {
		kind, _, ok := strings.Cut(key, ".")
		if !ok || ix.topKind(kind) != Map {
			continue
		}
		entity := ix.shape.Field(kind).Shape.Elem
		present := map[string]bool{}
		for path, pos := range ps {
			if path == "" || strings.ContainsAny(path, ".[") {
				continue
			}
			present[path] = true
			if msg := key + "." + path + ": field not allowed"; entity.Field(path) == nil && !seen[msg] {
				ds = append(ds, Diagnostic{Severity: Error, Pos: pos, Message: msg})
			}
		}
		// A pattern or comprehension in the user's files may supply a
		// field without writing it per entity: then only CUE can tell.
		if ix.dynamic {
			continue
		}
		for _, f := range entity.Fields {
			if f.Required() && !present[f.Name] {
				ds = append(ds, Diagnostic{Severity: Error, Pos: ps[""],
					Message: key + ": missing required field " + f.Name})
			}
		}
	}
	return ds
}
