// Package audit cross-checks hand-written platform configs — compose
// files, cloudflared tunnel configs, a Prometheus config and a Markdown
// port doc — against each other, and reports every inconsistency with its
// kind and the file:line of each party.
//
// It aims at findings a person acts on, not ones they dismiss: what it
// cannot check (another host's LAN ports, values left to the environment,
// a doc that says it is a plan) it leaves alone rather than guess.
package audit

import (
	"portschema/schema/adoption/handwritten"
)

// Location is a place a finding points at.
type Location = handwritten.Pos

// Finding is one inconsistency.
type Finding struct {
	Kind    Kind   `json:"kind"`
	Message string `json:"message"`
	// Locations lists every party, the place to fix first.
	Locations []Location `json:"locations"`
}

// Audit reads the inputs and returns the findings, sorted. An input that
// cannot be read or parsed is an error (all such inputs are named); the
// audit of the others is not attempted, since a finding about a file the
// audit could not read would be a guess.
func Audit(in handwritten.Inputs) (Findings, error) {
	files, err := handwritten.Read(in)
	if err != nil {
		return nil, err
	}
	return Check(files), nil
}

// Check audits files already read.
func Check(f handwritten.Files) Findings {
	a := &auditor{files: f, world: newWorld(f.Compose)}
	a.checkCompose()
	a.checkTunnels()
	a.checkPrometheus()
	a.checkDoc()
	a.out.sort()
	return a.out
}

// auditor carries the parsed files and the findings of one audit.
type auditor struct {
	files handwritten.Files
	world *world
	out   Findings
}

// add records a finding; locations that name no line are dropped.
func (a *auditor) add(kind Kind, message string, locs ...Location) {
	f := Finding{Kind: kind, Message: clean(message)}
	seen := map[Location]bool{}
	for _, l := range locs {
		if l.IsValid() && !seen[l] {
			seen[l] = true
			f.Locations = append(f.Locations, l)
		}
	}
	a.out = append(a.out, f)
}
