package audit

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"portschema/schema/adoption/handwritten"
)

// docMode is how the audit reads a part of the port doc.
type docMode int

const (
	// claim: the text states how things are; contradictions are findings.
	claim docMode = iota
	// plan: the text says it is a plan (aspirational, target, proposed);
	// a service not where the plan puts it is the plan's business.
	plan
	// reality: a section that says it describes the present ("Real ports
	// today"), checked even inside a plan.
	reality
)

var (
	planDocWords = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(aspirational|target state|proposed|proposal|not yet (?:deployed|implemented|in place))\b`)
	})
	planTitle = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(plan|planned|target|aspirational|proposed|proposal|future|roadmap|draft)\b`)
	})
	realityTitle = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(real|reality|today|current|currently|actual|live|in production|deployed)\b`)
	})
	ipAddress = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`) })
	// namePort finds "mana-auth 3001" in list text (code marks already
	// removed by the reader).
	namePort = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)\b([a-z][a-z0-9_-]*[a-z0-9])\s+(\d{2,5})\b`) })
	// planRow finds a row that says its service does not run (yet).
	planRow = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(not (?:yet )?deployed|not running|planned|proposed|retired|decommissioned|future)\b`)
	})
)

func (a *auditor) checkDocs() {
	if len(a.files.Compose) == 0 {
		return
	}
	for _, d := range a.files.AllDocs() {
		modes := sectionModes(d)
		a.checkDoc(d, modes)
		a.checkDocRoutes(d, modes)
		a.checkPlannedPorts(d, modes)
	}
}

// checkDoc checks the ports a doc gives services, in its tables and
// lists, where it states facts.
func (a *auditor) checkDoc(d *handwritten.Doc, modes []docMode) {
	unpublished := docUnpublished(d)
	for i, s := range d.Sections {
		if modes[i] == plan {
			continue
		}
		for _, item := range s.Items {
			if ipAddress().MatchString(item.Lead) {
				continue // a list about another host, which the audit cannot see
			}
			a.checkDocItem(item, internalWords().MatchString(s.Title+"\n"+item.Lead+"\n"+item.Text))
		}
	}
	hosts := a.learnDocHosts(d)
	for _, row := range d.PortRows() {
		sec := d.Tables[row.Table].Section
		if modes[sec] == plan || ipAddress().MatchString(d.Sections[sec].Title+" "+d.Sections[sec].Text) {
			continue
		}
		cells := d.Tables[row.Table].Rows[row.Row].Cells
		if planRow().MatchString(strings.Join(cells, " | ")) {
			continue
		}
		if hosts.elsewhere(rowHost(d, row)) {
			continue // a service of a machine no audited file describes
		}
		internal := unpublished[strings.ToLower(row.Name)] ||
			internalWords().MatchString(d.Sections[sec].Title+"\n"+strings.Join(cells, " | "))
		a.checkDocRow(row, internal, a.routesAny(cells))
		a.checkDocHost(d, hosts, row)
	}
}

// sectionModes decides per section: a title saying reality or plan rules
// it and its subsections; otherwise a doc that calls itself a plan before
// its first table is a plan throughout.
func sectionModes(d *handwritten.Doc) []docMode {
	whole := claim
	firstTable := len(d.Sections)
	if len(d.Tables) > 0 {
		firstTable = d.Tables[0].Section + 1
	}
	for _, s := range d.Sections[:firstTable] {
		if planDocWords().MatchString(s.Title + "\n" + s.Text) {
			whole = plan
		}
	}
	modes := make([]docMode, len(d.Sections))
	for i, s := range d.Sections {
		switch {
		case realityTitle().MatchString(s.Title):
			modes[i] = reality
		case planTitle().MatchString(s.Title):
			modes[i] = plan
		case s.Parent >= 0:
			modes[i] = modes[s.Parent]
		default:
			modes[i] = whole
		}
	}
	return modes
}

// checkDocItem checks "service port" pairs in a list item; internal is
// true when the item or its section says the ports are not on the host.
func (a *auditor) checkDocItem(item handwritten.ListItem, internal bool) {
	for _, m := range namePort().FindAllStringSubmatch(item.Text, -1) {
		s := a.world.lookup(m[1], nil)
		port, err := strconv.Atoi(m[2])
		if s == nil || err != nil {
			continue
		}
		a.checkDocPort(m[1], s, handwritten.PortRange{From: port, To: port}, item.Pos, internal)
	}
}

// checkDocRow checks a table row of a doc part that states facts;
// internal is true when the doc says the row's port is not published,
// routed when a tunnel routes a host name the row gives (the service is
// then known, on a machine the tunnel reaches).
func (a *auditor) checkDocRow(row handwritten.PortRow, internal, routed bool) {
	if row.Reserved {
		for p := row.Ports.From; p <= row.Ports.To; p++ {
			for _, pub := range a.world.published[p] {
				a.add(DocMismatch,
					fmt.Sprintf("the doc marks port %d as reserved, but %s publishes it", p, pub.svc.Name),
					row.Pos, pub.mapping.Pos)
			}
		}
		return
	}
	s := a.world.lookup(row.Name, nil)
	if s == nil {
		if !routed && !a.knownElsewhere(row.Name) && !a.world.knownInForm(row.Name) && !a.portInUse(row.Ports) {
			a.add(DocRowUnknown,
				fmt.Sprintf("the doc lists %s on port %s, but no audited file knows a service of that name and nothing publishes the port", row.Name, rangeText(row.Ports)),
				row.Pos)
		}
		return
	}
	a.checkDocPort(row.Name, s, row.Ports, row.Pos, internal)
}

// knownElsewhere reports whether a name appears as a Prometheus job or the
// first label of a tunnel hostname: a service on a host compose does not
// describe is still a service.
func (a *auditor) knownElsewhere(name string) bool {
	name = strings.ToLower(name)
	if p := a.files.Prometheus; p != nil {
		for _, j := range p.Jobs {
			if strings.EqualFold(j.Name, name) {
				return true
			}
		}
	}
	for _, f := range a.files.Cloudflared {
		for _, r := range f.Rules {
			label, _, _ := strings.Cut(strings.ToLower(r.Hostname), ".")
			if label != "" && (label == name || strings.HasSuffix(name, "-"+label)) {
				return true
			}
		}
	}
	return false
}

func (a *auditor) portInUse(r handwritten.PortRange) bool {
	for p := r.From; p <= r.To; p++ {
		if len(a.world.published[p]) > 0 {
			return true
		}
	}
	return false
}

func rangeText(r handwritten.PortRange) string {
	if r.From == r.To {
		return strconv.Itoa(r.From)
	}
	return fmt.Sprintf("%d-%d", r.From, r.To)
}

// hasPort reports whether the doc's port for the service is one of its
// host ports or container ports: a doc may mean either.
func (s *service) hasPort(p int) bool {
	if _, ok := s.publishes(p); ok {
		return true
	}
	listens, _ := s.listensOn(p)
	return listens
}

// portSummary renders the service's ports for a doc finding.
func (s *service) portSummary() string {
	if len(s.listen) > 0 {
		return s.listenSummary()
	}
	var parts []string
	for _, m := range s.Ports {
		parts = append(parts, portMappingText(m))
	}
	return strings.Join(parts, ", ")
}

func (s *service) portPositions() []Location {
	out := s.listenPositions()
	for _, m := range s.Ports {
		out = append(out, m.Pos)
	}
	return out
}

// checkPlannedPorts reports a row of a plan that gives a service a port
// another service publishes today: the plan cannot be carried out
// before that service moves. A publisher in another compose file than
// the planned service's may be on another machine, and is left alone.
func (a *auditor) checkPlannedPorts(d *handwritten.Doc, modes []docMode) {
	for _, row := range d.PortRows() {
		if modes[d.Tables[row.Table].Section] != plan || row.Reserved || row.Name == "" {
			continue
		}
		planned := a.world.lookup(row.Name, nil)
		if planned == nil {
			planned = a.world.inForm(row.Name)
		}
		for p := row.Ports.From; p <= row.Ports.To; p++ {
			if planned != nil && planned.publishedAs(p) {
				break // it holds the port already; a second holder is a collision
			}
			pub, ok := a.otherPublisher(p, planned)
			if !ok {
				continue
			}
			a.add(DocPlanPortTaken,
				fmt.Sprintf("the plan gives %s port %d, but %s publishes it today", row.Name, p, pub.svc.Name),
				row.Pos, pub.mapping.Pos)
			break
		}
	}
}

// otherPublisher finds a service other than the planned one that
// publishes port p.
func (a *auditor) otherPublisher(p int, planned *service) (publication, bool) {
	for _, pub := range a.world.published[p] {
		if planned == nil || !sameNamespace(pub.svc, planned) && pub.svc.file == planned.file {
			return pub, true
		}
	}
	return publication{}, false
}
