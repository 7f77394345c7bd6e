package audit

import (
	"fmt"
	"regexp"
	"sync"

	"portschema/schema/adoption/handwritten"
)

// wholeVariable matches a value that is one variable reference, with or
// without a default: ${NAME}, ${NAME:-x}, ${NAME-x}.
var wholeVariable = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-.*)?\}$`) })

// checkEnvFiles checks dotenv files against compose. A file named after a
// compose service is that service's own environment: where it and the
// compose file set the same variable, they must mean the same service
// and port. Any other file is a host's .env, whose values compose
// interpolates: a compose variable that is one reference to such a value
// is checked with the value the file gives it.
func (a *auditor) checkEnvFiles() {
	for _, f := range a.files.Env {
		if s := a.world.lookup(f.Stem(), nil); s != nil {
			a.checkServiceEnvFile(f, s)
			continue
		}
		a.checkHostEnvFile(f)
	}
}

func (a *auditor) checkHostEnvFile(f *handwritten.EnvFile) {
	for _, s := range a.world.services {
		for _, e := range s.Environment {
			m := wholeVariable().FindStringSubmatch(e.Value)
			if m == nil {
				continue
			}
			v, ok := f.Var(m[1])
			if !ok || v.Value == "" {
				continue
			}
			e.Value = v.Value
			before := len(a.out)
			a.checkEnvURLs(s, e)
			for i := before; i < len(a.out); i++ {
				a.out[i].Message += fmt.Sprintf(" (the value %s gives %s)", f.Path, m[1])
				a.out[i].Locations = append([]Location{v.Pos}, a.out[i].Locations...)
			}
		}
	}
}

// checkServiceEnvFile compares a service's env file with its compose
// environment, variable by variable.
func (a *auditor) checkServiceEnvFile(f *handwritten.EnvFile, s *service) {
	for _, v := range f.Vars {
		e, ok := s.Env(v.Name)
		if !ok || !e.HasValue || v.Value == "" {
			continue
		}
		inCompose, complete := handwritten.ExpandDefaults(e.Value)
		if !complete || inCompose == v.Value {
			continue
		}
		if isListenEnv(v.Name) {
			if hostPortOf(s, v.Value, inCompose) {
				continue // the file is for running it on the host, on its host port
			}
			a.add(EnvFileMismatch,
				fmt.Sprintf("%s sets %s=%s for %s, but compose sets %s=%s", f.Path, v.Name, v.Value, s.Name, e.Name, inCompose),
				v.Pos, e.Pos)
			continue
		}
		fromFile, okF := a.urlTarget(v.Value, s)
		fromCompose, okC := a.urlTarget(inCompose, s)
		if okF && okC && fromFile != fromCompose {
			a.add(EnvFileMismatch,
				fmt.Sprintf("%s sets %s of %s to %s, which reaches %s, but compose's value %s reaches %s", f.Path, v.Name, s.Name, redact(v.Value), fromFile.Name, redact(inCompose), fromCompose.Name),
				v.Pos, e.Pos)
		}
	}
}

// urlTarget is the compose service a single URL reaches: by name on the
// compose network, or on localhost by the host port it publishes (an env
// file for a machine running the services side by side).
func (a *auditor) urlTarget(value string, from *service) (*service, bool) {
	urls := handwritten.SplitURLs(value)
	if len(urls) != 1 {
		return nil, false
	}
	addr, ok := handwritten.ParseAddress(urls[0])
	if !ok || !addr.PortWritten {
		return nil, false
	}
	if addr.IsLoopback() {
		pubs := a.world.published[addr.Port]
		if len(pubs) != 1 {
			return nil, false
		}
		return pubs[0].svc, true
	}
	if !isBareName(addr.Host) {
		return nil, false
	}
	t := a.world.lookup(addr.Host, from.file)
	return t, t != nil
}

// hostPortOf reports whether host port hostPort is the one s publishes
// for its container port port.
func hostPortOf(s *service, hostPort, port string) bool {
	for _, m := range s.Ports {
		if fmt.Sprint(m.Published) == hostPort && fmt.Sprint(m.Target) == port {
			return true
		}
	}
	return false
}
