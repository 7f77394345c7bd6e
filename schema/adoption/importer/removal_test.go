package importer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// parseFixture reads the inputs of one fixture commit in memory.
func parseFixture(t *testing.T, dir string) *Parsed {
	t.Helper()
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	c, err := handwritten.ParseCompose("docker-compose.macmini.yml", read("docker-compose.macmini.yml"))
	if err != nil {
		t.Fatal(err)
	}
	tun, err := handwritten.ParseCloudflared("cloudflared-config.yml", read("cloudflared-config.yml"))
	if err != nil {
		t.Fatal(err)
	}
	prom, err := handwritten.ParsePrometheus("prometheus.yml", read("prometheus.yml"))
	if err != nil {
		t.Fatal(err)
	}
	doc := handwritten.ParseDoc("PORT_SCHEMA.md", read("PORT_SCHEMA.md"))
	files := handwritten.Files{Compose: []*handwritten.ComposeFile{c}, Cloudflared: []*handwritten.CloudflaredFile{tun}, Prometheus: prom, Doc: doc}
	parsed, err := Prepare(files, ".")
	if err != nil {
		t.Fatal(err)
	}
	return parsed
}

// comparable is a service with its range named by its ports, since the
// commit renamed the range that held the removed stack.
func comparable(s *schema.Service, ranges map[string]string) schema.Service {
	c := *s
	c.Range = ranges[s.Range]
	return c
}

func rangeSpans(src *Source) map[string]string {
	out := map[string]string{}
	for _, r := range src.Platform.Ranges {
		out[r.Name] = strings.Join([]string{itoa(r.From), itoa(r.To)}, "-")
	}
	return out
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// withoutRemoved drops from a service of `before` what referred to the
// removed stack: needs on its services and its MATRIX_* variables.
func withoutRemoved(s schema.Service, removed map[string]bool) schema.Service {
	var needs []schema.Need
	for _, n := range s.Needs {
		if !removed[n.Service] {
			needs = append(needs, n)
		}
	}
	s.Needs = needs
	var secrets []schema.Secret
	for _, sec := range s.Secrets {
		if !strings.HasPrefix(sec.Env, "MATRIX_") {
			secrets = append(secrets, sec)
		}
	}
	s.Secrets = secrets
	env := map[string]schema.EnvValue{}
	for name, e := range s.Env {
		if !strings.HasPrefix(name, "MATRIX_") {
			env[name] = e
		}
	}
	if len(env) == 0 {
		env = nil
	}
	s.Env = env
	return s
}

// TestRemovalCommit replays the commit that removed the Matrix stack:
// the sources imported from before and after differ by the stack's
// services and routes, and by nothing else but the lines the commit
// itself changed in other files (two doc rows that mentioned Matrix).
func TestRemovalCommit(t *testing.T) {
	before, _, err := Build(parseFixture(t, fixtureDir(t, "before")))
	if err != nil {
		t.Fatal(err)
	}
	after, _, err := Build(parseFixture(t, fixtureDir(t, "after")))
	if err != nil {
		t.Fatal(err)
	}
	bs, as := map[string]*schema.Service{}, map[string]*schema.Service{}
	for _, s := range before.Platform.Services {
		bs[s.Name] = s
	}
	for _, s := range after.Platform.Services {
		as[s.Name] = s
	}
	var removed []string
	removedSet := map[string]bool{}
	for name := range bs {
		if as[name] == nil {
			removed = append(removed, name)
			removedSet[name] = true
		}
	}
	sort.Strings(removed)
	if want := []string{"element-web", "mana-matrix-bot", "matrix-web", "synapse"}; !reflect.DeepEqual(removed, want) {
		t.Errorf("removed services %v, want %v", removed, want)
	}
	for name := range as {
		if bs[name] == nil {
			t.Errorf("service %s appears only after the removal", name)
		}
	}
	docChanged := map[string]bool{"mana-notify": true, "alert-notifier": true}
	br, ar := rangeSpans(before), rangeSpans(after)
	for name, a := range as {
		b := bs[name]
		if b == nil {
			continue
		}
		want, have := withoutRemoved(comparable(b, br), removedSet), comparable(a, ar)
		if docChanged[name] {
			want.Description, have.Description = "", ""
		}
		if !reflect.DeepEqual(want, have) {
			wj, _ := json.Marshal(want)
			hj, _ := json.Marshal(have)
			t.Errorf("service %s differs:\nbefore %s\nafter  %s", name, wj, hj)
		}
	}
	if !reflect.DeepEqual(publicNames(before, removedSet), publicNames(after, nil)) {
		t.Errorf("public hostnames of the remaining services differ:\nbefore %v\nafter  %v", publicNames(before, removedSet), publicNames(after, nil))
	}
	checkRemovedRoutes(t, before, after)
	if !reflect.DeepEqual(spans(br), spans(ar)) {
		t.Errorf("ranges differ: before %v, after %v", spans(br), spans(ar))
	}
}

func publicNames(src *Source, skip map[string]bool) []string {
	var out []string
	for _, s := range src.Platform.Services {
		if !skip[s.Name] {
			for _, p := range s.Public {
				out = append(out, s.Name+"="+p.Hostname+p.Path)
			}
		}
	}
	sort.Strings(out)
	return out
}

func spans(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// checkRemovedRoutes: the tunnel rules that routed to no service lose
// exactly the stack's link.mana.how, and nothing is added.
func checkRemovedRoutes(t *testing.T, before, after *Source) {
	rules := func(src *Source) []string {
		var out []string
		for _, h := range src.Platform.Hosts {
			if h.Tunnel != nil {
				for _, r := range h.Tunnel.Rules {
					out = append(out, r.Hostname)
				}
			}
		}
		sort.Strings(out)
		return out
	}
	b, a := rules(before), rules(after)
	var gone []string
	for _, r := range b {
		found := false
		for _, x := range a {
			found = found || x == r
		}
		if !found {
			gone = append(gone, r)
		}
	}
	if !reflect.DeepEqual(gone, []string{"link.mana.how"}) || len(a) != len(b)-1 {
		t.Errorf("extra tunnel rules before %v, after %v; want only link.mana.how removed", b, a)
	}
}
