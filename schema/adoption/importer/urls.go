package importer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"portschema/schema"
)

// serviceURL is a URL written in an environment value, split into the
// parts a need is made of. Password is the name of the variable the
// password is interpolated from; a literal password makes no need.
type serviceURL struct {
	Scheme   string
	User     string
	Password string
	HasUser  bool
	Host     string
	Port     int
	Path     string
}

var (
	urlRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*)://(?:([^:@/?#\s]*)(?::([^@/?#\s]*))?@)?([A-Za-z0-9._-]+)(?::([0-9]{1,5}))?([/?][^#\s]*)?$`)
	})
	userRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._~-]+$`) })
)

// defaultSchemePorts are the ports a URL implies without one.
var defaultSchemePorts = map[string]int{"http": 80, "https": 443, "ws": 80, "wss": 443,
	"postgres": 5432, "postgresql": 5432, "redis": 6379, "mysql": 3306, "mongodb": 27017, "amqp": 5672}

// parseServiceURL reads scheme://[user[:${PASSWORD}]@]host[:port][path].
func parseServiceURL(v string) (serviceURL, bool) {
	m := urlRE().FindStringSubmatch(v)
	if m == nil {
		return serviceURL{}, false
	}
	u := serviceURL{Scheme: strings.ToLower(m[1]), User: m[2], Host: strings.ToLower(m[4]), Path: m[6]}
	u.HasUser = strings.Contains(v[:len(v)-len(m[6])], "@")
	if m[5] != "" {
		n, err := strconv.Atoi(m[5])
		if err != nil || n < 1 || n > 65535 {
			return serviceURL{}, false
		}
		u.Port = n
	}
	if m[3] != "" {
		ref, ok := wholeRef(m[3])
		if !ok || ref.Op != "" {
			return serviceURL{}, false
		}
		u.Password = ref.Name
	}
	if u.HasUser && !userRE().MatchString(u.User) {
		return serviceURL{}, false
	}
	return u, true
}

// needFromURL infers a need of s from a URL value: the URL names another
// service by its compose network name, by its host's LAN address and
// port, or by its public hostname. The notes say where the generated URL
// will differ from the written one (a port the target does not listen
// on, a container name instead of the service name).
func (b *builder) needFromURL(s *svc, env, value string) (schema.Need, []string, bool) {
	u, ok := parseServiceURL(value)
	if !ok {
		return schema.Need{}, nil, false
	}
	if t := b.dns[s.Host][u.Host]; t != nil && !t.portless && b.hosts[s.Host].Compose != nil {
		return b.networkNeed(s, t, env, value, u)
	}
	if h := b.lan[u.Host]; h != nil && u.Port != 0 {
		for _, t := range b.svcs {
			if t.Host != h.Name || t == s {
				continue
			}
			if name, ok := publishedPortName(t, u.Port); ok {
				n := schema.Need{Service: t.Name, Port: name, Scheme: schemeIf(u.Scheme, t.Scheme), Path: u.Path,
					User: u.User, Password: u.Password}
				return n, nil, true
			}
		}
		return schema.Need{}, nil, false
	}
	if t := b.publicOwner(u.Host); t != nil && t != s && (u.Port == 0 || u.Port == 443) && !u.HasUser {
		if first := firstPublic(t); first == u.Host {
			return schema.Need{Service: t.Name, From: schema.Internet, Scheme: schemeIf(u.Scheme, "https"), Path: u.Path}, nil, true
		}
	}
	return schema.Need{}, nil, false
}

// networkNeed is a need on a service of the same compose network.
func (b *builder) networkNeed(s, t *svc, env, value string, u serviceURL) (schema.Need, []string, bool) {
	if t == s {
		return schema.Need{}, nil, false
	}
	n := schema.Need{Service: t.Name, Scheme: schemeIf(u.Scheme, t.Scheme), Path: u.Path, User: u.User, Password: u.Password}
	var notes []string
	at := s.origin.Pos
	if e, ok := s.origin.Env(env); ok {
		at = e.Pos
	}
	port := u.Port
	if port == 0 {
		port = defaultSchemePorts[u.Scheme]
	}
	switch name, ok := containerPortName(t, port); {
	case ok:
		n.Port = name
	case u.Port == 0:
		// No port written: the URL means its scheme's port. Which of
		// the target's ports was meant cannot be known, so the value
		// is kept as written rather than pointed at another port.
		if port == 0 {
			b.finding("url-port", at, "%s: %s names %s without a port, and %s has no port of its own; the value is kept as written", s.Name, env, u.Host, u.Scheme)
		} else {
			b.finding("url-port", at, "%s: %s names %s without a port, so on %d, which %s does not declare; the value is kept as written", s.Name, env, u.Host, port, t.Name)
		}
		return schema.Need{}, nil, false
	default:
		notes = append(notes, fmt.Sprintf("was %s, but %s listens on %d; import keeps %d", value, t.Name, t.ContainerPort, t.ContainerPort))
		b.finding("port-mismatch", at, "%s: %s points at %s:%d, but %s listens on %d", s.Name, env, u.Host, port, t.Name, t.ContainerPort)
	}
	if u.Host != t.Name && len(notes) == 0 {
		notes = append(notes, fmt.Sprintf("was %s (%s is another name of service %s)", value, u.Host, t.Name))
	}
	return n, notes, true
}

// schemeIf returns scheme unless it is the default one.
func schemeIf(scheme, dflt string) string {
	if scheme == dflt {
		return ""
	}
	return scheme
}

// containerPortName finds the port of t listening on port inside its
// container: MainPort ("") or a named port.
func containerPortName(t *svc, port int) (string, bool) {
	if t.ContainerPort == port && !t.portless {
		return "", true
	}
	for _, np := range t.namedPorts() {
		if np.ContainerPort == port {
			return np.name, true
		}
	}
	return "", false
}

// publishedPortName finds the port of t published on its host as port.
func publishedPortName(t *svc, port int) (string, bool) {
	if t.Port == port && !t.portless {
		return "", true
	}
	for _, np := range t.namedPorts() {
		if np.Port == port {
			return np.name, true
		}
	}
	return "", false
}

// publicOwner is the service a public hostname routes to (path-less).
func (b *builder) publicOwner(hostname string) *svc { return b.public[hostname] }

// firstPublic is the public hostname URLs from the internet use for the
// main port of t: the first non-wildcard one.
func firstPublic(t *svc) string {
	for _, p := range t.Public {
		if p.Port == "" && !strings.HasPrefix(p.Hostname, "*") {
			return p.Hostname
		}
	}
	return ""
}
