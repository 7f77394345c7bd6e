package schema

import "fmt"

// maxHostname is the longest name DNS carries (RFC 1035: 255 octets on
// the wire, 253 characters written).
const maxHostname = 253

// checkPublic: public hostnames are unique across services and tunnel
// rules, and carry no port.
func checkPublic(c *collector, p *Platform) {
	seen := map[string]Pos{}
	claim := func(name string, pos Pos, who string) {
		key := name
		if other, ok := seen[key]; ok {
			c.errorf(pos, []Pos{other}, "%s: public hostname %s is already used", who, name)
			return
		}
		seen[key] = pos
	}
	for _, h := range p.Hosts {
		if h.Tunnel == nil {
			continue
		}
		for i, r := range h.Tunnel.Rules {
			if r.Hostname != "" && r.Path == "" {
				claim(r.Hostname, h.At(fmt.Sprintf("tunnel.rules[%d].hostname", i)), "host "+h.Name)
			}
		}
	}
	for _, s := range p.Services {
		for i, pub := range s.Public {
			if n := len(pub.Hostname); n > maxHostname {
				c.errorf(s.At(fmt.Sprintf("public[%d]", i)), nil, "%s: public hostname %.40s… is %d characters long; DNS allows at most %d", s.Name, pub.Hostname, n, maxHostname)
				continue
			}
			claim(pub.Hostname+pub.Path, s.At(fmt.Sprintf("public[%d]", i)), s.Name)
		}
	}
}
