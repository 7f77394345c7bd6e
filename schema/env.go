package schema

import (
	"fmt"
)

// GeneratedEnv lists the variables portschema writes for a service, with
// the path of the source field each comes from.
func GeneratedEnv(s *Service) []GeneratedVar {
	var out []GeneratedVar
	if s.PortEnv != "" {
		out = append(out, GeneratedVar{Name: s.PortEnv, Field: "port_env"})
	}
	for i, n := range s.Needs {
		if !n.NoURL {
			out = append(out, GeneratedVar{Name: n.EnvName(), Field: fmt.Sprintf("needs[%d]", i)})
		}
	}
	for i, sec := range s.Secrets {
		out = append(out, GeneratedVar{Name: sec.Env, Field: fmt.Sprintf("secrets[%d]", i)})
	}
	return out
}

// GeneratedVar is one generated variable of a service.
type GeneratedVar struct {
	Name  string
	Field string
}

func checkEnv(c *collector, p *Platform) {
	// The secret rule's answer for each name and value: most come back
	// in service after service.
	looksSecret := map[[2]string]bool{}
	for _, s := range p.Services {
		gen := map[string]string{}
		for _, g := range GeneratedEnv(s) {
			if first, ok := gen[g.Name]; ok {
				c.errorf(s.At(g.Field), []Pos{s.At(first)}, "%s: variable %s is generated twice", s.Name, g.Name)
				continue
			}
			gen[g.Name] = g.Field
		}
		for _, name := range sortedKeys(s.Env) {
			pos := func() Pos { return s.At("env." + name) } // looked up for a problem only
			if field, ok := gen[name]; ok {
				c.errorf(pos(), []Pos{s.At(field)}, "%s: env %s collides with the variable generated from %s", s.Name, name, field)
			}
			if r, at, ok := controlChar(s.Env[name].Value); ok {
				c.errorf(pos(), nil, "%s: env %s holds the control character U+%04X at byte %d; an environment value cannot carry it (a .env or compose file would write it raw)", s.Name, name, r, at)
			}
			q := [2]string{name, s.Env[name].Value}
			secret, known := looksSecret[q]
			if !known {
				secret = LooksSecret(q[0], q[1])
				looksSecret[q] = secret
			}
			if secret {
				c.errorf(pos(), nil, "%s: env %s looks like a secret; declare it under secrets: and keep the value out of the source", s.Name, name)
			}
		}
	}
}

// controlChar finds the first control character a value may not carry:
// any but tab, newline and carriage return, which dotenv and YAML
// quoting write escaped.
func controlChar(v string) (r rune, at int, ok bool) {
	for i, r := range v {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return r, i, true
		}
	}
	return 0, 0, false
}
