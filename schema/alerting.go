package schema

import "encoding/json"

// Paging is how a service pages when it is down: the alert's severity
// label and how long the target must be down first. Off is `false` in
// the source: the service never pages. NoProbes is probes: false: its
// failing probes do not page (it is the negative so that a Paging built
// in Go pages on probes, as the source's default does).
type Paging struct {
	Severity string `json:"severity"`
	For      string `json:"for"`
	Off      bool   `json:"-"`
	NoProbes bool   `json:"-"`
}

// UnmarshalJSON accepts a paging struct or false.
func (pg *Paging) UnmarshalJSON(b []byte) error {
	if string(b) == "false" {
		*pg = Paging{Off: true}
		return nil
	}
	type plain Paging
	in := struct {
		*plain
		Probes *bool `json:"probes"`
	}{plain: (*plain)(pg)}
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	pg.NoProbes = in.Probes != nil && !*in.Probes
	return nil
}

// MarshalJSON writes false for a service that never pages, and the
// struct with probes otherwise.
func (pg Paging) MarshalJSON() ([]byte, error) {
	if pg.Off {
		return []byte("false"), nil
	}
	type plain Paging
	return json.Marshal(struct {
		plain
		Probes bool `json:"probes"`
	}{plain(pg), !pg.NoProbes})
}

// Alerts configures the generated alert rules: the paging of the
// services of each tier and of the rest, and the rule groups the team
// wrote by hand, kept as data.
type Alerts struct {
	Tiers   map[string]*Paging `json:"tiers"`
	Default *Paging            `json:"default"`
	Groups  []RuleGroup        `json:"groups"`
}

// RuleGroup is a group of hand-written rules.
type RuleGroup struct {
	Name     string `json:"name"`
	Interval string `json:"interval"`
	Rules    []Rule `json:"rules"`
}

// Rule is a hand-written alerting rule (Alert set) or recording rule
// (Record set).
type Rule struct {
	Alert       string            `json:"alert"`
	Record      string            `json:"record"`
	Expr        string            `json:"expr"`
	For         string            `json:"for"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

// Name is "alert X" or "record X", for messages.
func (r Rule) Name() string {
	if r.Alert != "" {
		return "alert " + r.Alert
	}
	return "record " + r.Record
}

// PagingOf is how service s pages: its own alert, else its tier's
// entry, else the default. It is nil when the source has no alerts
// block or nothing says the service pages, and for alert: false.
func (p *Platform) PagingOf(s *Service) *Paging {
	if p.Prometheus == nil || p.Prometheus.Alerts == nil {
		return nil
	}
	a := p.Prometheus.Alerts
	pg := s.Alert
	if pg == nil && s.Tier != "" {
		pg = a.Tiers[s.Tier]
	}
	if pg == nil {
		pg = a.Default
	}
	if pg == nil || pg.Off {
		return nil
	}
	return pg
}
