package platformdiff

import (
	"fmt"
	"sort"
	"strings"

	"portschema/schema"
	"portschema/schema/review/derived"
)

// keyed is one side's items of a kind by key, with what to say of each.
type keyed map[string]item

type item struct {
	name, of string
	detail   string
	marks    []string
	// files, when set, are the generated files the item is in (a route
	// in its tunnel config, a job in its Prometheus config): the files
	// it touches, known without reading lines.
	files []string
}

// union is the sorted union of two lists of files.
func union(a, b []string) []string {
	out := []string{}
	for _, f := range concat(a, b) {
		out = appendNew(out, f)
	}
	sort.Strings(out)
	return out
}

// concat joins two lists into a new one.
func concat(a, b []string) []string { return append(append([]string{}, a...), b...) }

// change is the Change of an item; key is its name unless the item says.
func (it item) change(key, detail string, marks, files []string) Change {
	name := it.name
	if name == "" {
		name = key
	}
	return Change{Name: name, Of: it.of, Detail: detail, marks: marks, Files: files, known: files != nil}
}

// compareKeyed turns two sides' items into changes: keys on one side
// only are added or removed, keys whose detail differs are changed
// ("old → new").
func compareKeyed(old, new keyed) Changes {
	var c Changes
	for _, k := range sortedKeys(old) {
		o := old[k]
		n, ok := new[k]
		switch {
		case !ok:
			c.Removed = append(c.Removed, o.change(k, o.detail, o.marks, o.files))
		case n.detail != o.detail:
			var files []string
			if o.files != nil || n.files != nil {
				files = union(o.files, n.files)
			}
			c.Changed = append(c.Changed, n.change(k, o.detail+" → "+n.detail, concat(o.marks, n.marks), files))
		}
	}
	for _, k := range sortedKeys(new) {
		if _, ok := old[k]; !ok {
			c.Added = append(c.Added, new[k].change(k, new[k].detail, new[k].marks, new[k].files))
		}
	}
	return c
}

func compareHosts(old, new *schema.Platform) Changes {
	side := func(p *schema.Platform) keyed {
		k := keyed{}
		for _, h := range p.Hosts {
			detail := h.Kind
			if h.Address != "" {
				detail += " at " + h.Address
			}
			k[h.Name] = item{detail: detail, marks: []string{h.Name, h.Address}}
		}
		return k
	}
	return compareKeyed(side(old), side(new))
}

// compareRanges reports ranges by name; a range removed and another
// added with the same span is a rename.
func compareRanges(old, new *schema.Platform) Changes {
	side := func(p *schema.Platform) keyed {
		k := keyed{}
		for _, r := range p.Ranges {
			k[r.Name] = item{detail: fmt.Sprintf("%d-%d", r.From, r.To), marks: []string{r.Name}}
		}
		return k
	}
	c := compareKeyed(side(old), side(new))
	var added []Change
	for _, a := range c.Added {
		renamed := false
		for i, r := range c.Removed {
			if r.Detail == a.Detail {
				c.Changed = append(c.Changed, Change{Name: a.Name, Detail: "renamed from " + r.Name + " (" + a.Detail + ")",
					marks: concat(r.marks, a.marks)})
				c.Removed = append(c.Removed[:i], c.Removed[i+1:]...)
				renamed = true
				break
			}
		}
		if !renamed {
			added = append(added, a)
		}
	}
	c.Added = added
	sort.Slice(c.Changed, func(i, j int) bool { return c.Changed[i].Name < c.Changed[j].Name })
	return c
}

// compareHostnames: the public hostnames (and paths) of services and of
// the tunnels' hand-written rules, with what each reaches.
func compareHostnames(old, new *schema.Platform) Changes {
	side := func(p *schema.Platform) keyed {
		k := keyed{}
		for _, s := range p.Services {
			for _, pub := range s.Public {
				k[pub.Hostname+pub.Path] = item{detail: s.Name, marks: []string{pub.Hostname}}
			}
		}
		for _, h := range p.Hosts {
			if h.Tunnel == nil {
				continue
			}
			for _, r := range h.Tunnel.Rules {
				if r.Hostname != "" {
					k[r.Hostname+r.Path] = item{detail: "tunnel rule on " + h.Name, marks: []string{r.Hostname}}
				}
			}
		}
		return k
	}
	return compareKeyed(side(old), side(new))
}

// compareRoutes: the generated ingress rules by the requests they match,
// with where they send them. The catch-all is always there.
func compareRoutes(old, new []derived.Route) Changes {
	side := func(routes []derived.Route) keyed {
		k := keyed{}
		for _, r := range routes {
			if r.Hostname != "" {
				it := k[r.Key()]
				it.detail, it.marks = r.Service, []string{r.Hostname}
				it.files = appendNew(it.files, r.File)
				k[r.Key()] = it
			}
		}
		return k
	}
	return compareKeyed(side(old), side(new))
}

// compareJobs: scrape jobs by name with their targets, and the probes
// as one item per job and URL probed.
func compareJobs(old, new []derived.Job) (jobs, probes Changes) {
	side := func(all []derived.Job) (keyed, keyed) {
		js, ps := keyed{}, keyed{}
		for _, j := range all {
			var targets []string
			for _, t := range j.Targets {
				if j.Probe {
					key := j.Name + " " + t.Address
					ps[key] = item{name: t.Address, of: j.Name, detail: t.Service, marks: []string{t.Address},
						files: appendNew(ps[key].files, j.File)}
				} else {
					targets = append(targets, t.Address)
				}
			}
			if !j.Probe {
				js[j.Name] = item{detail: strings.Join(targets, ", "), marks: []string{j.Name},
					files: appendNew(js[j.Name].files, j.File)}
			}
		}
		return js, ps
	}
	oj, op := side(old)
	nj, np := side(new)
	return compareKeyed(oj, nj), compareKeyed(op, np)
}

// compareEnv: the variables of each service on both sides, generated or
// plain. Values are not compared: a URL that changes follows from a
// change reported elsewhere, and plain values are the source's own.
func compareEnv(old, new *schema.Platform) Changes {
	side := func(p, other *schema.Platform) keyed {
		k := keyed{}
		for _, s := range p.Services {
			if other.Service(s.Name) == nil {
				continue
			}
			for _, g := range schema.GeneratedEnv(s) {
				k[s.Name+" "+g.Name] = item{name: g.Name, of: s.Name, detail: envOrigin(s, g), marks: []string{g.Name}}
			}
			for name := range s.Env {
				k[s.Name+" "+name] = item{name: name, of: s.Name, detail: "plain value", marks: []string{name}}
			}
		}
		return k
	}
	c := compareKeyed(side(old, new), side(new, old))
	c.Changed = nil // a variable that now comes from elsewhere keeps its name
	return c
}

// envOrigin says where a generated variable comes from.
func envOrigin(s *schema.Service, g schema.GeneratedVar) string {
	switch {
	case g.Field == "port_env":
		return "its port"
	case strings.HasPrefix(g.Field, "secrets"):
		return "a secret"
	}
	for _, n := range s.Needs {
		if !n.NoURL && n.EnvName() == g.Name {
			return "URL of " + n.Service
		}
	}
	return g.Field
}

// compareSecrets: the variables each host's services read from the
// host, which the host's secrets template lists and someone must set.
func compareSecrets(old, new *schema.Platform) Changes {
	side := func(p *schema.Platform) keyed {
		users := map[string][]string{}
		add := func(key, service string) {
			if u := users[key]; len(u) == 0 || u[len(u)-1] != service {
				users[key] = append(u, service)
			}
		}
		for _, s := range p.Services {
			for _, sec := range s.Secrets {
				add(s.Host+" "+sec.From, s.Name)
			}
			for _, n := range s.Needs {
				if n.Password != "" && !n.NoURL {
					add(s.Host+" "+n.Password, s.Name)
				}
			}
		}
		k := keyed{}
		for key, us := range users {
			host, name, _ := strings.Cut(key, " ")
			k[key] = item{name: name, of: host, detail: "read by " + strings.Join(us, ", "), marks: []string{name}}
		}
		return k
	}
	c := compareKeyed(side(old), side(new))
	c.Changed = nil // still needed on the host; who reads it is not the change
	return c
}
