package importer

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// readEnvironment sorts each environment entry of a compose service into
// what the source says about it:
//
//   - PORT becomes port_env (the generator writes the container port);
//   - a reference to the host's environment (`${NAME}`, or a default of
//     a secret-looking variable) becomes a secret, without its default;
//   - a URL naming another service becomes a need;
//   - a value that looks like a credential becomes a secret, its value
//     dropped;
//   - anything else stays a plain value, as written.
//
// depends_on targets that no URL names become needs with url: false,
// so the start order survives without a variable the file never had.
func (b *builder) readEnvironment(s *svc) {
	b.resolveDepends(s)
	used := map[string]bool{}
	for _, e := range s.origin.Environment {
		if used[e.Name] {
			continue
		}
		used[e.Name] = true
		if !IsEnvName(e.Name) && !(e.HasValue && IsComposeEnvName(e.Name)) {
			s.Notes.Add("", fmt.Sprintf("environment entry %q is not a valid variable name and was dropped", e.Name))
			b.finding("env-name", e.Pos, "%s: environment entry %q is not a valid variable name and was dropped", s.Name, e.Name)
			continue
		}
		b.readEnvVar(s, e)
	}
	b.readEnvFiles(s, used)
	b.addDependsNeeds(s)
}

// readEnvFiles reads the service's own env files (an --env file named
// after the service or its container) as compose reads an env_file:
// each variable its compose environment does not set is sorted like an
// environment entry, so a credential becomes a secret whose value is
// not copied. used holds the names already read, and grows.
func (b *builder) readEnvFiles(s *svc, used map[string]bool) {
	for _, f := range b.in.Env {
		if !slices.Contains(s.origin.DNSNames(), f.Stem()) {
			continue
		}
		for _, v := range f.Vars {
			if used[v.Name] {
				continue // compose's environment overrides its env files
			}
			used[v.Name] = true
			if !IsEnvName(v.Name) {
				b.finding("env-name", v.Pos, "%s: %s sets %q, which is not a valid variable name; it was dropped", s.Name, f.Path, v.Name)
				continue
			}
			s.Notes.Add("", fmt.Sprintf("%s comes from %s", v.Name, f.Path))
			b.readEnvVar(s, v)
		}
	}
}

func (b *builder) readEnvVar(s *svc, e handwritten.EnvVar) {
	switch {
	case !e.HasValue:
		s.addSecret(e.Name, e.Name, "taken from the environment compose runs in")
		return
	case e.Name == "PORT" && listenPort(s.origin) == s.ContainerPort && !s.portless:
		s.PortEnv = "PORT"
		if _, complete := handwritten.ExpandDefaults(e.Value); e.Value != fmt.Sprint(s.ContainerPort) && complete {
			s.Notes.Add("port_env", fmt.Sprintf("PORT was written %q; the generator writes the container port", e.Value))
		}
		return
	}
	value := e.Value
	if ref, ok := wholeRef(value); ok {
		b.readRef(s, e, ref)
		return
	}
	value, stripped := StripSecretDefaults(value)
	if stripped {
		b.finding("secret-default", e.Pos, "%s: %s held the default value of a secret; it is not copied", s.Name, e.Name)
	}
	if n, notes, ok := b.needFromURL(s, e.Name, value); ok {
		b.addNeed(s, e.Name, value, n, notes)
		return
	}
	if schema.LooksSecret(e.Name, value) {
		s.addSecret(e.Name, e.Name, "its value was written in plain text and looks like a credential; set "+e.Name+" on the host")
		b.finding("secret-value", e.Pos, "%s: %s looks like a credential; it becomes a secret and its value is not copied", s.Name, e.Name)
		return
	}
	if len(findRefs(value)) > 0 {
		// Plain values are literal text to the generator, so a value
		// that interpolates variables is filled on the host instead.
		s.addSecret(e.Name, e.Name, fmt.Sprintf("was %s; env values are literal, so set %s on the host", value, e.Name))
		b.finding("interpolated-value", e.Pos, "%s: %s interpolates variables; it becomes a secret set on the host", s.Name, e.Name)
		return
	}
	s.setEnv(e.Name, unescapeDollars(value))
}

// unescapeDollars turns compose's `$$` into the `$` it stands for: env
// values in the source are literal text.
func unescapeDollars(s string) string { return strings.ReplaceAll(s, "$$", "$") }

// readRef handles a value that is one `${NAME...}` reference.
func (b *builder) readRef(s *svc, e handwritten.EnvVar, ref varRef) {
	if !ref.HasDefault() {
		from := ref.Name
		switch ref.Op {
		case ":?", "?":
			// A secret is written ${NAME}: compose no longer stops when
			// it is unset.
			s.addSecret(e.Name, from, fmt.Sprintf("was %s: compose refused to start without %s; it now starts with an empty value", e.Value, from))
			b.finding("required-dropped", e.Pos, "%s: %s required %s (%s); as a secret it is ${%s}, which compose leaves empty when unset", s.Name, e.Name, from, e.Value, from)
		case ":+", "+":
			s.addSecret(e.Name, from, fmt.Sprintf("was %s: it is now %s's own value", e.Value, from))
			b.finding("alternative-dropped", e.Pos, "%s: %s was %s, a value used only when %s is set; it becomes %s's own value", s.Name, e.Name, e.Value, from, from)
		default:
			s.addSecret(e.Name, from, "")
		}
		return
	}
	if secretName(ref.Name) || secretName(e.Name) || schema.LooksSecret(e.Name, ref.Default) {
		s.addSecret(e.Name, ref.Name, "the default value written in compose is not copied; set "+ref.Name+" on the host")
		b.finding("secret-default", e.Pos, "%s: %s: the default value of secret %s is not copied", s.Name, e.Name, ref.Name)
		return
	}
	if _, nested := wholeRef(ref.Default); !nested {
		if n, notes, ok := b.needFromURL(s, e.Name, ref.Default); ok {
			notes = append(notes, fmt.Sprintf("was %s: the default became this need; the variable %s no longer overrides it", e.Value, ref.Name))
			b.finding("override-dropped", e.Pos, "%s: %s defaulted to a URL of %s; it is a need now and %s no longer overrides it", s.Name, e.Name, n.Service, ref.Name)
			b.addNeed(s, e.Name, e.Value, n, notes)
			return
		}
	}
	dflt, complete := handwritten.ExpandDefaults(ref.Default)
	if dflt == "" || !complete {
		s.addSecret(e.Name, ref.Name, "")
		if dflt != "" || ref.Default != "" {
			s.Notes.Add("", fmt.Sprintf("%s was %s: the default, which reads other variables, is not kept; set %s on the host", e.Name, e.Value, ref.Name))
			b.finding("default-dropped", e.Pos, "%s: %s was %s; its default reads other variables and is not kept: %s must now be set on the host", s.Name, e.Name, e.Value, ref.Name)
		}
		return
	}
	s.Notes.Add("env."+e.Name, fmt.Sprintf("was %s: the default is kept and %s no longer overrides it (make it a secret to keep the override)", e.Value, ref.Name))
	b.finding("override-dropped", e.Pos, "%s: %s keeps its default value; %s no longer overrides it", s.Name, e.Name, ref.Name)
	s.setEnv(e.Name, dflt)
}

// addSecret appends a secret with an optional comment.
func (s *svc) addSecret(env, from, note string) {
	if note != "" {
		s.Notes.Add(fmt.Sprintf("secrets[%d]", len(s.Secrets)), note)
	}
	s.Secrets = append(s.Secrets, schema.Secret{Env: env, From: from})
}

// addNeed appends a need, naming its variable only where it differs
// from the default and starting the target first only where compose did.
func (b *builder) addNeed(s *svc, env, value string, n schema.Need, notes []string) {
	t := b.service(n.Service)
	if env != (schema.Need{Service: n.Service}).EnvName() {
		n.Env = env
	}
	if cond, ok := s.starts[t]; ok && t != nil {
		n.Depends, n.Condition = true, cond
	}
	for _, note := range notes {
		s.Notes.Add(fmt.Sprintf("needs[%d]", len(s.Needs)), note)
	}
	s.Needs = append(s.Needs, n)
	s.needValues = append(s.needValues, envVar{name: env, value: value})
}

// resolveDepends finds the services depends_on starts first and the
// condition each need says. The generator waits for a target with a
// healthcheck to be healthy, so a depends_on that waited only for it to
// start becomes condition: "started". Conditions the source cannot say
// become the generator's and are reported.
func (b *builder) resolveDepends(s *svc) {
	s.starts = map[*svc]string{}
	for _, dep := range slices.Sorted(maps.Keys(s.dependsOn)) {
		t := b.dns[s.Host][strings.ToLower(dep)]
		if t == nil || t == s {
			s.Notes.Add("", fmt.Sprintf("depends_on %q names no service of this file and was dropped", dep))
			b.finding("unknown-dependency", s.pos, "%s: depends_on %q names no service", s.Name, dep)
			continue
		}
		if _, seen := s.starts[t]; seen {
			continue
		}
		written, healthy := s.dependsOn[dep], hasHealthcheck(t)
		switch {
		case written == conditionStarted && healthy:
			s.starts[t] = schema.ConditionStarted
		case written == conditionStarted || (written == conditionHealthy && healthy):
			s.starts[t] = ""
		case written == conditionCompleted:
			s.starts[t] = schema.ConditionCompleted
		default:
			generated := conditionStarted
			if healthy {
				generated = conditionHealthy
			}
			s.Notes.Add("", fmt.Sprintf("depends_on %s said %s; the generator writes %s", t.Name, written, generated))
			b.finding("dependency-condition", s.pos, "%s: depends_on %s with condition %s becomes %s", s.Name, t.Name, written, generated)
			s.starts[t] = ""
		}
	}
}

// addDependsNeeds turns depends_on targets that no URL named into needs
// with url: false: a need is the only way the source says "start this
// first", and url: false keeps it from adding a variable.
func (b *builder) addDependsNeeds(s *svc) {
	covered := map[*svc]bool{}
	for _, n := range s.Needs {
		if n.Depends {
			covered[b.service(n.Service)] = true
		}
	}
	targets := slices.SortedFunc(maps.Keys(s.starts), func(x, y *svc) int { return strings.Compare(x.Name, y.Name) })
	for _, t := range targets {
		if covered[t] {
			continue
		}
		s.Needs = append(s.Needs, schema.Need{Service: t.Name, NoURL: true, Depends: true, Condition: s.starts[t]})
		s.needValues = append(s.needValues, envVar{})
	}
}

// service returns the service called name, or nil.
func (b *builder) service(name string) *svc { return b.byName[name] }
