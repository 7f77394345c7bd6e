package schema

import (
	"fmt"
	"sort"
	"strings"
)

// A warning is about something that may be right: a service that has
// not moved to its planned slot yet, a range that is nearly full. Left
// to repeat on every run, known warnings drown the new one. So a source
// acknowledges a warning where it arises, with a reason, the way
// `exception:` gives the reason for a port outside its range:
//
//	services: mana-llm: acknowledge: "off-plan": "moves once the GPU box is retired"
//
// An acknowledged warning is counted and listed with `vet -v`, no longer
// printed on every run. An acknowledgement of a kind the entity does
// not warn about is itself a warning, so that none outlives its cause.

// Kinds of warnings a service can acknowledge.
const (
	// WarnOffPlan: a service is not at its planned slot yet.
	WarnOffPlan = "off-plan"
	// WarnFrontendDigits: a frontend's port does not end like its
	// backend's.
	WarnFrontendDigits = "frontend-digits"
	// WarnLaptopClash: two services of different hosts share a port, so
	// they cannot all run on one laptop.
	WarnLaptopClash = "laptop-clash"
	// WarnHealthcheckPort: a healthcheck probes a port the service does
	// not declare.
	WarnHealthcheckPort = "healthcheck-port"
	// WarnContainerPrefix: a compose service without its own container
	// name whose host's naming rule repeats the first word of its name
	// (mana-auth-mana-forms).
	WarnContainerPrefix = "container-prefix"
	// WarnUnreadSecret: a secret or password named by one service only,
	// read by nothing else on its host, and a letter or two from a name
	// others use: most likely one secret spelt two ways.
	WarnUnreadSecret = "unread-secret"
	// WarnNeedCredentials: a need's URL lacks a credential its target
	// asks for (password, user, database).
	WarnNeedCredentials = "need-credentials"
	// WarnEnvURLHost: a plain env value holds a URL to a name nothing
	// on the service's compose network is called.
	WarnEnvURLHost = "env-url-host"
)

// Kinds of warnings a range can acknowledge.
const (
	// WarnNearlyFull: a range has few free ports left.
	WarnNearlyFull = "nearly-full"
)

// serviceWarnings and rangeWarnings are the kinds each entity can
// acknowledge, sorted.
func serviceWarnings() []string {
	return []string{WarnContainerPrefix, WarnEnvURLHost, WarnFrontendDigits, WarnHealthcheckPort, WarnLaptopClash, WarnNeedCredentials, WarnOffPlan, WarnUnreadSecret}
}

func rangeWarnings() []string { return []string{WarnNearlyFull} }

// ServiceWarning is a warning of kind about service s, at pos.
func ServiceWarning(s *Service, kind string, pos Pos, related []Pos, format string, args ...any) Diagnostic {
	return Diagnostic{Severity: Warning, Kind: kind, Subject: "services." + s.Name, Pos: pos, Related: related,
		Message: fmt.Sprintf(format, args...)}
}

// rangeWarning is a warning of kind about range r, at pos.
func rangeWarning(r *Range, kind string, pos Pos, format string, args ...any) Diagnostic {
	return Diagnostic{Severity: Warning, Kind: kind, Subject: "ranges." + r.Name, Pos: pos,
		Message: fmt.Sprintf(format, args...)}
}

// checkAcknowledgements: every acknowledgement names a kind of warning
// its entity can have, and gives a reason.
func checkAcknowledgements(c *collector, p *Platform) {
	check := func(acks map[string]string, known []string, what string, at func(string) Pos) {
		for _, kind := range sortedKeys(acks) {
			pos := at("acknowledge." + kind)
			switch {
			case !containsString(known, kind):
				c.errorf(pos, nil, "%s: no warning called %q%s; a %s acknowledges %s",
					what, kind, suggest(kind, known), strings.SplitN(what, " ", 2)[0], strings.Join(known, ", "))
			case len(strings.TrimSpace(acks[kind])) < 3:
				c.errorf(pos, nil, "%s: acknowledging %s needs a reason, in a few words", what, kind)
			}
		}
	}
	for _, s := range p.Services {
		check(s.Acknowledge, serviceWarnings(), "service "+s.Name, s.At)
	}
	for _, r := range p.Ranges {
		check(r.Acknowledge, rangeWarnings(), "range "+r.Name, r.At)
	}
}

// Acknowledged splits warnings into those the source has not
// acknowledged and those it has (each with its Reason), and adds a
// warning for every acknowledgement that no longer matches a warning.
func (p *Platform) Acknowledged(warns Diagnostics) (open, acknowledged Diagnostics) {
	used := map[string]bool{}
	for _, d := range warns {
		acks := p.acknowledgements(d.Subject)
		if reason, ok := acks[d.Kind]; ok && d.Kind != "" {
			used[d.Subject+"\x00"+d.Kind] = true
			d.Reason = reason
			acknowledged = append(acknowledged, d)
			continue
		}
		open = append(open, d)
	}
	for _, s := range p.Services {
		for _, kind := range sortedKeys(s.Acknowledge) {
			if !used["services."+s.Name+"\x00"+kind] && containsString(serviceWarnings(), kind) {
				open = append(open, Diagnostic{Severity: Warning, Pos: s.At("acknowledge." + kind), Message: fmt.Sprintf(
					"%s: acknowledges the warning %s, but vet finds none; remove the acknowledgement", s.Name, kind)})
			}
		}
	}
	for _, r := range p.Ranges {
		for _, kind := range sortedKeys(r.Acknowledge) {
			if !used["ranges."+r.Name+"\x00"+kind] && containsString(rangeWarnings(), kind) {
				open = append(open, Diagnostic{Severity: Warning, Pos: r.At("acknowledge." + kind), Message: fmt.Sprintf(
					"range %s: acknowledges the warning %s, but vet finds none; remove the acknowledgement", r.Name, kind)})
			}
		}
	}
	return open.Sort(), acknowledged.Sort()
}

// acknowledgements are the acknowledgements of the entity at subject
// ("services.x", "ranges.y"), or nil.
func (p *Platform) acknowledgements(subject string) map[string]string {
	kind, name, _ := strings.Cut(subject, ".")
	switch kind {
	case "services":
		if s := p.Service(name); s != nil {
			return s.Acknowledge
		}
	case "ranges":
		for _, r := range p.Ranges {
			if r.Name == name {
				return r.Acknowledge
			}
		}
	}
	return nil
}

func containsString(list []string, s string) bool {
	i := sort.SearchStrings(list, s)
	return i < len(list) && list[i] == s
}
