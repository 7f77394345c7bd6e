package importer

import (
	"fmt"

	"cuelang.org/go/cue/ast"
)

// serviceDecl writes one service. Fields with their schema default
// (container_port equal to port, publish true, deployed true, scheme
// http) are left out, so the file says only what is particular.
func serviceDecl(s *Service) ast.Decl {
	b := newStruct(s.Notes, "")
	b.add("host", str(s.Host))
	b.add("port", intLit(s.Port))
	if s.ContainerPort != 0 && s.ContainerPort != s.Port {
		b.add("container_port", intLit(s.ContainerPort))
	}
	if !s.Publish {
		b.add("publish", ast.NewBool(false))
	}
	if len(s.Ports) > 0 {
		ports := newStruct(s.Notes, "ports")
		for _, np := range s.Ports {
			pb := newStruct(s.Notes, "ports."+np.Name)
			pb.add("port", intLit(np.Port))
			if np.ContainerPort != 0 && np.ContainerPort != np.Port {
				pb.add("container_port", intLit(np.ContainerPort))
			}
			if np.Protocol != "" && np.Protocol != "tcp" {
				pb.add("protocol", str(np.Protocol))
			}
			if !np.Publish {
				pb.add("publish", ast.NewBool(false))
			}
			ports.add(np.Name, pb.lit)
		}
		b.add("ports", ports.lit)
	}
	if s.Scheme != "" && s.Scheme != "http" {
		b.add("scheme", str(s.Scheme))
	}
	b.str("port_env", s.PortEnv)
	b.add("range", str(s.Range))
	b.str("runtime", s.Runtime)
	b.str("description", s.Description)
	b.str("tier", s.Tier)
	if !s.Deployed {
		b.add("deployed", ast.NewBool(false))
	}
	if s.Planned != nil {
		pb := newStruct(s.Notes, "planned")
		pb.add("port", intLit(s.Planned.Port))
		pb.str("range", s.Planned.Range)
		b.add("planned", pb.lit)
	}
	b.str("exception", s.Exception)
	b.str("container", s.Container)
	if len(s.Public) > 0 {
		l := publicList(s)
		b.add("public", l)
	}
	if m := s.Metrics; m != nil {
		mb := newStruct(s.Notes, "metrics")
		mb.str("job", m.Job)
		if m.Path != "" && m.Path != "/metrics" {
			mb.add("path", str(m.Path))
		}
		mb.str("interval", m.Interval)
		mb.str("scheme", m.Scheme)
		mb.str("port", m.Port)
		if len(m.Labels) > 0 {
			mb.add("labels", value(m.Labels))
		}
		b.add("metrics", mb.lit)
	}
	if len(s.Probes) > 0 {
		l := &ast.ListLit{}
		for _, p := range s.Probes {
			pb := newStruct(nil, "")
			pb.add("job", str(p.Job))
			pb.str("path", p.Path)
			pb.str("hostname", p.Hostname)
			l.Elts = append(l.Elts, pb.lit)
		}
		b.add("probes", l)
	}
	if len(s.Needs) > 0 {
		l := needList(s)
		b.add("needs", l)
	}
	if len(s.Env) > 0 {
		env := newStruct(s.Notes, "env")
		for _, e := range s.Env {
			env.add(e.Name, str(e.Value))
		}
		b.add("env", env.lit)
	}
	if len(s.Secrets) > 0 {
		l := &ast.ListLit{}
		for i, sec := range s.Secrets {
			var e ast.Expr
			if sec.From == "" || sec.From == sec.Env {
				e = str(sec.Env)
			} else {
				e = ast.NewStruct(field("env", str(sec.Env)), field("from", str(sec.From)))
			}
			l.Elts = append(l.Elts, e)
			s.hoist("secrets", sec.Env, i)
		}
		b.add("secrets", multiline(l))
	}
	if len(s.Compose) > 0 {
		cb := newStruct(s.Notes, "compose")
		for _, f := range s.Compose {
			cb.add(f.Key, value(f.Value))
		}
		b.add("compose", cb.lit)
	}
	return entityDecl("services", s.Name, b.lit, s.Notes[""])
}

func publicList(s *Service) *ast.ListLit {
	l := &ast.ListLit{}
	for i, p := range s.Public {
		var e ast.Expr
		if p.Path == "" && p.Port == "" {
			e = str(p.Hostname)
		} else {
			pb := newStruct(nil, "")
			pb.add("hostname", str(p.Hostname))
			pb.str("path", p.Path)
			pb.str("port", p.Port)
			e = pb.lit
		}
		l.Elts = append(l.Elts, e)
		s.hoist("public", p.Hostname, i)
	}
	return multiline(l)
}

func needList(s *Service) *ast.ListLit {
	l := &ast.ListLit{}
	for i, n := range s.Needs {
		var e ast.Expr
		if n.Depends && !n.NoURL && n.Condition == "" && n.Env == "" && n.Port == "" && n.From == "" &&
			n.Scheme == "" && n.Path == "" && n.User == "" && n.Password == "" {
			e = str(n.Service)
		} else {
			nb := newStruct(nil, "")
			nb.add("service", str(n.Service))
			if n.NoURL {
				nb.add("url", ast.NewBool(false))
			}
			nb.str("env", n.Env)
			nb.str("port", n.Port)
			nb.str("from", n.From)
			nb.str("scheme", n.Scheme)
			nb.str("path", n.Path)
			nb.str("user", n.User)
			nb.str("password", n.Password)
			if !n.Depends {
				nb.add("depends", ast.NewBool(false))
			}
			nb.str("condition", n.Condition)
			e = nb.lit
		}
		l.Elts = append(l.Elts, e)
		item := n.EnvNameOrDefault()
		if n.NoURL {
			item = n.Service
		}
		s.hoist("needs", item, i)
	}
	return l
}

// hoist moves the notes of list item i up to the list's own field,
// naming the item: comments inside list literals do not survive the
// formatter in a readable place.
func (s *Service) hoist(list, item string, i int) {
	key := fmt.Sprintf("%s[%d]", list, i)
	for _, n := range s.Notes[key] {
		s.Notes.Add(list, item+": "+n)
	}
	delete(s.Notes, key)
}
