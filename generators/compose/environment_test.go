package compose

import (
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
)

// envOf is a service's environment after compose's interpolation.
func envOf(t *testing.T, project *types.Project, service string) map[string]string {
	t.Helper()
	svc, ok := project.Services[service]
	if !ok {
		t.Fatalf("no service %s", service)
	}
	out := map[string]string{}
	for k, v := range svc.Environment {
		if v == nil {
			t.Fatalf("%s: %s has no value", service, k)
		}
		out[k] = *v
	}
	return out
}

func TestPlainValuesReachTheContainerAsWritten(t *testing.T) {
	p, project := labFile(t)
	api := p.Service("api")
	// The lab must keep the characters this test is about.
	for _, hard := range []string{"$", "'", `"`, "\n", "#", "東京", "🚀"} {
		found := false
		for _, v := range api.Env {
			found = found || strings.Contains(v.Value, hard)
		}
		if !found {
			t.Fatalf("the lab's api has no env value with %q", hard)
		}
	}
	env := envOf(t, project, "api")
	for name, v := range api.Env {
		if env[name] != v.Value {
			t.Errorf("%s: container sees %q, the source says %q", name, env[name], v.Value)
		}
	}
}

func TestPassThroughKeepsComposeSyntax(t *testing.T) {
	// The compose block is compose's own language: its ${X} is
	// interpolated on the host and its $$ is a literal $.
	_, project := labFile(t)
	got := strings.Join(project.Services["cache"].Command, " ")
	if want := "redis-server --requirepass " + secretValue("REDIS_PASSWORD") + " --save $NONE"; got != want {
		t.Errorf("command: got %q, want %q", got, want)
	}
}

func TestSecretsAreReferencesNeverValues(t *testing.T) {
	for name, p := range platforms(t) {
		for path, data := range generate(t, p) {
			written := loadAsWritten(t, path, data)
			resolved, err := loadAsDocker(t, path, data, "*")
			if err != nil {
				t.Fatal(err)
			}
			for svcName, svc := range written.Services {
				s := p.Service(svcName)
				for _, sec := range s.Secrets {
					if got := *svc.Environment[sec.Env]; got != "${"+sec.From+"}" {
						t.Errorf("%s: %s: %s is %q, want the reference ${%s}", name, svcName, sec.Env, got, sec.From)
					}
					if got := envOf(t, resolved, svcName)[sec.Env]; got != secretValue(sec.From) {
						t.Errorf("%s: %s: %s resolves to %q, want the host's %s", name, svcName, sec.Env, got, sec.From)
					}
				}
			}
		}
	}
}

func TestNeedPasswordsAreReferences(t *testing.T) {
	p := loadPlatform(t, labRoot)
	data := generate(t, p)["out/docker-compose.nas.yml"]
	const env = "DATABASE_URL"
	written := *loadAsWritten(t, "nas.yml", data).Services["api"].Environment[env]
	if want := "postgresql://app:${POSTGRES_PASSWORD}@db:5432/app?sslmode=disable"; written != want {
		t.Errorf("as written: got %q, want %q", written, want)
	}
	resolved, err := loadAsDocker(t, "nas.yml", data)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := envOf(t, resolved, "api")[env], "postgresql://app:"+secretValue("POSTGRES_PASSWORD")+"@db:5432/app?sslmode=disable"; got != want {
		t.Errorf("resolved: got %q, want %q", got, want)
	}
}

func TestNeedURLsFromEachVantage(t *testing.T) {
	p := loadPlatform(t, labRoot)
	files := generate(t, p)
	nas := loadAsWritten(t, "nas.yml", files["out/docker-compose.nas.yml"])
	edge := loadAsWritten(t, "edge.yml", files["deploy/edge.yml"])
	for _, c := range []struct {
		project            *types.Project
		service, env, want string
		why                string
	}{
		{nas, "api", "PORT", "8080", "the port the service listens on is its container port"},
		{nas, "web", "API_URL", "http://api:8080", "same host: compose service name and container port"},
		{nas, "api", "CACHE_URL", "redis://cache:6379", "same host, unpublished: still reached in the network"},
		{nas, "api", "STT_URL", "http://192.0.2.9:3020", "another host reached on the LAN: its address"},
		{nas, "api", "AUTH_URL", "https://auth.example.org", "another host reached publicly: https public hostname"},
		{nas, "api", "AUTH_URL_LAN", "https://auth.example.org", "asked from the LAN, a public-only host is still public"},
		{nas, "web", "PUBLIC_API_URL", "https://api.example.org", "asked from the internet: the public hostname"},
		{nas, "status", "API_URL", "http://localhost:3001", "in the host's network: localhost and the host port"},
		{edge, "proxy", "UPSTREAM", "http://192.0.2.2:3001", "from another compose host: LAN address and host port"},
	} {
		got := ""
		if v := c.project.Services[c.service].Environment[c.env]; v != nil {
			got = *v
		}
		if got != c.want {
			t.Errorf("%s: %s = %q, want %q (%s)", c.service, c.env, got, c.want, c.why)
		}
	}
}
