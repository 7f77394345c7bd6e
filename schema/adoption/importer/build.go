package importer

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"portschema/schema/adoption/handwritten"
)

// builder accumulates the source while the inputs are read, with the
// lookups every later step needs: services by the names containers use
// on a compose network, by host port, by LAN address and by public
// hostname.
type builder struct {
	in       *Parsed
	src      *Source
	findings []Finding

	serviceNames nameSet
	hostNames    nameSet
	rangeNames   nameSet

	hosts    map[string]*Host
	svcs     []*svc
	byName   map[string]*svc
	dns      map[string]map[string]*svc // host -> name on its compose network
	hostPort map[string]map[int]*svc    // host -> published port -> owner
	lan      map[string]*Host           // address -> host
	public   map[string]*svc            // hostname+path -> service
	claimed  map[string]bool            // hostnames+paths taken by services or rules

	doc *docFacts
}

// svc is a service being built, with what import knows of its origin.
type svc struct {
	*Service
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
	needValues []EnvVar
}

// Build turns parsed inputs into a source that obeys every rule of the
// definitions and of schema.Load, and lists the findings: each place
// where the inputs disagreed or broke a rule, and what was done.
func Build(in *Parsed) (*Source, []Finding) {
	b := &builder{
		in:           in,
		src:          &Source{Platform: Platform{Notes: Notes{}}},
		serviceNames: nameSet{},
		hostNames:    nameSet{},
		rangeNames:   nameSet{},
		hosts:        map[string]*Host{},
		byName:       map[string]*svc{},
		dns:          map[string]map[string]*svc{},
		hostPort:     map[string]map[int]*svc{},
		lan:          map[string]*Host{},
		public:       map[string]*svc{},
		claimed:      map[string]bool{},
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
	b.fixNeeds()
	b.finish()
	return b.src, b.findings
}

// finding records a decision for the report.
func (b *builder) finding(kind string, pos handwritten.Pos, format string, args ...any) {
	b.findings = append(b.findings, Finding{Kind: kind, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// addHost registers a host under a unique name.
func (b *builder) addHost(h *Host) *Host {
	h.Name = b.hostNames.claim(h.Name)
	if h.Notes == nil {
		h.Notes = Notes{}
	}
	b.hosts[h.Name] = h
	b.src.Hosts = append(b.src.Hosts, h)
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

// finish sorts the source for output and fills the platform block.
func (b *builder) finish() {
	for _, s := range b.svcs {
		b.src.Services = append(b.src.Services, s.Service)
	}
	sort.SliceStable(b.src.Ranges, func(i, j int) bool { return b.src.Ranges[i].From < b.src.Ranges[j].From })
	p := &b.src.Platform
	p.Domain = b.commonDomain()
	switch {
	case p.Domain != "":
		p.Name = SanitizeName(strings.Split(p.Domain, ".")[0], "platform")
	case len(b.src.Hosts) > 0 && b.src.Hosts[0].Compose != nil:
		p.Name = SanitizeName(b.src.Hosts[0].Compose.Project, "platform")
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
	p.Notes.Add("", "Imported by `portschema import` from "+strings.Join(from, ", ")+".")
	p.Notes.Add("", "Comments in these files mark every place where import resolved a")
	p.Notes.Add("", "disagreement between the inputs or a rule they broke; review them.")
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
	if !hostnameRE.MatchString(best) {
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
