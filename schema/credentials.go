package schema

import (
	"fmt"
	"slices"
	"strings"
)

// checkCredentials warns at a need whose target asks for credentials the
// need's URL does not carry: a target with a password secret (a name
// with PASSWORD or ending _PASS), a user (an env name ending _USER or
// _USERNAME) or a database (ending _DB or _DATABASE) of its own is a
// data store that refuses a URL without them. A client that holds the
// target's password secret itself (an exporter given REDIS_PASSWORD
// apart from its address) is not asked for it in the URL. Only needs
// spoken in the
// target's own protocol are read: a web service's admin password is
// not asked of its HTTP clients.
func checkCredentials(c *collector, s *Service, i int, n Need) {
	t := n.Target
	if n.NoURL || t == nil || webScheme(n, t) {
		return
	}
	var missing []string
	if name := t.firstSecret(isPasswordName); name != "" && n.Password == "" && !s.holdsSecret(t, name) {
		missing = append(missing, fmt.Sprintf("a password (%s, the need's password:)", name))
	}
	if name := t.firstEnv("_USER", "_USERNAME"); name != "" && n.User == "" {
		missing = append(missing, fmt.Sprintf("a user (%s, the need's user:)", name))
	}
	if name := t.firstEnv("_DB", "_DATABASE"); name != "" && strings.Trim(n.Path, "/") == "" {
		missing = append(missing, fmt.Sprintf("a database (%s, the need's path:)", name))
	}
	if len(missing) == 0 {
		return
	}
	c.diags = append(c.diags, ServiceWarning(s, WarnNeedCredentials, s.At(fmt.Sprintf("needs[%d]", i)), []Pos{t.At("")},
		"%s: needs %s, whose URL gives no %s: %s asks for %s", s.Name, t.Name, strings.Join(kindsOf(missing), ", "), t.Name, strings.Join(missing, ", ")))
}

// kindsOf is the first word after "a " of each missing credential.
func kindsOf(missing []string) []string {
	out := make([]string, len(missing))
	for i, m := range missing {
		out[i], _, _ = strings.Cut(strings.TrimPrefix(m, "a "), " ")
	}
	return out
}

func webScheme(n Need, t *Service) bool {
	scheme := n.Scheme
	if scheme == "" {
		scheme = t.Scheme
	}
	return slices.Contains([]string{"", "http", "https", "ws", "wss", "grpc", "grpcs"}, scheme)
}

func isPasswordName(name string) bool {
	return strings.Contains(name, "PASSWORD") || strings.HasSuffix(name, "_PASS")
}

// holdsSecret reports whether s is handed the host secret that fills
// t's variable env.
func (s *Service) holdsSecret(t *Service, env string) bool {
	for _, ts := range t.Secrets {
		if ts.Env == env {
			for _, sec := range s.Secrets {
				if sec.From == ts.From {
					return true
				}
			}
		}
	}
	return false
}

// firstSecret is the first of the service's secrets, in source order,
// whose variable name is what ok asks for; "" when none is.
func (s *Service) firstSecret(ok func(string) bool) string {
	for _, sec := range s.Secrets {
		if ok(sec.Env) {
			return sec.Env
		}
	}
	return ""
}

// firstEnv is the first, sorted, of the service's plain values whose
// name ends with one of the suffixes; "" when none does.
func (s *Service) firstEnv(suffixes ...string) string {
	for _, name := range sortedKeys(s.Env) {
		for _, suffix := range suffixes {
			if strings.HasSuffix(name, suffix) {
				return name
			}
		}
	}
	return ""
}
