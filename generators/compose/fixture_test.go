package compose

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"portschema/schema"
)

// fixtureFile is the hand-written compose file of the mana platform's
// Mac Mini (testdata/fixtures/mana/after at the repository root), which
// the project's own source was written from.
const fixtureFile = "../../testdata/fixtures/mana/after/docker-compose.macmini.yml"

// difference is one value that differs between the fixture and the
// generated file, by service and path ("environment.PORT",
// "ports[3015/tcp].published", "labels.portschema.tier").
type difference struct {
	service, path      string
	fixture, generated string
}

func (d difference) String() string {
	return fmt.Sprintf("%s: %s: fixture %s, generated %s", d.service, d.path, d.fixture, d.generated)
}

// absent marks a value one side does not have.
const absent = "(absent)"

// compareProjects lists every difference between two projects, service
// by service, after both went through compose-go's loader (so short and
// long syntax, list and map forms compare equal).
func compareProjects(fixture, generated *types.Project) []difference {
	var diffs []difference
	names := map[string]bool{}
	for name := range fixture.Services {
		names[name] = true
	}
	for name := range generated.Services {
		names[name] = true
	}
	for _, name := range slices.Sorted(maps.Keys(names)) {
		f, inF := fixture.Services[name]
		g, inG := generated.Services[name]
		switch {
		case !inF:
			diffs = append(diffs, difference{name, "", absent, "service"})
		case !inG:
			diffs = append(diffs, difference{name, "", "service", absent})
		default:
			diffs = append(diffs, compareTrees(name, "", comparable(f), comparable(g))...)
		}
	}
	diffs = append(diffs, compareTrees("(top level)", "volumes", tree(fixture.Volumes), tree(generated.Volumes))...)
	diffs = append(diffs, compareTrees("(top level)", "networks", tree(fixture.Networks), tree(generated.Networks))...)
	return diffs
}

// comparable is a service as a tree of maps, with ports keyed by
// container port and protocol and volumes by target, so that an added
// or reordered entry is one difference, not a shift of all others.
func comparable(s types.ServiceConfig) map[string]any {
	m, _ := tree(s).(map[string]any)
	if m == nil {
		return nil
	}
	ports := map[string]any{}
	for _, p := range s.Ports {
		ports[fmt.Sprintf("%d/%s", p.Target, p.Protocol)] = tree(p)
	}
	delete(m, "ports")
	if len(ports) > 0 {
		m["ports"] = ports
	}
	volumes := map[string]any{}
	for _, v := range s.Volumes {
		volumes[v.Target] = tree(v)
	}
	delete(m, "volumes")
	if len(volumes) > 0 {
		m["volumes"] = volumes
	}
	return m
}

// tree is a value as JSON sees it: maps, lists and scalars.
func tree(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

// compareTrees lists the paths where two trees differ; maps are walked
// key by key, anything else compares whole.
func compareTrees(service, path string, f, g any) []difference {
	fm, fIsMap := f.(map[string]any)
	gm, gIsMap := g.(map[string]any)
	if fIsMap && gIsMap || fIsMap && g == nil || f == nil && gIsMap {
		keys := map[string]bool{}
		for k := range fm {
			keys[k] = true
		}
		for k := range gm {
			keys[k] = true
		}
		var diffs []difference
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			diffs = append(diffs, compareTrees(service, join(path, k), fm[k], gm[k])...)
		}
		return diffs
	}
	if reflect.DeepEqual(f, g) {
		return nil
	}
	return []difference{{service, path, render(f), render(g)}}
}

func join(path, key string) string {
	switch {
	case path == "":
		return key
	case strings.HasSuffix(path, "ports") || strings.HasSuffix(path, "volumes"):
		return path + "[" + key + "]"
	}
	return path + "." + key
}

func render(v any) string {
	if v == nil {
		return absent
	}
	data, _ := json.Marshal(v)
	return string(data)
}

// correction is a difference the mana source makes on purpose, with
// both values pinned, so a later change to either side is noticed.
type correction struct {
	service, path      string
	fixture, generated string
	why                string
}

// corrections are the deliberate differences between the hand-written
// compose file and the one generated from the project's own source,
// beside the generator-wide ones in generatorChanges.
var corrections = []correction{
	// Host port collisions in the hand-written file.
	{"memoro-server", "ports[3015/tcp].published", `"3015"`, `"3042"`,
		"host port 3015 was also published by mana-landing-builder"},
	{"memoro-audio-server", "ports[3016/tcp].published", `"3016"`, `"3043"`,
		"host port 3016 was also published by api-gateway"},
	// URLs with ports nothing listens on.
	{"mana-auth", "environment.MANA_CREDITS_URL", `"http://mana-credits:3061"`, `"http://mana-credits:3002"`,
		"mana-credits listens on 3002, not 3061"},
	{"memoro-server", "environment.MANA_CREDITS_URL", `"http://mana-credits:3006"`, `"http://mana-credits:3002"`,
		"mana-credits listens on 3002, not 3006"},
	{"memoro-audio-server", "environment.MANA_STT_URL", `"http://host.docker.internal:3020"`, `"http://192.168.178.11:3020"`,
		"mana-stt runs on the GPU box, not on the Mac Mini"},
	// Secrets whose reference the source states plainly.
	{"mana-auth", "environment.BETTER_AUTH_SECRET", `"${BETTER_AUTH_SECRET:-${JWT_SECRET:-your-jwt-secret-change-me}}"`, `"${JWT_SECRET}"`,
		"the host sets only JWT_SECRET, which the fallback chain ended at"},
	{"glitchtip", "environment.REDIS_URL", `"redis://:${REDIS_PASSWORD:-redis123}@redis:6379/1"`, `"redis://default:${REDIS_PASSWORD}@redis:6379/1"`,
		"redis' user is named (default) and the password default is dropped"},
	{"glitchtip-worker", "environment.REDIS_URL", `"redis://:${REDIS_PASSWORD:-redis123}@redis:6379/1"`, `"redis://default:${REDIS_PASSWORD}@redis:6379/1"`,
		"redis' user is named (default) and the password default is dropped"},
	// Secrets a service uses but was not given.
	{"minio-init", "environment.MINIO_ACCESS_KEY", absent, `"${MINIO_ACCESS_KEY}"`,
		"its entrypoint reads $MINIO_ACCESS_KEY in the container, which fell back to minioadmin"},
	{"minio-init", "environment.MINIO_SECRET_KEY", absent, `"${MINIO_SECRET_KEY}"`,
		"its entrypoint reads $MINIO_SECRET_KEY in the container, which fell back to minioadmin"},
	{"mana-llm", "environment.REDIS_URL", `"redis://redis:6379"`, `"redis://:${REDIS_PASSWORD}@redis:6379"`,
		"redis runs with --requirepass, so the URL carries the password (the audit found it missing)"},
	{"redis", "environment.REDIS_PASSWORD", absent, `"${REDIS_PASSWORD}"`,
		"the password is declared as redis' secret; its command still interpolates it"},
	// Leftovers vet points at.
	{"(top level)", "volumes[analytics_data].name", `"mana-analytics-data"`, absent,
		"a named volume no service mounts"},
}

// generatorChange is a kind of difference the generator makes in every
// service alike; match says whether a difference is one, exactly.
type generatorChange struct {
	why   string
	match func(p *schema.Platform, d difference) bool
}

var generatorChanges = []generatorChange{
	{"generated labels portschema.service, .range and .tier", func(p *schema.Platform, d difference) bool {
		s := p.Service(d.service)
		want := map[string]string{"labels.portschema.service": s.Name, "labels.portschema.range": s.Range, "labels.portschema.tier": s.Tier}
		v, ok := want[d.path]
		return ok && d.fixture == absent && d.generated == render(v)
	}},
	{"named ports carry their name", func(p *schema.Platform, d difference) bool {
		for name, np := range p.Service(d.service).Ports {
			if d.path == fmt.Sprintf("ports[%d/%s].name", np.ContainerPort, np.Protocol) {
				return d.fixture == absent && d.generated == render(name)
			}
		}
		return false
	}},
	{"secrets are ${NAME}: defaults such as ${POSTGRES_PASSWORD:-mana123} are dropped", func(p *schema.Platform, d difference) bool {
		return d.generated != absent && dropDefaults(d.fixture) == d.generated &&
			referencesOnlySecrets(p.Service(d.service), d.generated)
	}},
	{"a plain setting written ${X:-default} is its default", func(p *schema.Platform, d difference) bool {
		m := plainDefault.FindStringSubmatch(d.fixture)
		return strings.HasPrefix(d.path, "environment.") && m != nil && render(m[1]) == d.generated
	}},
}

// defaultRE matches the default part of ${NAME:-default}, defaults
// without braces inside.
var defaultRE = regexp.MustCompile(`(\$\{[A-Za-z_][A-Za-z0-9_]*):-[^{}]*\}`)

// referencesOnlySecrets reports whether every ${NAME} in a value names
// a secret of the service or the password of one of its needs.
func referencesOnlySecrets(s *schema.Service, value string) bool {
	names := map[string]bool{}
	for _, sec := range s.Secrets {
		names[sec.From] = true
	}
	for _, n := range s.Needs {
		names[n.Password] = true
	}
	for _, m := range referenceRE.FindAllStringSubmatch(value, -1) {
		if !names[m[1]] {
			return false
		}
	}
	return true
}

var referenceRE = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

func dropDefaults(s string) string { return defaultRE.ReplaceAllString(s, "$1}") }

// plainDefault matches a JSON string that is only ${NAME:-default}.
var plainDefault = regexp.MustCompile(`^"\$\{[A-Za-z_][A-Za-z0-9_]*:-([^{}]*)\}"$`)

// TestMatchesTheHandWrittenFile compares the generated Mac Mini file
// with the hand-written one it replaces, service by service after both
// went through compose-go's loader. Every difference must be a
// correction the source makes on purpose or a change the generator makes
// everywhere; anything else is a bug in the source or the generator.
func TestMatchesTheHandWrittenFile(t *testing.T) {
	data, err := os.ReadFile(fixtureFile)
	if err != nil {
		t.Fatal(err)
	}
	p := loadPlatform(t, projectRoot)
	out := OutputPath(p.Host("macmini"))
	generated := generate(t, p)[out]
	// The fixture lies at the root of its project, the generated file in
	// out/: paths compare once each is resolved from its own directory.
	const root = "/project"
	diffs := compareProjects(loadResolved(t, data, root), loadResolved(t, generated, path.Join(root, path.Dir(out))))

	used := make([]bool, len(corrections))
	for _, d := range diffs {
		if i := slices.IndexFunc(corrections, func(c correction) bool {
			return c.service == d.service && c.path == d.path && c.fixture == d.fixture && c.generated == d.generated
		}); i >= 0 {
			used[i] = true
			continue
		}
		if p.Service(d.service) != nil && slices.ContainsFunc(generatorChanges, func(c generatorChange) bool { return c.match(p, d) }) {
			continue
		}
		t.Errorf("unexplained difference: %s", d)
	}
	for i, c := range corrections {
		if !used[i] {
			t.Errorf("correction matches no difference (remove or update it): %s: %s: %s -> %s", c.service, c.path, c.fixture, c.generated)
		}
	}
}

func TestCompareProjectsFindsDifferences(t *testing.T) {
	fixture := []byte("services:\n  a:\n    image: x\n    ports: [\"80:8080\"]\n    environment: {A: \"1\"}\n  b:\n    image: y\n")
	generated := []byte("services:\n  a:\n    image: x\n    ports: [\"81:8080\"]\n    environment: {A: \"2\", B: \"3\"}\n  c:\n    image: z\n")
	got := compareProjects(loadAsWritten(t, "f.yml", fixture), loadAsWritten(t, "g.yml", generated))
	want := []string{
		`a: environment.A: fixture "1", generated "2"`,
		`a: environment.B: fixture (absent), generated "3"`,
		`a: ports[8080/tcp].published: fixture "80", generated "81"`,
		`b: : fixture service, generated (absent)`,
		`c: : fixture (absent), generated service`,
	}
	var lines []string
	for _, d := range got {
		lines = append(lines, d.String())
	}
	if !slices.Equal(lines, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}
