package cloudflared

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"portschema/generators/gentest"
	"portschema/generators/yamlout"
	"portschema/schema/synthetic"
)

// randomRule is a rule of str's strings, some of them left out, with a
// comment of words from str (as a service's description would be).
func randomRule(r *rand.Rand, str func(*rand.Rand) string) ingressRule {
	maybe := func() string {
		if r.IntN(2) == 0 {
			return ""
		}
		return str(r)
	}
	var words []string
	for range r.IntN(5) {
		words = append(words, str(r))
	}
	return ingressRule{Hostname: maybe(), Path: maybe(), Service: str(r), Comment: strings.Join(words, " ")}
}

// checkRules checks that a file of rules has the bytes yaml.v4 gives the
// whole file, and returns how many of the rules were written directly.
func checkRules(t *testing.T, rules ...ingressRule) int {
	t.Helper()
	cfg := &config{tunnelHead: tunnelHead{Tunnel: "t", CredentialsFile: "/c.json"}, Ingress: rules}
	got, gotErr := cfg.marshal()
	want, wantErr := yamlout.Marshal(cfg)
	if (gotErr != nil) != (wantErr != nil) || !bytes.Equal(got, want) {
		t.Fatalf("%#v\nwritten as\n%s (%v)\nyaml.v4 writes\n%s (%v)", rules, got, gotErr, want, wantErr)
	}
	direct := 0
	for _, rule := range rules {
		if _, ok := yamlout.AppendItem(nil, rule, 2); ok {
			direct++
		}
	}
	return direct
}

// The rules written without yaml.v4 have its bytes, comments included:
// random rules of ordinary strings (always written directly) and of
// strings that must be quoted or read as another type, in the comment
// too (left to yaml.v4 where they appear), next to a rule with its own
// originRequest.
func TestRulesAreWrittenAsYAMLV4Writes(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	withOrigin := ingressRule{Hostname: "a.example.org", Service: "http://localhost:1", OriginRequest: map[string]any{"noTLSVerify": true}}
	tricky := 0
	for range 3000 {
		ordinary := randomRule(r, gentest.OrdinaryYAMLString)
		if checkRules(t, ordinary) != 1 {
			t.Fatalf("a rule of ordinary strings is left to yaml.v4: %#v", ordinary)
		}
		checkRules(t, randomRule(r, gentest.YAMLString), withOrigin, ordinary)
		tricky += checkRules(t, randomRule(r, gentest.Sometimes(gentest.OrdinaryYAMLString)))
	}
	// Where a rule has a few random strings, both paths are taken.
	if tricky < 300 || tricky > 2700 {
		t.Errorf("%d of 3000 rules with random strings are written directly", tricky)
	}
}

// Every rule generated for this project's tunnel, the small one's and a
// synthetic one's is written directly, but for wildcard hostnames
// (which yaml.v4 quotes) and rules with their own originRequest.
func TestGeneratedRulesAreWrittenDirectly(t *testing.T) {
	many := t.TempDir()
	if err := synthetic.Write(many, 100); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"../..", small, many} {
		plan, err := Prepare(gentest.Load(t, root), nil)
		if err != nil {
			t.Fatal(err)
		}
		direct := 0
		for _, cfg := range plan.cfgs {
			for _, rule := range cfg.Ingress {
				_, ok := yamlout.AppendItem(nil, rule, 2)
				if !ok && !strings.HasPrefix(rule.Hostname, "*") && len(rule.OriginRequest) == 0 {
					t.Errorf("%s: rule %s%s is left to yaml.v4", root, rule.Hostname, rule.Path)
				}
				if ok {
					direct++
				}
			}
		}
		if direct < 3 {
			t.Errorf("%s: %d rules written directly", root, direct)
		}
	}
}
