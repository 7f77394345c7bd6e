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

// Finding is one inconsistency. Its JSON form is stable: scripts may
// rely on every field.
type Finding struct {
	Kind Kind `json:"kind"`
	// Rule is the rule the files break, in one line.
	Rule       string     `json:"rule"`
	Confidence Confidence `json:"confidence"`
	Message    string     `json:"message"`
	// Locations lists every party, the place to fix first.
	Locations []Location `json:"locations"`
	// Fix says what to do, in words.
	Fix string `json:"fix"`
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
	a.checkDocs()
	a.checkAlerts()
	a.checkLogs()
	a.checkEnvFiles()
	a.out.sort()
	return a.out
}

// auditor carries the parsed files and the findings of one audit.
type auditor struct {
	files handwritten.Files
	world *world
	out   Findings
}

// add records a finding with its kind's confidence and fix, and returns
// it for the caller to make either more precise; locations that name no
// line are dropped.
func (a *auditor) add(kind Kind, message string, locs ...Location) *Finding {
	info := kinds[kind]
	f := Finding{Kind: kind, Rule: info.rule, Confidence: info.confidence, Fix: info.fix, Message: clean(message)}
	seen := map[Location]bool{}
	for _, l := range locs {
		if l.IsValid() && !seen[l] {
			seen[l] = true
			f.Locations = append(f.Locations, l)
		}
	}
	a.out = append(a.out, f)
	return &a.out[len(a.out)-1]
}

// AtLeast keeps the findings as sure as min.
func (fs Findings) AtLeast(min Confidence) Findings {
	var out Findings
	for _, f := range fs {
		if f.Confidence.atLeast(min) {
			out = append(out, f)
		}
	}
	return out
}
