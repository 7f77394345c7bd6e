package audit

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"portschema/schema/adoption/handwritten"
)

// world indexes the compose services of every compose input: what each
// is called on the network, which ports it listens on inside its
// container, and which host ports it publishes.
type world struct {
	services []*service
	byName   map[string][]*service // DNS name (lower-case) -> services
	// published maps a host port to the services publishing it; a
	// host-network service's listen ports count as published.
	published map[int][]publication
	// extraHosts are names that services map by hand (extra_hosts,
	// links), so a URL naming them is not unknown.
	extraHosts map[string]bool
	// hostUnknown is true when a service on the host's network gives no
	// evidence of its ports: any host port may be its.
	hostUnknown bool
}

// service is one compose service with what the audit derives from it.
type service struct {
	file *handwritten.ComposeFile
	*handwritten.ComposeService
	// listen is the evidence of the ports the service listens on inside
	// its container, in the order found; empty when nothing says.
	listen []evidence
	// sharesWith is the service whose network namespace this one runs
	// in (`network_mode: service:X`), or nil.
	sharesWith *service
}

// hostNetwork reports whether the service shares the host's network, so
// that the ports it listens on are the host's ports.
func (s *service) hostNetwork() bool { return s.NetworkMode == "host" }

// evidence is one statement of a listen port and where it is made.
type evidence struct {
	port int
	pos  handwritten.Pos
	how  string // "PORT=3002", "ports 3002:3002", "expose 3000", "healthcheck"
	// declared is true for PORT itself: the variable by which the
	// service is told where to listen.
	declared bool
}

// publication is one host port published by a service.
type publication struct {
	svc     *service
	mapping handwritten.PortMapping
}

func newWorld(files []*handwritten.ComposeFile) *world {
	w := &world{byName: map[string][]*service{}, published: map[int][]publication{}, extraHosts: map[string]bool{}}
	for _, f := range files {
		for i := range f.Services {
			s := &service{file: f, ComposeService: &f.Services[i]}
			s.listen = listenEvidence(s.ComposeService)
			w.services = append(w.services, s)
			for _, n := range s.DNSNames() {
				key := strings.ToLower(n)
				w.byName[key] = append(w.byName[key], s)
			}
			for _, n := range handNamedHosts(s.Model) {
				w.extraHosts[strings.ToLower(n)] = true
			}
		}
	}
	w.shareNamespaces()
	for _, s := range w.services {
		w.indexPublished(s)
		if s.hostNetwork() && len(s.listen) == 0 {
			w.hostUnknown = true
		}
	}
	return w
}

// shareNamespaces applies `network_mode: service:X`: the service runs in
// X's network namespace, so what it listens on, X's published ports
// lead to. Its evidence is added to X's.
func (w *world) shareNamespaces() {
	for _, s := range w.services {
		owner, ok := strings.CutPrefix(s.NetworkMode, "service:")
		if !ok {
			continue
		}
		x := w.lookup(owner, s.file)
		if x == nil || x == s {
			continue
		}
		s.sharesWith = x
		for _, e := range s.listen {
			if !strings.HasPrefix(e.how, "ports ") {
				e.how = s.Name + " " + e.how
				x.listen = append(x.listen, e)
			}
		}
	}
}

// onExternalNetwork reports whether the service is attached to a network
// its file declares external, where containers of other projects are.
func (s *service) onExternalNetwork() bool {
	for _, n := range s.Networks() {
		if slices.Contains(s.file.ExternalNetworks, n) {
			return true
		}
	}
	return false
}

func (w *world) indexPublished(s *service) {
	if s.hostNetwork() {
		for _, e := range s.listen {
			w.published[e.port] = append(w.published[e.port], publication{svc: s, mapping: handwritten.PortMapping{Pos: e.pos, Published: e.port, Target: e.port, Protocol: "tcp"}})
		}
		return
	}
	for _, p := range s.Ports {
		if p.Published > 0 {
			w.published[p.Published] = append(w.published[p.Published], publication{svc: s, mapping: p})
		}
	}
}

// lookup finds the service a host name reaches, preferring one in the
// compose file the name is used in (from may be nil).
func (w *world) lookup(name string, from *handwritten.ComposeFile) *service {
	cands := w.byName[strings.ToLower(name)]
	for _, s := range cands {
		if s.file == from {
			return s
		}
	}
	if len(cands) > 0 {
		return cands[0]
	}
	return nil
}

// listensOn reports whether evidence shows the service listening on
// port; known is false when there is no evidence at all.
func (s *service) listensOn(port int) (listens, known bool) {
	for _, e := range s.listen {
		if e.port == port {
			return true, true
		}
	}
	return false, len(s.listen) > 0
}

// listenSummary renders the evidence: "3002 (PORT=3002, ports 3002:3002)".
func (s *service) listenSummary() string {
	byPort := map[int][]string{}
	var ports []int
	for _, e := range s.listen {
		if _, ok := byPort[e.port]; !ok {
			ports = append(ports, e.port)
		}
		byPort[e.port] = append(byPort[e.port], e.how)
	}
	var parts []string
	for _, p := range ports {
		parts = append(parts, fmt.Sprintf("%d (%s)", p, strings.Join(byPort[p], ", ")))
	}
	return strings.Join(parts, " and ")
}

// listenPositions are the lines that state the listen ports, or the
// service's own line when only its healthcheck says.
func (s *service) listenPositions() []handwritten.Pos {
	var out []handwritten.Pos
	for _, e := range s.listen {
		if e.pos.IsValid() {
			out = append(out, e.pos)
		}
	}
	if len(out) == 0 {
		out = append(out, s.Pos)
	}
	return out
}

// publishes reports whether the service publishes host port p.
func (s *service) publishes(p int) (handwritten.PortMapping, bool) {
	for _, m := range s.Ports {
		if m.Published == p {
			return m, true
		}
	}
	return handwritten.PortMapping{}, false
}

// isListenEnv tells the environment variables that set a port of the
// service's own: PORT, and the HTTP, metrics, admin and gRPC ports some
// images take. Other *_PORT variables (REDIS_PORT, SMTP_PORT) name the
// port of something the service connects to, and say nothing about it.
func isListenEnv(name string) bool {
	if name == "PORT" {
		return true
	}
	for _, suffix := range []string{"_HTTP_PORT", "METRICS_PORT", "_ADMIN_PORT", "_GRPC_PORT", "_LISTEN_PORT"} {
		if strings.HasSuffix(name, suffix) {
			return true
		}
	}
	return false
}

// loopbackPort finds ports a healthcheck reaches on the container itself.
var loopbackPort = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):(\d{1,5})\b`)
})

func listenEvidence(s *handwritten.ComposeService) []evidence {
	var out []evidence
	for _, e := range s.Environment {
		if !isListenEnv(e.Name) || !e.HasValue {
			continue
		}
		v, complete := handwritten.ExpandDefaults(e.Value)
		if p, err := strconv.Atoi(strings.TrimSpace(v)); complete && err == nil && p > 0 && p < 65536 {
			out = append(out, evidence{port: p, pos: e.Pos, how: e.Name + "=" + strconv.Itoa(p), declared: e.Name == "PORT"})
		}
	}
	for _, p := range s.Ports {
		if p.Target > 0 && p.Protocol == "tcp" {
			how := fmt.Sprintf("ports %d", p.Target)
			if p.Published > 0 {
				how = fmt.Sprintf("ports %d:%d", p.Published, p.Target)
			}
			out = append(out, evidence{port: p.Target, pos: p.Pos, how: how})
		}
	}
	for _, e := range s.Expose {
		out = append(out, evidence{port: e.Port, pos: e.Pos, how: fmt.Sprintf("expose %d", e.Port)})
	}
	for _, e := range s.Environment {
		if !e.HasValue {
			continue
		}
		v, _ := handwritten.ExpandDefaults(e.Value)
		for _, u := range handwritten.SplitURLs(v) {
			if a, ok := handwritten.ParseAddress(u); ok && a.IsWildcard() && a.Port > 0 {
				out = append(out, evidence{port: a.Port, pos: e.Pos, how: e.Name + "=" + u})
			}
		}
	}
	for _, p := range healthcheckPorts(s.Model) {
		out = append(out, evidence{port: p, how: "healthcheck"})
	}
	return out
}

// healthcheckPorts reads the loopback ports a healthcheck test calls,
// which show where the process listens even when nothing is published.
func healthcheckPorts(model map[string]any) []int {
	hc, _ := model["healthcheck"].(map[string]any)
	var text string
	switch t := hc["test"].(type) {
	case string:
		text = t
	case []any:
		for _, x := range t {
			text += fmt.Sprint(x) + " "
		}
	}
	var out []int
	for _, m := range loopbackPort().FindAllStringSubmatch(text, -1) {
		if p, err := strconv.Atoi(m[1]); err == nil && p > 0 && p < 65536 {
			out = append(out, p)
		}
	}
	sort.Ints(out)
	return out
}

// handNamedHosts lists the names a service maps itself: extra_hosts and
// the aliases of links.
func handNamedHosts(model map[string]any) []string {
	var out []string
	switch eh := model["extra_hosts"].(type) {
	case map[string]any:
		for k := range eh {
			out = append(out, k)
		}
	case []any:
		for _, x := range eh {
			name, _, _ := strings.Cut(fmt.Sprint(x), ":")
			name, _, _ = strings.Cut(name, "=")
			out = append(out, name)
		}
	}
	if links, ok := model["links"].([]any); ok {
		for _, l := range links {
			parts := strings.Split(fmt.Sprint(l), ":")
			out = append(out, parts...)
		}
	}
	return out
}
