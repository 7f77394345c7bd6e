package schema

import (
	"fmt"
	"slices"
	"strings"
)

// Pos is a position in the user's CUE source, relative to the project
// root. The zero Pos means "unknown" and prints as "".
type Pos struct {
	File string
	Line int
	Col  int
}

// IsValid reports whether p names a place in a file.
func (p Pos) IsValid() bool { return p.File != "" }

func (p Pos) String() string {
	if p.File == "" {
		return ""
	}
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Less orders positions by file, line and column; unknown positions last.
func (p Pos) Less(q Pos) bool {
	if p.File != q.File {
		if p.File == "" || q.File == "" {
			return q.File == ""
		}
		return p.File < q.File
	}
	if p.Line != q.Line {
		return p.Line < q.Line
	}
	return p.Col < q.Col
}

// Positions maps a field path below an entity ("port", "public[0]",
// "needs[2].service", "compose.ports") to where it was written. Entities
// keep them so that any rule or generator can point at the exact value.
type Positions map[string]Pos

// Platform is the validated model every generator reads. Slices are
// sorted (ranges by first port, hosts and services by name), so that
// iterating them is deterministic.
type Platform struct {
	Name       string   `json:"name"`
	Domain     string   `json:"domain"`
	Principles []string `json:"principles"`
	Ranges     []*Range
	Hosts      []*Host
	Services   []*Service
	Outputs    Outputs
	Prometheus *Prometheus

	// Root is the project root directory; output paths are relative to it.
	Root string
	// SourceFiles are the user's CUE files, relative to Root, sorted.
	SourceFiles []string
	// Source is the bytes the model was made from.
	Source *Source
	// Warnings are problems that do not fail a run (a service off its
	// plan, a range nearly full), sorted by position.
	Warnings Diagnostics

	ranges   map[string]*Range
	hosts    map[string]*Host
	services map[string]*Service
	// resolved is set when every reference of the model names
	// something that exists (see resolve).
	resolved bool
	// broken are the entities ("services.x") left out of a model made
	// of the parts of a source that evaluate (see partialExport).
	broken map[string]bool
}

// Range returns the named range, or nil.
func (p *Platform) Range(name string) *Range { return p.ranges[name] }

// Host returns the named host, or nil.
func (p *Platform) Host(name string) *Host { return p.hosts[name] }

// Service returns the named service, or nil.
func (p *Platform) Service(name string) *Service { return p.services[name] }

// index builds the name lookups; it is called once the slices are final.
func (p *Platform) index() {
	p.ranges = make(map[string]*Range, len(p.Ranges))
	for _, r := range p.Ranges {
		p.ranges[r.Name] = r
	}
	p.hosts = make(map[string]*Host, len(p.Hosts))
	for _, h := range p.Hosts {
		p.hosts[h.Name] = h
	}
	p.services = make(map[string]*Service, len(p.Services))
	for _, s := range p.Services {
		p.services[s.Name] = s
	}
}

// Outputs are the generated files' paths, relative to the project root.
type Outputs struct {
	PortDoc    string   `json:"port_doc"`
	Prometheus string   `json:"prometheus"`
	EnvDir     string   `json:"env_dir"`
	AlertRules []string `json:"alert_rules"`
	Alerts     string   `json:"alerts"`
	URLDoc     string   `json:"url_doc"`
	Pos        Positions
}

// Range is a named block of ports with a purpose.
type Range struct {
	Name     string
	From     int     `json:"from"`
	To       int     `json:"to"`
	Purpose  string  `json:"purpose"`
	Note     string  `json:"note"`
	WarnFull float64 `json:"warn_full"`
	// Acknowledge gives the reason for each kind of warning the range
	// is known to have (see Acknowledged).
	Acknowledge map[string]string `json:"acknowledge"`
	Pos         Positions
}

// Contains reports whether port lies in the range.
func (r *Range) Contains(port int) bool { return port >= r.From && port <= r.To }

// Size is the number of ports in the range.
func (r *Range) Size() int { return r.To - r.From + 1 }

// Host kinds.
const (
	KindCompose       = "compose"
	KindScheduledTask = "scheduled-task"
	KindLaunchd       = "launchd"
	KindSystemd       = "systemd"
	KindManual        = "manual"
	KindCluster       = "cluster"
)

// How other hosts reach a host's services.
const (
	ReachLAN    = "lan"
	ReachPublic = "public"
	ReachNone   = "none"
)

// Host is a machine, or a Kubernetes cluster.
type Host struct {
	Name    string
	Title   string       `json:"title"`
	Kind    string       `json:"kind"`
	Address string       `json:"address"`
	Reach   string       `json:"reach"`
	Compose *ComposeHost `json:"compose"`
	Cluster *Cluster     `json:"cluster"`
	Tunnel  *Tunnel      `json:"tunnel"`
	Pos     Positions
	// Services are the services that run on the host, sorted by name
	// (see resolve).
	Services []*Service `json:"-"`
}

// ComposeHost holds what a compose host declares for its compose file.
type ComposeHost struct {
	Project       string `json:"project"`
	ContainerName string `json:"container_name"`
	// Output is the compose file's path; "" means the default.
	Output        string         `json:"output"`
	SecretsOutput string         `json:"secrets_output"`
	Volumes       map[string]any `json:"volumes"`
	Networks      map[string]any `json:"networks"`
	Secrets       map[string]any `json:"secrets"`
	Configs       map[string]any `json:"configs"`
	Logs          *Logs          `json:"logs"`
	// Dotenv are the hand-written dotenv files compose reads on the
	// host; none means the .env beside the compose file.
	Dotenv []string `json:"dotenv,omitempty"`
	// Variables are the host's own variables compose interpolates, in
	// the order written.
	Variables []Variable `json:"variables"`
}

// Declares reports whether the host lists name under compose.variables.
func (c *ComposeHost) Declares(name string) bool {
	return c != nil && slices.ContainsFunc(c.Variables, func(v Variable) bool { return v.Name == name })
}

// Variable is a variable of a compose host's environment that compose
// keys read and no service declares.
type Variable struct {
	Name string `json:"name"`
	// Secret is set for a value kept out of version control.
	Secret      bool   `json:"secret"`
	Description string `json:"description"`
}

// Tunnel is a cloudflared tunnel run on a host.
type Tunnel struct {
	ID              string         `json:"id"`
	CredentialsFile string         `json:"credentials_file"`
	Output          string         `json:"output"`
	OriginRequest   map[string]any `json:"origin_request"`
	Rules           []TunnelRule   `json:"rules"`
}

// TunnelRule is an extra ingress rule written by hand in the source.
type TunnelRule struct {
	Hostname      string         `json:"hostname"`
	Path          string         `json:"path"`
	Service       string         `json:"service"`
	Comment       string         `json:"comment"`
	OriginRequest map[string]any `json:"origin_request"`
}

// Service is one service of the platform.
type Service struct {
	Name          string
	Host          string               `json:"host"`
	Port          int                  `json:"port"`
	ContainerPort int                  `json:"container_port"`
	Protocol      string               `json:"protocol"`
	HostIPs       []string             `json:"host_ips"`
	Publish       bool                 `json:"publish"`
	Ports         map[string]NamedPort `json:"ports"`
	Scheme        string               `json:"scheme"`
	PortEnv       string               `json:"port_env"`
	Range         string               `json:"range"`
	Runtime       string               `json:"runtime"`
	Description   string               `json:"description"`
	Tier          string               `json:"tier"`
	Deployed      bool                 `json:"deployed"`
	Profiles      []string             `json:"profiles"`
	Planned       *Planned             `json:"planned"`
	Exception     string               `json:"exception"`
	FrontendOf    string               `json:"frontend_of"`
	Container     string               `json:"container"`
	Public        []Public             `json:"public"`
	Metrics       *Metrics             `json:"metrics"`
	Probes        []Probe              `json:"probes"`
	Needs         []Need               `json:"needs"`
	Env           map[string]EnvValue  `json:"env"`
	Secrets       []Secret             `json:"secrets"`
	EnvFiles      []string             `json:"env_files"`
	// Acknowledge gives the reason for each kind of warning the service
	// is known to have (see Acknowledged).
	Acknowledge map[string]string `json:"acknowledge"`
	// Compose is the pass-through block of ordinary compose keys, as
	// decoded from JSON (maps, slices, strings, float64, bool).
	Compose map[string]any `json:"compose"`
	// Alert is the service's own paging, nil where it sets none.
	Alert *Paging `json:"alert"`
	Pos   Positions
	// portPos is where the main port is written, looked up once (see
	// setPositions): every URL, env file and collision check of the
	// platform asks for the main port again.
	portPos      Pos
	portPosKnown bool
	// portNames are the named ports' names, sorted, and portNamePos
	// where each one's port is written, in the same order: looked up
	// once too, for the checks and generators that ask for every port
	// of every service.
	portNames   []string
	portNamePos []Pos
	// allPorts is AllPorts as the loaded model has it, made once: the
	// model is not changed once loaded.
	allPorts []PortRef
	// HostRef and RangeRef are the host and the range the service
	// names, resolved once (see resolve).
	HostRef  *Host  `json:"-"`
	RangeRef *Range `json:"-"`
}

// NamedPort is an extra port of a service.
type NamedPort struct {
	Port          int      `json:"port"`
	ContainerPort int      `json:"container_port"`
	Protocol      string   `json:"protocol"`
	HostIPs       []string `json:"host_ips"`
	Publish       bool     `json:"publish"`
	Scheme        string   `json:"scheme"`
}

// MainPort is the name of a service's main port in port lists.
const MainPort = ""

// PortRef is one port of a service, main or named, flattened.
type PortRef struct {
	Service *Service
	// Name is MainPort for the main port.
	Name          string
	Port          int
	ContainerPort int
	Protocol      string
	// HostIPs are the addresses the port is published on; none means
	// every address.
	HostIPs []string
	Publish bool
	Scheme  string
	Pos     Pos
}

// Label is "service" or "service:name", for messages.
func (r PortRef) Label() string {
	if r.Name == MainPort {
		return r.Service.Name
	}
	return r.Service.Name + ":" + r.Name
}

// AllPorts returns the main port then the named ports sorted by name.
func (s *Service) AllPorts() []PortRef {
	if s.allPorts != nil {
		return s.allPorts[:len(s.allPorts):len(s.allPorts)] // an append copies
	}
	out := make([]PortRef, 0, 1+len(s.Ports))
	out = append(out, s.mainPort())
	names := s.portNames
	if !s.portPosKnown {
		names = sortedKeys(s.Ports)
	}
	for _, name := range names {
		out = append(out, s.namedPort(name, s.Ports[name]))
	}
	return out
}

// mainPort is the main port as a PortRef.
func (s *Service) mainPort() PortRef {
	pos := s.portPos
	if !s.portPosKnown {
		pos = s.At("port")
	}
	return PortRef{Service: s, Name: MainPort, Port: s.Port, ContainerPort: s.ContainerPort,
		Protocol: s.MainProtocol(), HostIPs: s.HostIPs, Publish: s.Publish, Scheme: s.Scheme, Pos: pos}
}

// setPositions sets where the service's fields are written.
func (s *Service) setPositions(ps Positions) {
	s.Pos = ps
	s.portPos = s.At("port")
	s.portNames = sortedKeys(s.Ports)
	s.portNamePos = make([]Pos, len(s.portNames))
	for i, name := range s.portNames {
		s.portNamePos[i] = s.At("ports." + name + ".port")
	}
	s.portPosKnown = true
	s.allPorts = nil
	s.allPorts = s.AllPorts()
}

// namedPortPos is where the port of the named port is written.
func (s *Service) namedPortPos(name string) Pos {
	if s.portPosKnown {
		if i, ok := slices.BinarySearch(s.portNames, name); ok {
			return s.portNamePos[i]
		}
	}
	return s.At("ports." + name + ".port")
}

// namedPort is the named port np as a PortRef; its scheme defaults to
// the service's.
func (s *Service) namedPort(name string, np NamedPort) PortRef {
	scheme := np.Scheme
	if scheme == "" {
		scheme = s.Scheme
	}
	return PortRef{Service: s, Name: name, Port: np.Port, ContainerPort: np.ContainerPort,
		Protocol: np.Protocol, HostIPs: np.HostIPs, Publish: np.Publish, Scheme: scheme, Pos: s.namedPortPos(name)}
}

// MainProtocol is the main port's protocol, tcp unless the source says
// otherwise (a Service built in Go may leave it empty).
func (s *Service) MainProtocol() string {
	if s.Protocol == "" {
		return "tcp"
	}
	return s.Protocol
}

// PortNamed returns the main port for "" and a named port otherwise.
// It builds only the port asked for: generators ask for one port of
// every service they route, and building all of them each time
// (positions included) was a measurable share of a large run.
func (s *Service) PortNamed(name string) (PortRef, bool) {
	if name == MainPort {
		return s.mainPort(), true
	}
	np, ok := s.Ports[name]
	if !ok {
		return PortRef{}, false
	}
	return s.namedPort(name, np), true
}

// At returns the position of a field path of the service, falling back to
// its parent paths and to the service itself.
func (s *Service) At(path string) Pos { return lookupPos(s.Pos, path) }

// At returns the position of a field path of the host.
func (h *Host) At(path string) Pos { return lookupPos(h.Pos, path) }

// At returns the position of a field path of the range.
func (r *Range) At(path string) Pos { return lookupPos(r.Pos, path) }

func lookupPos(ps Positions, path string) Pos {
	for {
		if p, ok := ps[path]; ok && p.IsValid() {
			return p
		}
		if path == "" {
			return Pos{}
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			path = ""
		} else {
			path = path[:i]
		}
	}
}

// Planned is the slot a service should move to.
type Planned struct {
	Port  int    `json:"port"`
	Range string `json:"range"`
	// RangeRef is the range the slot lies in: Range, or the service's
	// own range when Range is empty (see resolve).
	RangeRef *Range `json:"-"`
}

// Public is a public hostname of a service, with the path the tunnel
// matches and the named port it routes to.
type Public struct {
	Hostname string `json:"hostname"`
	Path     string `json:"path"`
	Port     string `json:"port"`
}

// Metrics says how Prometheus scrapes a service.
type Metrics struct {
	Job      string            `json:"job"`
	Path     string            `json:"path"`
	Interval string            `json:"interval"`
	Scheme   string            `json:"scheme"`
	Port     string            `json:"port"`
	Labels   map[string]string `json:"labels"`
}

// Probe is a blackbox probe of a service's public URLs.
type Probe struct {
	Job      string `json:"job"`
	Path     string `json:"path"`
	Hostname string `json:"hostname"`
}

// Need is a dependency of a service on another; it becomes a URL in the
// service's environment, unless NoURL, and starts the target first on
// the same compose host, if Depends.
type Need struct {
	Service string `json:"service"`
	Env     string `json:"env"`
	Port    string `json:"port"`
	// From is the vantage the URL is read from; Home (the default) is
	// where the needing service runs.
	From     VantageKind `json:"from"`
	Scheme   string      `json:"scheme"`
	Path     string      `json:"path"`
	User     string      `json:"user"`
	Password string      `json:"password"`
	Depends  bool        `json:"depends"`
	// NoURL is url: false, a need that only orders the start: it puts
	// no variable in the environment. It is the negative so that a
	// Need built in Go without it keeps its URL.
	NoURL bool `json:"-"`
	// Condition is the start condition the source sets
	// (ConditionStarted, ConditionCompleted), or "" for the default.
	Condition string `json:"condition"`
	// Target is the needed service, resolved once (see resolve).
	Target *Service `json:"-"`
}

// ConditionStarted is a need's start condition that waits only for the
// target's container to start, even where it has a healthcheck.
const ConditionStarted = "started"

// ConditionCompleted is a need's start condition that waits for the
// target to exit successfully (compose's service_completed_successfully).
const ConditionCompleted = "completed"

// EnvName is the variable that receives the need's URL; a need with
// NoURL has none.
func (n Need) EnvName() string {
	if n.Env != "" {
		return n.Env
	}
	return EnvNameOf(n.Service) + "_URL"
}

// EnvNameOf turns a service name into an upper snake case variable name.
func EnvNameOf(name string) string {
	return strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// Secret is a secret passed to a service by name, never by value.
type Secret struct {
	Env  string `json:"env"`
	From string `json:"from"`
}

// EnvValue is a plain environment value as written in the source.
type EnvValue struct {
	Value string
}

// Prometheus configures the generated scrape config.
type Prometheus struct {
	Host string `json:"host"`
	// Vantage is where Prometheus runs on its host: InNetwork (the
	// source's "compose") or OnHost ("host").
	Vantage   VantageKind         `json:"vantage"`
	Global    map[string]any      `json:"global"`
	Alerting  map[string]any      `json:"alerting"`
	RuleFiles []string            `json:"rule_files"`
	Jobs      []map[string]any    `json:"jobs"`
	Probes    map[string]ProbeJob `json:"probes"`
	Alerts    *Alerts             `json:"alerts"`
	Pos       Positions
	// HostRef is the host Prometheus runs on, resolved once (see
	// resolve).
	HostRef *Host `json:"-"`
}

// ProbeJob is a blackbox probe job.
type ProbeJob struct {
	Module   string `json:"module"`
	Exporter string `json:"exporter"`
	Interval string `json:"interval"`
	// ExporterRef is the exporter service, resolved once (see resolve).
	ExporterRef *Service `json:"-"`
}
