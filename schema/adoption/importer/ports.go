package importer

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// wellKnownPorts names extra ports by what usually listens there.
var wellKnownPorts = map[int]string{
	21: "ftp", 22: "ssh", 25: "smtp", 53: "dns", 80: "http", 110: "pop3", 143: "imap",
	443: "https", 465: "smtps", 587: "submission", 993: "imaps", 995: "pop3s",
	3306: "mysql", 5432: "postgres", 6379: "redis", 8080: "http-alt", 8443: "https-alt",
	9090: "prometheus", 9100: "node-exporter", 27017: "mongodb",
}

// listenPort reads the PORT variable, the usual way a service is told
// where to listen; 0 when there is none or it is not a number.
func listenPort(cs *handwritten.ComposeService) int {
	e, ok := cs.Env("PORT")
	if !ok || !e.HasValue {
		return 0
	}
	v, _ := handwritten.ExpandDefaults(e.Value)
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 {
		return 0
	}
	return n
}

var localPortRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):([0-9]{1,5})\b`)
})

// healthcheckPort is the port a healthcheck probes on the container
// itself, which is a port the service listens on.
func healthcheckPort(raw []handwritten.Field) int {
	hc := handwritten.FieldsOf(handwritten.ValueOf(raw, "healthcheck"))
	if hc == nil {
		return 0
	}
	text := fmt.Sprint(handwritten.Plain(handwritten.ValueOf(hc, "test")))
	if m := localPortRE().FindStringSubmatch(text); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n >= 1 && n <= 65535 {
			return n
		}
	}
	return 0
}

// readPorts sets the service's main port and named ports from compose's
// ports, PORT and healthcheck. The main port is the one the service
// listens on (PORT, else the healthcheck's port, else the first
// mapping); where PORT disagrees with every mapping, PORT wins for the
// container port, since that is where the process listens.
func (b *builder) readPorts(h *schema.Host, s *svc) {
	cs := s.origin
	listen := listenPort(cs)
	probe := healthcheckPort(s.raw)
	maps, ips := bindings(cs.Ports)
	if len(maps) == 0 {
		s.Publish = false
		switch {
		case listen != 0:
			s.Port, s.ContainerPort = listen, listen
		case len(cs.Expose) > 0:
			s.Port, s.ContainerPort = cs.Expose[0].Port, cs.Expose[0].Port
		case probe != 0:
			s.Port, s.ContainerPort = probe, probe
		default:
			s.portless = true
		}
		if s.Port != 0 {
			s.Notes.Add("publish", "compose publishes no port: reachable only on the compose network")
		}
		return
	}
	main := 0
	for i, m := range maps {
		if (listen != 0 && m.Target == listen) || (listen == 0 && probe != 0 && m.Target == probe) {
			main = i
			break
		}
	}
	mm := maps[main]
	s.ContainerPort = mm.Target
	s.Port = mm.Published
	s.HostIPs = ips[main]
	if mm.Protocol != "tcp" {
		s.Protocol = mm.Protocol
	}
	if s.Port == 0 {
		s.Port = mm.Target
		s.Notes.Add("port", fmt.Sprintf("compose let docker pick the host port of %d; import publishes it on %d", mm.Target, mm.Target))
		b.finding("random-host-port", mm.Pos, "%s: container port %d had no fixed host port; it is published on %d", s.Name, mm.Target, mm.Target)
	}
	if listen != 0 && listen != mm.Target {
		s.ContainerPort = listen
		s.Notes.Add("container_port", fmt.Sprintf("compose maps %d:%d, but PORT says the service listens on %d; import keeps %d", s.Port, mm.Target, listen, listen))
		b.finding("port-mismatch", mm.Pos, "%s: ports map to container port %d, but PORT=%d is where it listens; the container port is %d", s.Name, mm.Target, listen, listen)
	}
	b.notePortDetails(s, mm)
	b.claimHostPort(h.Name, s.Port, s)
	used := map[string]bool{}
	for i, m := range maps {
		if i == main {
			continue
		}
		name := portName(m, used)
		np := schema.NamedPort{Port: m.Published, ContainerPort: m.Target, Protocol: m.Protocol, HostIPs: ips[i], Publish: true}
		if np.Port == 0 {
			np.Port = m.Target
			s.Notes.Add("ports."+name, fmt.Sprintf("compose let docker pick the host port of %d; import publishes it on %d", m.Target, m.Target))
		}
		if np.Protocol != "udp" && np.Protocol != "sctp" {
			np.Protocol = "tcp"
		}
		b.notePortDetails(s, m)
		s.setPort(name, np)
		if np.Protocol == "tcp" {
			b.claimHostPort(h.Name, np.Port, s)
		}
	}
}

// bindings groups the port mappings of a service that publish one host
// port to one container port with one protocol on several host IPs:
// each group is one port, published on the IPs listed (nil for every
// address, which a mapping without a host IP asks for). Mappings to no
// valid container port are left out.
func bindings(written []handwritten.PortMapping) ([]handwritten.PortMapping, [][]string) {
	type key struct {
		published, target int
		protocol          string
	}
	var maps []handwritten.PortMapping
	var ips [][]string
	index := map[key]int{}
	for _, m := range written {
		if m.Target < 1 || m.Target > 65535 {
			continue
		}
		ip := writtenHostIP(m)
		k := key{m.Published, m.Target, m.Protocol}
		i, seen := index[k]
		if !seen || m.Published == 0 {
			index[k] = len(maps)
			maps = append(maps, m)
			ips = append(ips, nil)
			if ip != "" {
				ips[len(ips)-1] = []string{ip}
			}
			continue
		}
		switch {
		case ips[i] == nil:
		case ip == "":
			ips[i] = nil
		case !slices.Contains(ips[i], ip):
			ips[i] = append(ips[i], ip)
		}
	}
	return maps, ips
}

// writtenHostIP is a mapping's host IP as written, a variable kept as
// a variable (${TAILSCALE_IP}), which compose substitutes on the host.
func writtenHostIP(m handwritten.PortMapping) string {
	if m.Raw == "" || !strings.Contains(m.Raw, "$") {
		return strings.Trim(m.HostIP, "[]")
	}
	raw, colons := handwritten.ShortPortColons(m.Raw)
	if len(colons) < 2 {
		return ""
	}
	return strings.Trim(raw[:colons[len(colons)-2]], "[]")
}

// notePortDetails records what the source cannot say about a mapping.
func (b *builder) notePortDetails(s *svc, m handwritten.PortMapping) {
	if m.PublishedRaw != "" && m.PublishedRaw != strconv.Itoa(m.Published) {
		s.Notes.Add("", fmt.Sprintf("host port was written %q; import fixes it at %d", m.PublishedRaw, m.Published))
		if strings.Contains(m.PublishedRaw, "$") {
			b.finding("port-variable", m.Pos, "%s: host port %s is fixed at %d: the source owns the port, so the variable no longer moves it", s.Name, m.PublishedRaw, m.Published)
		}
	}
}

// portName names an extra port by its well-known use, else by number,
// unique within the service.
func portName(m handwritten.PortMapping, used map[string]bool) string {
	name, ok := wellKnownPorts[m.Target]
	if !ok {
		name = "port-" + strconv.Itoa(m.Target)
	}
	if m.Protocol == "udp" {
		name += "-udp"
	}
	base := name
	for i := 2; used[name]; i++ {
		name = base + "-" + strconv.Itoa(i)
	}
	used[name] = true
	return name
}
