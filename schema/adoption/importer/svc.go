package importer

import (
	"fmt"
	"slices"

	"portschema/schema"
)

// The model keeps a service's named ports, env and compose keys in maps;
// import keeps the order the inputs wrote them in beside them, so that
// the source lists them in that order and every decision that walks
// them (which port moves off a collision) is the same on every run.

// namedPort is an extra port with its name.
type namedPort struct {
	name string
	schema.NamedPort
}

// namedPorts are the service's extra ports in the order compose listed
// them.
func (s *svc) namedPorts() []namedPort {
	out := make([]namedPort, 0, len(s.portOrder))
	for _, name := range s.portOrder {
		out = append(out, namedPort{name, s.Ports[name]})
	}
	return out
}

// setPort adds or replaces a named port.
func (s *svc) setPort(name string, np schema.NamedPort) {
	if s.Ports == nil {
		s.Ports = map[string]schema.NamedPort{}
	}
	if _, ok := s.Ports[name]; !ok {
		s.portOrder = append(s.portOrder, name)
	}
	s.Ports[name] = np
}

// renamePort gives a named port another name, in its place.
func (s *svc) renamePort(from, to string) {
	s.Ports[to] = s.Ports[from]
	delete(s.Ports, from)
	s.portOrder[slices.Index(s.portOrder, from)] = to
}

// setEnv adds or replaces a plain environment value.
func (s *svc) setEnv(name, value string) {
	if s.Env == nil {
		s.Env = map[string]schema.EnvValue{}
	}
	if _, ok := s.Env[name]; !ok {
		s.envOrder = append(s.envOrder, name)
	}
	s.Env[name] = schema.EnvValue{Value: value}
}

// setCompose adds or replaces a compose key passed through.
func (s *svc) setCompose(key string, v any) {
	if s.Compose == nil {
		s.Compose = map[string]any{}
	}
	if _, ok := s.Compose[key]; !ok {
		s.composeOrder = append(s.composeOrder, key)
	}
	s.Compose[key] = v
}

// hoistNotes moves the notes of list items up to the list's own field,
// naming the item: comments inside list literals do not survive the
// formatter in a readable place.
func (s *svc) hoistNotes() {
	for i, sec := range s.Secrets {
		s.hoist("secrets", sec.Env, i)
	}
	for i, p := range s.Public {
		s.hoist("public", p.Hostname, i)
	}
	for i, n := range s.Needs {
		item := n.EnvName()
		if n.NoURL {
			item = n.Service
		}
		s.hoist("needs", item, i)
	}
}

func (s *svc) hoist(list, item string, i int) {
	key := fmt.Sprintf("%s[%d]", list, i)
	for _, n := range s.Notes[key] {
		s.Notes.Add(list, item+": "+n)
	}
	delete(s.Notes, key)
}
