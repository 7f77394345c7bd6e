package derived

import (
	"sort"
	"strings"

	"portschema/generators/compose"
	"portschema/generators/output"
	"portschema/schema"
)

// Marks are the strings a service is known by in generated files: its
// name and container name, its public hostnames, and the host:port it is
// reached at from every vantage (which names it where a URL uses an
// address). A line on which one of them stands as a whole word is a
// line on which the service appears.
func Marks(p *schema.Platform, s *schema.Service) []string {
	set := map[string]bool{s.Name: true}
	if h := p.Host(s.Host); h != nil && h.Kind == schema.KindCompose {
		set[compose.ContainerName(h, s)] = true
	}
	for _, pub := range s.Public {
		if !strings.HasPrefix(pub.Hostname, "*") {
			set[pub.Hostname] = true
		}
	}
	for _, e := range Endpoints(p, s) {
		if !e.Public {
			set[e.HostPort()] = true
		}
	}
	return sortedSet(set)
}

// Endpoints are where every port of a service is reached from, one per
// vantage that reaches it: its host's compose network, its host, another
// machine on the LAN, a laptop and the internet.
func Endpoints(p *schema.Platform, s *schema.Service) []schema.Endpoint {
	var out []schema.Endpoint
	for _, pr := range s.AllPorts() {
		for _, v := range Vantages(p, s) {
			if e, err := p.Reach(v, s, pr.Name); err == nil {
				out = append(out, e)
			}
		}
	}
	return out
}

// Vantages are the places a service's URLs are read from, in the order
// explain shows them: its host's compose network (on a compose host),
// its host, another machine on the LAN, a laptop, the internet.
func Vantages(p *schema.Platform, s *schema.Service) []schema.Vantage {
	var out []schema.Vantage
	if h := p.Host(s.Host); h != nil && h.Kind == schema.KindCompose {
		out = append(out, schema.Vantage{Kind: schema.InNetwork, Host: s.Host})
	}
	return append(out,
		schema.Vantage{Kind: schema.OnHost, Host: s.Host},
		schema.Vantage{Kind: schema.OnLAN},
		schema.Vantage{Kind: schema.Laptop},
		schema.Vantage{Kind: schema.Internet})
}

// Appearance is the lines of one generated file on which something
// appears, in order.
type Appearance struct {
	File  string
	Lines []int
}

// Find lists the lines of files on which any of marks appears.
func Find(files []output.File, marks []string) []Appearance {
	var out []Appearance
	for _, f := range files {
		var lines []int
		for i, line := range strings.Split(string(f.Data), "\n") {
			if Mentions(line, marks) {
				lines = append(lines, i+1)
			}
		}
		if len(lines) > 0 {
			out = append(out, Appearance{File: f.Path, Lines: lines})
		}
	}
	return out
}

// Mentions reports whether one of marks stands in line as a whole word:
// not inside a longer name (auth in oauth, auth-db or db.auth) and not
// the first label of a longer dotted name (auth in auth.example.com). A
// dot that ends a sentence ends the word.
func Mentions(line string, marks []string) bool {
	for _, m := range marks {
		for from := 0; ; {
			i := strings.Index(line[from:], m)
			if i < 0 {
				break
			}
			start, end := from+i, from+i+len(m)
			if wordStart(line, start) && wordEnd(line, end) {
				return true
			}
			from = start + 1
		}
	}
	return false
}

func wordStart(line string, i int) bool {
	return i == 0 || !nameByte(line[i-1]) && line[i-1] != '.'
}

func wordEnd(line string, i int) bool {
	switch {
	case i == len(line):
		return true
	case nameByte(line[i]):
		return false
	case line[i] == '.':
		return i+1 == len(line) || !nameByte(line[i+1])
	}
	return true
}

// nameByte reports whether b can be part of a name, a hostname label or
// an address.
func nameByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_'
}

func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		if k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
