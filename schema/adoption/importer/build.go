package importer

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// builder accumulates the source while the inputs are read, with the
// lookups every later step needs: services by the names containers use
// on a compose network, by host port, by LAN address and by public
// hostname.
type builder struct {
	in       *Parsed
	shape    *schema.Shape
	src      *Source
	findings []Finding

	serviceNames nameSet
	hostNames    nameSet
	rangeNames   nameSet

	hosts    map[string]*schema.Host
	svcs     []*svc
	byName   map[string]*svc
	dns      map[string]map[string]*svc // host -> name on its compose network
	hostPort map[string]map[int]*svc    // host -> published port -> owner
	lan      map[string]*schema.Host    // address -> host
	public   map[string]*svc            // hostname+path -> service
	claimed  map[string]bool            // hostnames+paths taken by services or rules

	doc *docFacts
	// secretVariables are the variables standing for the secrets taken
	// out of compose keys, as host+"\x00"+name.
	secretVariables map[string]bool
}

// svc is a service being built, with what import knows of its origin
// and the comments and key orders it will be written with.
type svc struct {
	*schema.Service
	Notes Notes
	// portOrder, envOrder and composeOrder are the keys of Ports, Env
	// and Compose in the order the inputs wrote them.
	portOrder, envOrder, composeOrder []string

	origin    *handwritten.ComposeService
	raw       []handwritten.Field
	dependsOn map[string]string // compose depends_on target (original name) -> condition
	// starts are the services depends_on starts first, resolved on the
	// compose network, with the condition their need says.
	starts map[*svc]string
	pos    handwritten.Pos
	// portless is set when no input says which port the service uses.
	portless bool
	docRow   *docRow
	// needValues are the environment entries each need replaced, so a
	// need that cannot stay can turn back into its value.
	needValues []envVar
}

// envVar is an environment entry as a need replaced it.
type envVar struct{ name, value string }

// Build turns parsed inputs into a source that obeys every rule of the
// definitions and of schema.Load, and lists the findings: each place
// where the inputs disagreed or broke a rule, and what was done.
func Build(in *Parsed) (*Source, []Finding, error) {
	shape, err := schema.SourceShape()
	if err != nil {
		return nil, nil, err
	}
	b := &builder{
		in:              in,
		shape:           shape,
		src:             &Source{Platform: &schema.Platform{}, Notes: map[string]Notes{}, Order: map[string][]string{}},
		serviceNames:    nameSet{},
		hostNames:       nameSet{},
		rangeNames:      nameSet{},
		hosts:           map[string]*schema.Host{},
		byName:          map[string]*svc{},
		dns:             map[string]map[string]*svc{},
		hostPort:        map[string]map[int]*svc{},
		lan:             map[string]*schema.Host{},
		public:          map[string]*svc{},
		secretVariables: map[string]bool{},
		claimed:         map[string]bool{},
	}
	b.readDoc()
	for i := range in.Compose {
		b.addComposeFile(&in.Compose[i])
	}
	b.addLANTargets()
	for i := range in.Tunnels {
		b.addTunnel(i, &in.Tunnels[i])
	}
	b.addPrometheus()
	b.inferSchemes()
	for _, s := range b.svcs {
		if s.origin != nil {
			b.readEnvironment(s)
		}
	}
	b.applyDoc()
	b.assignRanges()
	b.resolveHostPorts()
	b.resolveContainers()
	b.addAlertRules()
	b.addPromtail()
	b.fixNeeds()
	b.stripSecrets()
	b.declareVariables()
	b.finish()
	return b.src, b.findings, nil
}

// finding records a decision for the report.
func (b *builder) finding(kind string, pos handwritten.Pos, format string, args ...any) {
	b.findings = append(b.findings, Finding{Kind: kind, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// addHost registers a host under a unique name.
func (b *builder) addHost(h *schema.Host) *schema.Host {
	h.Name = b.hostNames.claim(h.Name)
	b.hosts[h.Name] = h
	b.src.Platform.Hosts = append(b.src.Platform.Hosts, h)
	if h.Address != "" {
		b.lan[h.Address] = h
	}
	return h
}

// addService registers a service under a unique, valid name; the
// original name is kept in a comment when it had to change.
func (b *builder) addService(s *svc, original string) {
	name := SanitizeName(original, "service")
	s.Name = b.serviceNames.claim(name)
	if s.Notes == nil {
		s.Notes = Notes{}
	}
	if s.Name != original {
		s.Notes.Add("", fmt.Sprintf("imported from %q, renamed to a valid service name", original))
		b.finding("renamed", s.pos, "service %q is imported as %q (names are lower-case letters, digits and dashes)", original, s.Name)
	}
	b.svcs = append(b.svcs, s)
	b.byName[s.Name] = s
}

// claimHostPort records the first service publishing a port on a host;
// later ones are moved by resolveHostPorts.
func (b *builder) claimHostPort(host string, port int, s *svc) {
	m := b.hostPort[host]
	if m == nil {
		m = map[int]*svc{}
		b.hostPort[host] = m
	}
	if _, taken := m[port]; !taken {
		m[port] = s
	}
}

// hostNotes are the comments of a host.
func (b *builder) hostNotes(h *schema.Host) Notes { return b.src.notes("hosts." + h.Name) }

// rangeNotes are the comments of a range.
func (b *builder) rangeNotes(r *schema.Range) Notes { return b.src.notes("ranges." + r.Name) }

// finish sorts the source for output and fills the platform block.
func (b *builder) finish() {
	p := b.src.Platform
	for _, s := range b.svcs {
		p.Services = append(p.Services, s.Service)
		s.hoistNotes()
		key := "services." + s.Name
		b.src.Notes[key] = s.Notes
		b.src.Order[key+".ports"] = s.portOrder
		b.src.Order[key+".env"] = s.envOrder
		b.src.Order[key+".compose"] = s.composeOrder
	}
	sort.SliceStable(p.Ranges, func(i, j int) bool { return p.Ranges[i].From < p.Ranges[j].From })
	p.Domain = b.commonDomain()
	switch {
	case p.Domain != "":
		p.Name = SanitizeName(strings.Split(p.Domain, ".")[0], "platform")
	case len(p.Hosts) > 0 && p.Hosts[0].Compose != nil:
		p.Name = SanitizeName(p.Hosts[0].Compose.Project, "platform")
	default:
		p.Name = "platform"
	}
	var from []string
	for _, c := range b.in.Compose {
		from = append(from, baseName(c.File.Path))
	}
	for _, t := range b.in.Tunnels {
		from = append(from, baseName(t.File.Path))
	}
	if b.in.Prometheus != nil {
		from = append(from, baseName(b.in.Prometheus.File.Path))
	}
	if b.in.Doc != nil {
		from = append(from, baseName(b.in.Doc.Path))
	}
	for _, f := range b.in.AlertRules {
		from = append(from, baseName(f.Path))
	}
	for _, p := range b.in.Promtail {
		from = append(from, baseName(p.File.Path))
	}
	b.src.Header = append(b.src.Header, "Imported by `portschema import` from "+strings.Join(from, ", ")+".",
		"Comments in these files mark every place where import resolved a",
		"disagreement between the inputs or a rule they broke; review them.")
}

// commonDomain is the parent domain most public hostnames share.
func (b *builder) commonDomain() string {
	count := map[string]int{}
	for _, s := range b.svcs {
		for _, p := range s.Public {
			labels := strings.Split(strings.TrimPrefix(p.Hostname, "*."), ".")
			if len(labels) >= 2 {
				count[strings.Join(labels[len(labels)-2:], ".")]++
			}
		}
	}
	best := ""
	for _, d := range slices.Sorted(maps.Keys(count)) {
		if count[d] > count[best] {
			best = d
		}
	}
	if !hostnameRE().MatchString(best) {
		return ""
	}
	return best
}

// baseName is the last element of a slash- or backslash-separated path.
func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}

// where renders a position with the file's base name only, for comments
// in the source: the directory an input was read from says nothing
// about the platform.
func where(p handwritten.Pos) string {
	if !p.IsValid() {
		return baseName(p.File)
	}
	return fmt.Sprintf("%s:%d", baseName(p.File), p.Line)
}
