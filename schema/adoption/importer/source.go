// Package importer turns hand-written configuration (docker compose
// files, cloudflared tunnel configs, a Prometheus config and its alert
// rules, promtail configs and a Markdown port table) into a CUE platform
// source that `portschema regen`
// regenerates equivalent files from.
//
// The work has two halves. Building reads the inputs into a Source: the
// model (schema.Platform and its entities) that schema.Load would return
// for the files import writes, with a comment for every decision import
// took on the user's behalf (a port moved off a collision, a default
// value of a secret dropped, two files that disagreed). Emitting writes
// the model as CUE syntax, guided by the source's shape as the
// definitions declare it (schema.SourceShape): fields in the definitions'
// order, values equal to their defaults left out, short forms where the
// source allows them. It formats the trees with CUE's own formatter, so
// the files read like hand-written ones and the comments sit at the
// lines they explain.
package importer

import "portschema/schema"

// Source is a whole platform source before it is written as CUE.
type Source struct {
	// Platform is the model: its slices are in output order (not sorted
	// as schema.Load sorts them) and it is not indexed.
	Platform *schema.Platform
	// Header are the comment lines at the top of platform.cue.
	Header []string
	// Notes are the comments of each entity ("platform", "prometheus",
	// "ranges.<name>", "hosts.<name>", "services.<name>").
	Notes map[string]Notes
	// Order is the order a map's keys are written in, by the path of
	// the map ("services.<name>.compose"); a map without one is written
	// in sorted order.
	Order map[string][]string
}

// Notes are comments to write above fields of an entity, keyed by the
// field's path below it ("" is the entity itself; "env.X", "ports.http.port"
// and so on name the field whose line the comment explains).
type Notes map[string][]string

// Add appends a comment line for a field.
func (n Notes) Add(field, line string) { n[field] = append(n[field], line) }

// notes returns the notes of an entity, made on first use.
func (src *Source) notes(entity string) Notes {
	n := src.Notes[entity]
	if n == nil {
		n = Notes{}
		src.Notes[entity] = n
	}
	return n
}
