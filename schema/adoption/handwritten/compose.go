package handwritten

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"
)

// ComposeFile is one docker compose file as written.
type ComposeFile struct {
	Path     string
	Name     string           // top-level `name:`, "" when absent
	Services []ComposeService // in file order
	// ExternalNetworks are the networks the file declares `external`:
	// other projects' containers are on them, under names this file
	// does not list.
	ExternalNetworks []string
	// Remarks are what reading the project as one file changes, for the
	// reader to report (see ReadComposeProject).
	Remarks []Remark

	doc *yamlDoc // the parsed tree, for Ordered
}

// ComposeService is one service of a compose file. Values are as written
// (interpolation is off); fields a reader needs a line for carry a Pos.
type ComposeService struct {
	Name string
	Pos  Pos // the service's key

	ContainerName    string
	ContainerNamePos Pos
	Hostname         string   // `hostname:`
	Aliases          []string // network aliases, from every network, in file order
	NetworkMode      string   // `network_mode:`, e.g. "host"
	Image            string
	Profiles         []string

	Ports       []PortMapping
	Expose      []ExposedPort
	Environment []EnvVar // in file order
	// Command is the command as written, a list joined with spaces. The
	// audit reads flags such as redis' --requirepass from it.
	Command    string
	CommandPos Pos

	// Model is compose-go's canonical form of the service (short syntax
	// expanded, list environment turned into a map), with values as
	// written. Import passes ordinary compose keys through from it.
	Model map[string]any
}

// PortMapping is one published or container-only port of a service. A
// range entry ("3000-3002:3000-3002") gives one PortMapping per port, all
// with the entry's line.
type PortMapping struct {
	Pos Pos
	// Raw is the short-syntax entry as written; "" for the long syntax.
	Raw    string
	HostIP string
	// Published is the host port; 0 when the entry publishes none
	// ("3000" alone) or it depends on a variable without a default.
	Published int
	// PublishedRaw is the host port as written before ExpandDefaults,
	// e.g. "${WEB_PORT:-3000}"; "" when none is written.
	PublishedRaw string
	Target       int    // container port
	Protocol     string // "tcp" unless written
}

// ExposedPort is one `expose:` port (container-only).
type ExposedPort struct {
	Port int
	Pos  Pos
}

// EnvVar is one environment entry of a service.
type EnvVar struct {
	Name  string
	Value string // as written, `${VAR:-x}` kept
	// HasValue is false for `- NAME` and `NAME:` with no value, which
	// take the value from the shell running compose.
	HasValue bool
	Pos      Pos
}

// Remark is one thing a reader could not carry, at its line.
type Remark struct {
	Pos     Pos
	Kind    string
	Message string
}

// Service returns the service called name, or nil.
func (f *ComposeFile) Service(name string) *ComposeService {
	for i := range f.Services {
		if f.Services[i].Name == name {
			return &f.Services[i]
		}
	}
	return nil
}

// Env returns the environment entry called name.
func (s *ComposeService) Env(name string) (EnvVar, bool) {
	for _, e := range s.Environment {
		if e.Name == name {
			return e, true
		}
	}
	return EnvVar{}, false
}

// DNSNames are the names other containers on the compose network reach
// this service by: the service name, container_name, hostname and
// network aliases, without duplicates.
func (s *ComposeService) DNSNames() []string {
	names := []string{s.Name}
	for _, n := range append([]string{s.ContainerName, s.Hostname}, s.Aliases...) {
		if n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// ReadCompose reads and parses the compose file at path.
func ReadCompose(path string) (*ComposeFile, error) {
	data, err := readFile("compose", path)
	if err != nil {
		return nil, err
	}
	return ParseCompose(path, data)
}

// ParseCompose parses a compose file held in data; name is used in
// positions and errors. The file is checked by compose-go's loader
// (YAML, compose JSON schema) with interpolation, includes, extends and
// env_file reading off, so it reads the file alone, as written: an
// override file is read as its own file, not merged into another. A
// YAML alias that refers to a node containing it is an error.
func ParseCompose(name string, data []byte) (*ComposeFile, error) {
	doc, err := parseYAML("compose", name, data)
	if err != nil {
		return nil, err
	}
	if doc.root == nil {
		return nil, fmt.Errorf("compose %s: the file is empty", name)
	}
	f := &ComposeFile{Path: name, Name: scalar(nodeOf(lookup(doc.root, "name"))), doc: doc}
	if services := lookup(doc.root, "services"); services != nil {
		for _, sf := range fields(services.value) {
			s, err := readComposeService(doc, sf)
			if err != nil {
				return nil, err
			}
			f.Services = append(f.Services, s)
		}
	}
	// The loader runs after the line pass, which refuses what would make
	// it slow (a port range of thousands of ports) with a clearer error.
	model, err := loadComposeModel(name, data)
	if err != nil {
		return nil, err
	}
	if nets, ok := model["networks"].(map[string]any); ok {
		for name, n := range nets {
			if m, ok := n.(map[string]any); ok && isTrue(m["external"]) {
				f.ExternalNetworks = append(f.ExternalNetworks, name)
			}
		}
		slices.Sort(f.ExternalNetworks)
	}
	models, _ := model["services"].(map[string]any)
	for i := range f.Services {
		f.Services[i].Model, _ = models[f.Services[i].Name].(map[string]any)
	}
	return f, nil
}

// loadComposeModel runs compose-go's loader for its validation and
// canonical model, reading nothing but data. A panic inside the loader
// on strange input becomes an error: the reader's promise is an error,
// never a crash.
func loadComposeModel(name string, data []byte) (model map[string]any, err error) {
	defer func() {
		if r := recover(); r != nil {
			model, err = nil, fmt.Errorf("compose %s: the compose loader failed on this file: %v", name, r)
		}
	}()
	details := types.ConfigDetails{
		WorkingDir:  filepath.Dir(name),
		ConfigFiles: []types.ConfigFile{{Filename: name, Content: data}},
		Environment: types.Mapping{},
	}
	model, err = loader.LoadModelWithContext(context.Background(), details, func(o *loader.Options) {
		o.SkipInterpolation = true
		o.SkipInclude = true
		o.SkipExtends = true
		o.SkipResolveEnvironment = true
		o.SkipConsistencyCheck = true
		o.ResolvePaths = false
		o.SetProjectName("handwritten", true)
		o.MaxNodeVisits = maxNodeVisits(len(data))
	})
	if err != nil {
		return nil, fmt.Errorf("compose %s: %w", name, err)
	}
	return model, nil
}

// maxNodeVisits is the loader's cap on YAML node visits for a file of
// n bytes. Its default (100,000) refuses a legitimate file of a few
// thousand services; a cap that grows with the file keeps refusing an
// alias bomb, whose visits grow far faster than its bytes, while every
// file whose nodes are written out loads (a node takes at least two
// bytes).
func maxNodeVisits(n int) int {
	return 100_000 + 2*n
}

// isTrue reads a YAML boolean as compose-go's model holds it, written
// or not: true, "true", or a mapping (the old `external: {name: x}`).
func isTrue(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		return strings.EqualFold(t, "true")
	case map[string]any:
		return true
	}
	return false
}

// Networks lists the networks the service is attached to, sorted.
func (s *ComposeService) Networks() []string {
	var out []string
	switch n := s.Model["networks"].(type) {
	case map[string]any:
		for k := range n {
			out = append(out, k)
		}
	case []any:
		for _, x := range n {
			out = append(out, fmt.Sprint(x))
		}
	}
	slices.Sort(out)
	return out
}

func nodeOf(f *field) *yaml.Node {
	if f == nil {
		return nil
	}
	return f.value
}

// readComposeService reads the parts of one service that carry lines.
func readComposeService(doc *yamlDoc, sf field) (ComposeService, error) {
	s := ComposeService{Name: sf.key, Pos: doc.pos(sf.keyN)}
	for _, f := range fields(sf.value) {
		switch f.key {
		case "container_name":
			s.ContainerName, s.ContainerNamePos = scalar(f.value), doc.pos(f.value)
		case "hostname":
			s.Hostname = scalar(f.value)
		case "network_mode":
			s.NetworkMode = scalar(f.value)
		case "image":
			s.Image = scalar(f.value)
		case "profiles":
			s.Profiles = scalarList(f.value)
		case "networks":
			s.Aliases = networkAliases(f.value)
		case "command":
			s.Command, s.CommandPos = strings.Join(scalarList(f.value), " "), doc.pos(f.value)
		case "environment":
			s.Environment = readEnvironment(doc, f.value)
		case "expose":
			s.Expose = readExpose(doc, f.value)
		case "ports":
			ports, err := readPorts(doc, s.Name, f.value)
			if err != nil {
				return s, err
			}
			s.Ports = ports
		}
	}
	return s, nil
}

func networkAliases(n *yaml.Node) []string {
	var out []string
	for _, nf := range fields(n) {
		if a := lookup(nf.value, "aliases"); a != nil {
			out = append(out, scalarList(a.value)...)
		}
	}
	return out
}

// readEnvironment reads the map form (NAME: value) and the list form
// (- NAME=value) of `environment:`.
func readEnvironment(doc *yamlDoc, n *yaml.Node) []EnvVar {
	var out []EnvVar
	for _, f := range fields(n) {
		e := EnvVar{Name: f.key, Pos: doc.pos(f.keyN)}
		if f.value != nil && f.value.Kind == yaml.ScalarNode && !isNull(f.value) {
			e.Value, e.HasValue = f.value.Value, true
		}
		out = append(out, e)
	}
	for _, item := range items(n) {
		if item.Kind != yaml.ScalarNode {
			continue
		}
		name, value, has := strings.Cut(item.Value, "=")
		out = append(out, EnvVar{Name: name, Value: value, HasValue: has, Pos: doc.pos(item)})
	}
	return out
}

func readExpose(doc *yamlDoc, n *yaml.Node) []ExposedPort {
	var out []ExposedPort
	for _, item := range items(n) {
		raw, _ := ExpandDefaults(scalar(item))
		raw, _, _ = strings.Cut(raw, "/")
		from, to, ok := portSpan(raw)
		for p := from; ok && p <= to; p++ {
			out = append(out, ExposedPort{Port: p, Pos: doc.pos(item)})
		}
	}
	return out
}

// portSpan reads "3000" or "3000-3005"; spans over 1000 ports are refused
// so a hostile range cannot make the reader allocate without bound.
func portSpan(s string) (from, to int, ok bool) {
	a, b, isRange := strings.Cut(strings.TrimSpace(s), "-")
	from, ok1 := parsePort(a)
	to, ok2 := from, ok1
	if isRange {
		to, ok2 = parsePort(b)
	}
	if !ok1 || !ok2 || to < from || to-from > 1000 {
		return 0, 0, false
	}
	return from, to, true
}

// readPorts reads `ports:` in short syntax (parsed by compose-go's own
// parser after ExpandDefaults) and long syntax.
func readPorts(doc *yamlDoc, service string, n *yaml.Node) ([]PortMapping, error) {
	var out []PortMapping
	for _, item := range items(n) {
		if item.Kind == yaml.MappingNode {
			out = append(out, readLongPort(doc, item))
			continue
		}
		raw := scalar(item)
		ports, err := readShortPort(raw)
		if err != nil {
			return nil, fmt.Errorf("compose %s:%d: service %q: port %q: %w", doc.name, item.Line, service, raw, err)
		}
		for _, p := range ports {
			p.Pos, p.Raw = doc.pos(item), raw
			out = append(out, p)
		}
	}
	return out, nil
}

func readShortPort(raw string) ([]PortMapping, error) {
	expanded, _ := ExpandDefaults(raw)
	if strings.Count(expanded, "-") > 2 || len(expanded) > 200 {
		return nil, fmt.Errorf("not a port mapping")
	}
	for _, m := range portRange().FindAllStringSubmatch(expanded, -1) {
		from, _ := strconv.Atoi(m[1])
		to, _ := strconv.Atoi(m[2])
		if to-from > 1000 {
			return nil, fmt.Errorf("a range of %d ports is more than this reader expands", to-from+1)
		}
	}
	parsed, err := types.ParsePortConfig(expanded)
	if err != nil {
		return nil, err
	}
	publishedRaw := writtenPublished(raw)
	out := make([]PortMapping, 0, len(parsed))
	for _, p := range parsed {
		m := PortMapping{HostIP: p.HostIP, Target: int(p.Target), Protocol: p.Protocol, PublishedRaw: publishedRaw}
		m.Published, _ = strconv.Atoi(p.Published)
		if m.Protocol == "" {
			m.Protocol = "tcp"
		}
		out = append(out, m)
	}
	return out, nil
}

// portRange finds "from-to" spans in a short-syntax port entry.
var portRange = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(\d{1,9})-(\d{1,9})`) })

// ShortPortColons are the offsets of the ":" that separate the parts of
// a short-syntax port entry as written (IP:published:target/protocol),
// those inside ${...} left out: a variable's default may hold colons.
func ShortPortColons(raw string) (entry string, colons []int) {
	entry, _, _ = strings.Cut(raw, "/")
	depth := 0
	for i, c := range entry {
		switch c {
		case '{':
			depth++
		case '}':
			depth--
		case ':':
			if depth == 0 {
				colons = append(colons, i)
			}
		}
	}
	return entry, colons
}

// writtenPublished is the host-port part of a short-syntax entry as
// written: what precedes the last ":" outside ${...}, minus any host IP.
func writtenPublished(raw string) string {
	raw, colons := ShortPortColons(raw)
	switch len(colons) {
	case 0:
		return ""
	case 1:
		return raw[:colons[0]]
	}
	return raw[colons[len(colons)-2]+1 : colons[len(colons)-1]]
}

func readLongPort(doc *yamlDoc, n *yaml.Node) PortMapping {
	m := PortMapping{Pos: doc.pos(n), Protocol: "tcp"}
	for _, f := range fields(n) {
		v := scalar(f.value)
		expanded, _ := ExpandDefaults(v)
		switch f.key {
		case "target":
			m.Target, _ = strconv.Atoi(expanded)
		case "published":
			m.PublishedRaw = v
			if from, _, ok := portSpan(expanded); ok {
				m.Published = from
			}
		case "host_ip":
			m.HostIP = v
		case "protocol":
			m.Protocol = v
		}
	}
	return m
}
