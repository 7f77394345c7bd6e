package compose

import (
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"

	"portschema/generators/output"
	"portschema/schema"
)

func TestContainerNames(t *testing.T) {
	_, project := labFile(t)
	for service, want := range map[string]string{
		"api":    "lab-core-api",   // the host's rule lab-{tier}-{name}
		"status": "lab-mon-status", // another tier
	} {
		if got := project.Services[service].ContainerName; got != want {
			t.Errorf("%s: container_name %q, want %q", service, got, want)
		}
	}
	p := loadPlatform(t, projectRoot)
	// mana-auth overrides the rule with container: "mana-auth".
	data := generate(t, p)[OutputPath(p.Host("macmini"))]
	mana := loadAsWritten(t, "macmini.yml", data)
	if got := mana.Services["mana-auth"].ContainerName; got != p.Service("mana-auth").Container || got == "" {
		t.Errorf("mana-auth: container_name %q, want the override %q", got, p.Service("mana-auth").Container)
	}
}

// portsOf renders a service's published ports as "published:target/protocol name".
func portsOf(project *types.Project, service string) []string {
	var out []string
	for _, p := range project.Services[service].Ports {
		out = append(out, strings.TrimSpace(fmt.Sprintf("%s:%d/%s %s", p.Published, p.Target, p.Protocol, p.Name)))
	}
	return out
}

func TestPorts(t *testing.T) {
	_, project := labFile(t)
	for service, want := range map[string][]string{
		"api":    {"3001:8080/tcp", "9464:9464/tcp metrics"}, // debug has publish: false
		"dns":    {"8053:8053/tcp", "53:53/udp dns"},
		"cache":  nil, // publish: false
		"status": nil, // network_mode: host listens on the host itself
	} {
		if got := portsOf(project, service); !slices.Equal(got, want) {
			t.Errorf("%s: ports %q, want %q", service, got, want)
		}
	}
}

func TestDependsOnNeedsOnTheSameHost(t *testing.T) {
	_, project := labFile(t)
	for service, want := range map[string]map[string]string{
		// db has a healthcheck, cache has none; stt and auth are on
		// other hosts.
		"api": {"db": "service_healthy", "cache": "service_started"},
		// the need of cache says depends: false.
		"worker": {"db": "service_healthy"},
		// db is needed with url: false: it orders the start all the same.
		"web": {"api": "service_healthy", "db": "service_healthy"},
		// api has a healthcheck, but the need says condition: "started".
		"dns": {"api": "service_started"},
		"db":  {},
	} {
		got := map[string]string{}
		for name, dep := range project.Services[service].DependsOn {
			got[name] = dep.Condition
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s: depends_on %v, want %v", service, got, want)
		}
	}
}

func TestNeedsWithURLFalseGenerateNoVariable(t *testing.T) {
	p, project := labFile(t)
	for service, target := range map[string]string{"web": "db", "dns": "api"} {
		n := p.Service(service).Needs[len(p.Service(service).Needs)-1]
		if n.Service != target || !n.NoURL {
			t.Fatalf("%s: the lab's last need must be %s with url: false, got %+v", service, target, n)
		}
		for name, value := range project.Services[service].Environment {
			if name == n.EnvName() || value != nil && strings.Contains(*value, "://"+target+":") {
				t.Errorf("%s: %s=%v, though its need of %s says url: false", service, name, *value, target)
			}
		}
	}
}

func TestLabelsMergeGeneratedAndWritten(t *testing.T) {
	_, project := labFile(t)
	for service, want := range map[string]types.Labels{
		"api": { // written as a list
			"portschema.service": "api", "portschema.range": "core", "portschema.tier": "core",
			"traefik.enable": "true", "traefik.http.routers.api.rule": "Host(`api.example.org`)",
		},
		"web": { // written as a map
			"portschema.service": "web", "portschema.range": "web", "portschema.tier": "app",
			"com.example.team": "web",
		},
	} {
		if got := project.Services[service].Labels; !maps.Equal(got, want) {
			t.Errorf("%s: labels %v, want %v", service, got, want)
		}
	}
	edge := loadAsWritten(t, "edge.yml", generate(t, loadPlatform(t, labRoot))["deploy/edge.yml"])
	if _, ok := edge.Services["proxy"].Labels["portschema.tier"]; ok {
		t.Error("proxy has no tier, yet has a portschema.tier label")
	}
}

func TestNotDeployedServicesAreNotStarted(t *testing.T) {
	p := loadPlatform(t, labRoot)
	data := generate(t, p)["out/docker-compose.nas.yml"]
	// `docker compose up` with no profile: what it would start.
	project, err := loadAsDocker(t, "nas.yml", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Host("nas").Services {
		_, started := project.Services[s.Name]
		_, kept := project.DisabledServices[s.Name]
		switch {
		case len(s.Profiles) > 0 && (started || !kept):
			t.Errorf("%s has profiles %v but would start without them", s.Name, s.Profiles)
		case len(s.Profiles) > 0:
		case s.Deployed && !started:
			t.Errorf("%s is deployed but would not start", s.Name)
		case !s.Deployed && started:
			t.Errorf("%s is not deployed but would start", s.Name)
		case !s.Deployed && !kept:
			t.Errorf("%s is not deployed and missing from the file", s.Name)
		}
	}
	if p.Service("worker").Deployed {
		t.Fatal("the lab's worker must not be deployed for this test to mean anything")
	}
	if got := project.DisabledServices["worker"].Profiles; !slices.Equal(got, []string{NotDeployedProfile}) {
		t.Errorf("worker: profiles %v", got)
	}
}

func TestServiceKeysInConventionalOrder(t *testing.T) {
	for name, p := range platforms(t) {
		for path, data := range generate(t, p) {
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			services := mappingValue(doc.Content[0], "services")
			for i := 0; i < len(services.Content); i += 2 {
				var keys []string
				block := services.Content[i+1]
				for j := 0; j < len(block.Content); j += 2 {
					keys = append(keys, block.Content[j].Value)
				}
				last := -1
				for _, key := range keys {
					rank := slices.Index(serviceKeyOrder, key)
					if rank < 0 {
						rank = len(serviceKeyOrder)
					}
					if rank < last {
						t.Errorf("%s: %s: %s: keys out of order: %v", name, path, services.Content[i].Value, keys)
						break
					}
					last = rank
				}
			}
		}
	}
}

func TestTheFileSaysWhatTheDocumentSays(t *testing.T) {
	// The project compose-go's loader builds from the whole document
	// (pass-through and owned keys), against the written file read back
	// by compose-go: the typed values must be the same, whatever order
	// and syntax the file uses.
	eachDocument(t, func(name string, p *schema.Platform, h *schema.Host, doc map[string]any) {
		built, err := loadProject(h, doc)
		if err != nil {
			t.Fatal(err)
		}
		data := generate(t, p)[OutputPath(h)]
		reread := loadAsWritten(t, "written.yml", bytes.TrimPrefix(data, []byte(output.Header(output.HashComment))))
		for _, diff := range typedDifferences(built, reread) {
			t.Errorf("%s: host %s: the file means something else than the project compose-go built: %s", name, h.Name, diff)
		}
	})
}

// typedDifferences compares two projects' services field by field and
// their top-level blocks whole, as compose-go typed them.
func typedDifferences(want, got *types.Project) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(want.Services)) {
		w, g := reflect.ValueOf(want.Services[name]), reflect.ValueOf(got.Services[name])
		if _, ok := got.Services[name]; !ok {
			out = append(out, name+": missing")
			continue
		}
		out = append(out, fieldDifferences(name, w, g)...)
	}
	if len(got.Services) != len(want.Services) {
		out = append(out, fmt.Sprintf("%d services read back, %d built", len(got.Services), len(want.Services)))
	}
	for block, pair := range map[string][2]any{
		"volumes":  {want.Volumes, got.Volumes},
		"networks": {want.Networks, got.Networks},
		"secrets":  {want.Secrets, got.Secrets},
		"configs":  {want.Configs, got.Configs},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			out = append(out, fmt.Sprintf("top-level %s: built %+v, read back %+v", block, pair[0], pair[1]))
		}
	}
	sort.Strings(out)
	return out
}

// fieldDifferences names the fields of two structs that differ, looking
// into embedded structs (compose-go embeds a service's WorkloadSpec).
func fieldDifferences(prefix string, want, got reflect.Value) []string {
	var out []string
	for i := range want.NumField() {
		f := want.Type().Field(i)
		w, g := want.Field(i), got.Field(i)
		switch {
		case reflect.DeepEqual(w.Interface(), g.Interface()):
		case f.Anonymous && f.Type.Kind() == reflect.Struct:
			out = append(out, fieldDifferences(prefix, w, g)...)
		default:
			built, read := render(tree(w.Interface())), render(tree(g.Interface()))
			if built == read { // nil and empty look alike in JSON
				built, read = fmt.Sprintf("%#v", w.Interface()), fmt.Sprintf("%#v", g.Interface())
			}
			out = append(out, fmt.Sprintf("%s: %s: built %s, read back %s", prefix, f.Name, built, read))
		}
	}
	return out
}

func TestSizesAndDurationsAsWritten(t *testing.T) {
	data := string(generate(t, loadPlatform(t, labRoot))["out/docker-compose.nas.yml"])
	for _, want := range []string{"mem_limit: 512m", "interval: 120s", "start_period: 1m30s", "stop_grace_period: 90s"} {
		if !strings.Contains(data, "\n    "+want+"\n") && !strings.Contains(data, "\n      "+want+"\n") {
			t.Errorf("the file lacks %q as the source writes it", want)
		}
	}
}

// A healthcheck's test is written on one line, each argument quoted, and
// compose reads back every argument as written, whatever it holds.
func TestHealthcheckTestOnOneLine(t *testing.T) {
	args := []any{"CMD-SHELL", `wget -qO- "http://x:1/health" || exit 1`, "yes", "22:22", "tab\there", "é", "$$HOME", "a, b", "[x]", "#c"}
	doc := map[string]any{"name": "t", "services": map[string]any{"a": map[string]any{
		"image": "a:1", "healthcheck": map[string]any{"test": args, "interval": "30s"}}}}
	data, err := marshalDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `test: ["CMD-SHELL", `) {
		t.Errorf("the test is not on one line:\n%s", data)
	}
	got := loadAsWritten(t, "hc.yml", data).Services["a"].HealthCheck.Test
	want := make([]string, len(args))
	for i, a := range args {
		want[i] = a.(string)
	}
	if !slices.Equal(got, want) {
		t.Errorf("read back as %q, want %q\n%s", got, want, data)
	}
}
