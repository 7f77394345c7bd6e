package platformdiff

import (
	"fmt"
	"sort"
	"strconv"

	"portschema/schema"
	"portschema/schema/review/derived"
)

// dangling finds values of the new source, written by hand, that still
// name what the change removed: a plain env value with a removed
// service's address, a compose key with its container name, a tunnel
// rule or extra scrape job that points at it, a removed hostname. The
// source's own references (needs, probes, frontends) to a removed
// service are errors of the new source, reported by its load.
func dangling(old, new *schema.Platform, d *Diff) []Dangling {
	alive := map[string]bool{}
	for _, s := range new.Services {
		for _, m := range derived.Marks(new, s) {
			alive[m] = true
		}
	}
	owner := map[string]string{} // mark -> what it named
	for _, r := range d.Services.Removed {
		s := old.Service(r.Name)
		for _, m := range derived.Marks(old, s) {
			if m != s.Name && !alive[m] {
				owner[m] = "service " + s.Name
			}
		}
	}
	for _, h := range d.Hostnames.Removed {
		for _, m := range h.marks {
			if !alive[m] {
				owner[m] = "hostname " + m
			}
		}
	}
	if len(owner) == 0 {
		return nil
	}
	marks := sortedKeys(owner)
	index := derived.NewIndex()
	for id, m := range marks {
		index.Add(m, id)
	}
	var out []Dangling
	check := func(pos schema.Pos, what, value string) {
		first := -1
		index.Each(value, func(id int) {
			if first < 0 || id < first {
				first = id
			}
		})
		if first >= 0 {
			out = append(out, Dangling{Pos: pos, Message: fmt.Sprintf("%s still names %s, which this change removes (%s)",
				what, owner[marks[first]], strconv.Quote(value))})
		}
	}
	for _, s := range new.Services {
		for _, name := range sortedKeys(s.Env) {
			check(s.At("env."+name), s.Name+": env "+name, s.Env[name].Value)
		}
		walkStrings(s.Compose, "compose", func(path, value string) {
			check(s.At(path), s.Name+": "+path, value)
		})
	}
	for _, h := range new.Hosts {
		if h.Tunnel == nil {
			continue
		}
		for i, r := range h.Tunnel.Rules {
			field := fmt.Sprintf("tunnel.rules[%d].service", i)
			check(h.At(field), "host "+h.Name+": "+field, r.Service)
		}
	}
	if pr := new.Prometheus; pr != nil {
		for i, j := range pr.Jobs {
			walkStrings(j, fmt.Sprintf("jobs[%d]", i), func(path, value string) {
				check(pr.At(path), "prometheus: "+path, value)
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pos.Less(out[j].Pos) })
	return out
}

// walkStrings calls f with the path (as Positions write it) and value of
// every string in a block decoded from JSON.
func walkStrings(v any, path string, f func(path, value string)) {
	switch v := v.(type) {
	case string:
		f(path, v)
	case map[string]any:
		for _, k := range sortedKeys(v) {
			walkStrings(v[k], path+"."+k, f)
		}
	case []any:
		for i, e := range v {
			walkStrings(e, fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}
