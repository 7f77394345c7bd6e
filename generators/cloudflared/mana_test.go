package cloudflared

import (
	"os"
	"strings"
	"testing"

	"portschema/generators/gentest"
	"portschema/generators/output"
	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// The project's own platform (schema/ at the repository root) was
// written from the mana platform's hand-written files. Its tunnel file
// must route every hostname of the hand-written cloudflared-config.yml
// (testdata/fixtures/mana/{before,after} at the repository root) to the
// same origin, except for the differences listed here, each with its
// reason. Anything else that differs fails the test.

// removedStack are routes of the services the "after" commit removed
// (Synapse, Element and the link page): no service of the source has
// these hostnames any more, so they get no route.
var removedStack = map[string]string{
	"matrix.mana.how":  "Synapse, removed",
	"element.mana.how": "Element web client, removed",
	"link.mana.how":    "matrix link page, removed",
}

// addedRoutes are hostnames browsers are sent to (the apps' *_CLIENT
// URLs) that the hand-written tunnel never routed; the source declares
// them as public hostnames, so the tunnel routes them now.
var addedRoutes = map[string]string{
	"events.mana.how":    "mana-events, PUBLIC_MANA_EVENTS_URL_CLIENT",
	"llm.mana.how":       "mana-llm, PUBLIC_MANA_LLM_URL_CLIENT",
	"media.mana.how":     "mana-media, PUBLIC_MANA_MEDIA_URL_CLIENT and S3_PUBLIC_URL",
	"sync.mana.how":      "mana-sync, the web apps' sync URLs",
	"uload-api.mana.how": "uload-server, PUBLIC_ULOAD_SERVER_URL_CLIENT",
}

func manaTunnelFile(t *testing.T) (*schema.Platform, output.File) {
	t.Helper()
	p := gentest.Load(t, "../..")
	files := generate(t, p)
	if len(files) != 1 || files[0].Path != "out/cloudflared-macmini.yml" {
		t.Fatalf("files %v, want out/cloudflared-macmini.yml", files)
	}
	return p, files[0]
}

func TestManaTunnelFileHoldsEveryRule(t *testing.T) {
	p, f := manaTunnelFile(t)
	checkGeneratedFile(t, p, f)
}

func TestManaRoutesWhatTheFixtureRoutes(t *testing.T) {
	p, f := manaTunnelFile(t)
	gen, err := readTunnel(f.Path, f.Data)
	if err != nil {
		t.Fatalf("cloudflared would refuse the generated file: %v", err)
	}
	for _, commit := range []string{"before", "after"} {
		data, err := os.ReadFile("../../testdata/fixtures/mana/" + commit + "/cloudflared-config.yml")
		if err != nil {
			t.Fatal(err)
		}
		fix, err := readTunnel(commit, data)
		if err != nil {
			t.Fatalf("%s: cloudflared would refuse the hand-written file: %v", commit, err)
		}
		if fix.Tunnel != gen.Tunnel || fix.CredentialsFile != gen.CredentialsFile {
			t.Errorf("%s: tunnel %s %s, generated %s %s", commit, fix.Tunnel, fix.CredentialsFile, gen.Tunnel, gen.CredentialsFile)
		}
		compareRoutes(t, p, commit, byRoute(fix), byRoute(gen))
	}
}

// compareRoutes: every fixture route is generated with the same origin,
// or is a listed removal; every generated route is in the fixture, or is
// a listed addition.
func compareRoutes(t *testing.T, p *schema.Platform, commit string, fix, gen map[string]string) {
	t.Helper()
	for route, origin := range fix {
		got, ok := gen[route]
		switch reason, removed := removedStack[route]; {
		case removed && ok:
			t.Errorf("%s: %s is listed as removed (%s) but routed to %s", commit, route, reason, got)
		case removed:
			if owner, _ := ownerOf(p, handwritten.IngressRule{Hostname: route}); owner != nil {
				t.Errorf("%s: %s is listed as removed, yet service %s has it", commit, route, owner.Name)
			}
		case !ok:
			t.Errorf("%s: %s (to %s) is not routed", commit, route, origin)
		case got != origin:
			t.Errorf("%s: %s is routed to %s, the fixture to %s", commit, route, got, origin)
		}
	}
	for route, origin := range gen {
		if _, ok := fix[route]; !ok && addedRoutes[route] == "" {
			t.Errorf("%s: %s (to %s) is generated but neither in the fixture nor listed in addedRoutes", commit, route, origin)
		}
	}
}

// byRoute maps "hostname path" to the origin service of every rule.
func byRoute(cfg *handwritten.CloudflaredFile) map[string]string {
	out := map[string]string{}
	for _, r := range cfg.Rules {
		out[strings.TrimSpace(r.Hostname+" "+r.Path)] = r.Service
	}
	return out
}
