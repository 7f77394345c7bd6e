package cloudflared

import (
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"portschema/generators/output"
	"portschema/generators/output/golden"
	"portschema/generators/prepared"
	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

func generate(t *testing.T, p *schema.Platform) []output.File {
	t.Helper()
	files, err := prepared.Generate(Prepare, p)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return files
}

func checkGolden(t *testing.T, name string, data []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), data)
}

// readTunnel parses a cloudflared config and applies the checks
// cloudflared makes when it starts (the production validator of
// hand-written configs, which knows nothing of the generator), so every
// generated file is held to cloudflared's own ingress rules.
func readTunnel(name string, data []byte) (*handwritten.CloudflaredFile, error) {
	f, err := handwritten.ParseCloudflared(name, data)
	if err != nil {
		return nil, err
	}
	var problems []string
	for _, p := range f.Validate() {
		problems = append(problems, p.Pos.String()+": "+p.Message)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return f, nil
}

// tunnelOf returns the host whose tunnel file is at path.
func tunnelOf(t *testing.T, p *schema.Platform, path string) *schema.Host {
	t.Helper()
	for _, h := range p.Hosts {
		if h.Tunnel != nil && OutputPath(h) == path {
			return h
		}
	}
	t.Fatalf("no tunnel host writes %s", path)
	return nil
}

// checkGeneratedFile holds one generated tunnel file to every property
// a route must have: cloudflared's own ingress rules; the tunnel's id and
// credentials; the hand-written rules first and the catch-all last; no
// hostname and path routed twice; and every generated route owned by a
// deployed service and pointing at a port that service listens on, as
// the model says, from the tunnel's host.
func checkGeneratedFile(t *testing.T, p *schema.Platform, f output.File) {
	t.Helper()
	cfg, err := readTunnel(f.Path, f.Data)
	if err != nil {
		t.Errorf("%s: cloudflared would refuse it: %v", f.Path, err)
		return
	}
	h := tunnelOf(t, p, f.Path)
	if cfg.Tunnel != h.Tunnel.ID || cfg.CredentialsFile != h.Tunnel.CredentialsFile {
		t.Errorf("%s: tunnel %q credentials %q", f.Path, cfg.Tunnel, cfg.CredentialsFile)
	}
	rules := cfg.Rules[:len(cfg.Rules)-1]
	if cfg.Rules[len(cfg.Rules)-1].Service != "http_status:404" {
		t.Errorf("%s: the catch-all is %+v", f.Path, cfg.Rules[len(cfg.Rules)-1])
	}
	seen := map[string]bool{}
	handWritten := 0
	for _, r := range rules {
		key := r.Hostname + " " + r.Path
		if seen[key] {
			t.Errorf("%s: %s routed twice", f.Path, key)
		}
		seen[key] = true
		if handWritten < len(h.Tunnel.Rules) {
			if x := h.Tunnel.Rules[handWritten]; x.Hostname == r.Hostname && x.Path == r.Path && x.Service == r.Service {
				handWritten++
				continue
			}
		}
		if err := reachesListener(p, h, r); err != nil {
			t.Errorf("%s: %s%s -> %s: %v", f.Path, r.Hostname, r.Path, r.Service, err)
		}
	}
	if handWritten != len(h.Tunnel.Rules) {
		t.Errorf("%s: the hand-written rules are not all there in the order written (%d of %d found)", f.Path, handWritten, len(h.Tunnel.Rules))
	}
}

// firstMatch is where cloudflared sends a request for host and path: the
// first rule whose hostname matches (matchHost) and whose path, a
// regular expression, is found in the request path.
func firstMatch(t *testing.T, rules []handwritten.IngressRule, host, path string) string {
	t.Helper()
	for _, r := range rules {
		if !r.Matches(host) {
			continue
		}
		if r.Path != "" && !regexp.MustCompile(r.Path).MatchString(path) {
			continue
		}
		return r.Service
	}
	t.Fatalf("no rule matches %s%s", host, path)
	return ""
}

// reachesListener finds the deployed service that owns a route's
// hostname and path, and checks that the route's origin is a port it
// listens on: on the tunnel's host, a published host port on localhost;
// on another host, a port at that host's address.
func reachesListener(p *schema.Platform, tunnel *schema.Host, r handwritten.IngressRule) error {
	owner, port := ownerOf(p, r)
	if owner == nil {
		return fmt.Errorf("no service has this public hostname")
	}
	if !owner.Deployed {
		return fmt.Errorf("%s is not deployed", owner.Name)
	}
	u, err := url.Parse(r.Service)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(u.Port())
	if err != nil {
		return fmt.Errorf("no port in %s", r.Service)
	}
	pr, _ := owner.PortNamed(port)
	host := p.Host(owner.Host)
	wantHost := host.Address
	if owner.Host == tunnel.Name {
		wantHost = "localhost"
	}
	switch {
	case u.Hostname() != wantHost:
		return fmt.Errorf("host %s, but %s runs on %s (%s)", u.Hostname(), owner.Name, owner.Host, wantHost)
	case pr.Port != n:
		return fmt.Errorf("port %d, but %s listens on %d", n, pr.Label(), pr.Port)
	case host.Kind == schema.KindCompose && !pr.Publish:
		return fmt.Errorf("%s is not published on %s", pr.Label(), owner.Host)
	}
	return nil
}

// ownerOf is the service with a public entry for the rule's hostname
// and path, and the port that entry names.
func ownerOf(p *schema.Platform, r handwritten.IngressRule) (*schema.Service, string) {
	for _, s := range p.Services {
		for _, pub := range s.Public {
			if pub.Hostname == r.Hostname && pub.Path == r.Path {
				return s, pub.Port
			}
		}
	}
	return nil, ""
}
