// Package importer turns hand-written configuration (docker compose
// files, cloudflared tunnel configs, a Prometheus config and a Markdown
// port table) into a CUE platform source that `portschema regen`
// regenerates equivalent files from.
//
// The work has two halves. Building reads the inputs into a Source, an
// intermediate value that mirrors schema/definitions.cue field for field
// and carries a comment for every decision import took on the user's
// behalf (a port moved off a collision, a default value of a secret
// dropped, two files that disagreed). Emitting turns the Source into CUE
// syntax trees and formats them with CUE's own formatter, so the files
// read like hand-written ones and the comments sit at the lines they
// explain.
package importer

import "portschema/schema/adoption/handwritten"

// Source is a whole platform source before it is written as CUE. Slices
// are in output order; Build sorts them.
type Source struct {
	Platform   Platform
	Ranges     []*Range
	Hosts      []*Host
	Services   []*Service
	Prometheus *Prometheus
}

// Notes are comments to write above fields of an entity, keyed by the
// field's name ("" is the entity itself; "env.X", "needs" and so on name
// the field whose line the comment explains).
type Notes map[string][]string

// Add appends a comment line for a field.
func (n Notes) Add(field, line string) { n[field] = append(n[field], line) }

// Platform is the platform block.
type Platform struct {
	Name       string
	Domain     string
	Principles []string
	Notes      Notes
}

// Range is a named block of ports.
type Range struct {
	Name    string
	From    int
	To      int
	Purpose string
	Note    string
	Notes   Notes
}

// Contains reports whether port lies in the range.
func (r *Range) Contains(port int) bool { return port >= r.From && port <= r.To }

// Host is a machine.
type Host struct {
	Name    string
	Title   string
	Kind    string
	Address string
	Compose *ComposeHost
	Tunnel  *Tunnel
	Notes   Notes
}

// ComposeHost is the compose block of a compose host.
type ComposeHost struct {
	Project string
	// Blocks are the top-level compose blocks passed through (volumes,
	// networks, secrets, configs), by block name.
	Blocks map[string]any
}

// Tunnel is a cloudflared tunnel.
type Tunnel struct {
	ID              string
	CredentialsFile string
	OriginRequest   map[string]any
	Rules           []TunnelRule
}

// TunnelRule is an ingress rule that routes to no service.
type TunnelRule struct {
	Hostname      string
	Path          string
	Service       string
	Comment       string
	OriginRequest map[string]any
}

// Service is one service.
type Service struct {
	Name          string
	Host          string
	Port          int
	ContainerPort int
	Publish       bool
	Ports         []NamedPort
	Scheme        string
	PortEnv       string
	Range         string
	Runtime       string
	Description   string
	Tier          string
	Deployed      bool
	Planned       *Planned
	Exception     string
	Container     string
	Public        []Public
	Metrics       *Metrics
	Probes        []Probe
	Needs         []Need
	Env           []EnvVar
	Secrets       []Secret
	// Compose are the pass-through compose keys, in the order written.
	Compose []handwritten.Field
	Notes   Notes
}

// NamedPort is an extra port.
type NamedPort struct {
	Name          string
	Port          int
	ContainerPort int
	Protocol      string
	Publish       bool
}

// Planned is the slot a service should move to.
type Planned struct {
	Port  int
	Range string
}

// Public is a public hostname, with the path the tunnel matches and the
// named port it routes to.
type Public struct {
	Hostname string
	Path     string
	Port     string
}

// Metrics says how Prometheus scrapes a service.
type Metrics struct {
	Job      string
	Path     string
	Interval string
	Scheme   string
	Port     string
	Labels   map[string]string
}

// Probe is a blackbox probe of a service's public URLs.
type Probe struct {
	Job      string
	Path     string
	Hostname string
}

// Need is a dependency that becomes a URL in the environment, or, with
// NoURL, only orders the start.
type Need struct {
	Service  string
	Env      string
	Port     string
	From     string
	Scheme   string
	Path     string
	User     string
	Password string
	Depends  bool
	// NoURL is url: false: compose started the target first, but no
	// variable of the service named it.
	NoURL bool
	// Condition is schema.ConditionStarted where compose waited only for
	// a target with a healthcheck to start, or "".
	Condition string
}

// EnvVar is a plain environment value.
type EnvVar struct {
	Name  string
	Value string
}

// Secret is a variable filled from the host's environment.
type Secret struct {
	Env  string
	From string
}

// Field is one key of an ordered mapping passed through.
type Field struct {
	Key   string
	Value any
}

// Prometheus is the prometheus block.
type Prometheus struct {
	Host      string
	Global    map[string]any
	Alerting  map[string]any
	RuleFiles []string
	// Jobs are scrape configs passed through as written.
	Jobs   []map[string]any
	Probes []ProbeJob
	Notes  Notes
}

// ProbeJob is a blackbox probe job.
type ProbeJob struct {
	Name     string
	Module   string
	Exporter string
	Interval string
}
