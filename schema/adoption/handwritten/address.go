package handwritten

import (
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// Address is what a URL or a host:port written in a config file connects
// to. Compose URLs, tunnel services and scrape targets all reduce to it,
// which is what lets the audit compare them.
type Address struct {
	Scheme string // lower-case; "" when written as host:port
	User   string // user name from user:password@, if any
	// HasPassword is true when the URL carries a password (possibly
	// empty, as in redis://:@host), which tells a target that needs
	// credentials from one that gets none.
	HasPassword bool
	Host        string // lower-case host name or IP, without brackets
	// Port is the written port, or the scheme's well-known port when
	// none is written (PortWritten false); 0 when neither is known.
	Port        int
	PortWritten bool
	Path        string // path and query as written, "" when absent
}

// defaultPorts are the ports a scheme implies when a URL omits one.
var defaultPorts = map[string]int{
	"http": 80, "https": 443, "ws": 80, "wss": 443,
	"ssh": 22, "rdp": 3389, "smb": 445, "tcp": 7864,
	"postgres": 5432, "postgresql": 5432, "mysql": 3306,
	"redis": 6379, "rediss": 6379, "mongodb": 27017, "amqp": 5672,
	"nats": 4222, "smtp": 25, "smtps": 465,
}

// ParseAddress reads a URL (scheme://[user[:pass]@]host[:port][/path]) or
// a bare host:port. It reports false for text that names no host, such as
// an unexpanded `${VAR}` (see ExpandDefaults), a path, or a port out of
// range.
func ParseAddress(s string) (Address, bool) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " \t\r\n") || strings.Contains(s, "${") {
		return Address{}, false
	}
	if !strings.Contains(s, "://") {
		return parseHostPort(s)
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return Address{}, false
	}
	a := Address{Scheme: strings.ToLower(u.Scheme), Host: strings.ToLower(u.Hostname())}
	if !plausibleHost(a.Host) {
		return Address{}, false
	}
	if u.User != nil {
		a.User = u.User.Username()
		_, a.HasPassword = u.User.Password()
	}
	if p := u.Port(); p != "" {
		n, ok := parsePort(p)
		if !ok {
			return Address{}, false
		}
		a.Port, a.PortWritten = n, true
	} else {
		a.Port = defaultPorts[a.Scheme]
	}
	a.Path = u.EscapedPath()
	if u.RawQuery != "" {
		a.Path += "?" + u.RawQuery
	}
	return a, true
}

// parseHostPort reads host:port (a Prometheus target) or a bare host.
func parseHostPort(s string) (Address, bool) {
	if strings.ContainsAny(s, "/?#@") {
		return Address{}, false
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		if strings.Contains(s, ":") && !strings.HasPrefix(s, "[") {
			return Address{}, false
		}
		host := strings.ToLower(strings.Trim(s, "[]"))
		return Address{Host: host}, plausibleHost(host)
	}
	n, ok := parsePort(port)
	if !ok || !plausibleHost(host) {
		return Address{}, false
	}
	return Address{Host: strings.ToLower(host), Port: n, PortWritten: true}, true
}

// plausibleHost rejects host text no resolver would accept: empty, or
// holding spaces, control or invisible format characters.
func plausibleHost(h string) bool {
	if h == "" {
		return false
	}
	for _, r := range h {
		if !unicode.IsGraphic(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

func parsePort(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, false
	}
	return n, true
}

// HostPort renders host:port, the form findings quote.
func (a Address) HostPort() string {
	if a.Port == 0 {
		return a.Host
	}
	return net.JoinHostPort(a.Host, strconv.Itoa(a.Port))
}

// IsLoopback reports whether the address names this machine.
func (a Address) IsLoopback() bool {
	if a.Host == "localhost" {
		return true
	}
	ip := net.ParseIP(a.Host)
	return ip != nil && ip.IsLoopback()
}

// IsWildcard reports whether the address is a listen address rather than
// one to connect to: ASP.NET's `+` and `*`, and the any-address IPs, as
// in ASPNETCORE_URLS=http://+:80 or a listener on 0.0.0.0:9092.
func (a Address) IsWildcard() bool {
	switch a.Host {
	case "+", "*", "0.0.0.0", "::":
		return true
	}
	return false
}

// SplitURLs splits a value that may hold several URLs, as multi-listener
// settings do (Kafka's `PLAINTEXT://kafka:9092,EXTERNAL://localhost:29092`,
// ASP.NET's `http://+:80;https://+:443`), into the parts that hold
// "://"; a value with one URL gives itself.
func SplitURLs(v string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		if strings.Contains(part, "://") {
			out = append(out, part)
		}
	}
	return out
}

// IsIP reports whether the host is written as an IP address.
func (a Address) IsIP() bool { return net.ParseIP(a.Host) != nil }
