package kubetest

import (
	"os"
	"strings"
	"testing"
)

var shared = &Shared{RepoRoot: "../../.."}

func TestMain(m *testing.M) {
	code := m.Run()
	shared.Close()
	os.Exit(code)
}

// TestServerJudgesManifests: the started server accepts a valid object
// and rejects what only a real API server catches: a port out of range
// and a misspelt field (strict decoding).
func TestServerJudgesManifests(t *testing.T) {
	srv := shared.Get(t)
	if want, _ := PinnedVersion(shared.RepoRoot); os.Getenv(APIServerEnv) == "" && srv.Version != want {
		t.Errorf("server version %q, want the pinned %q", srv.Version, want)
	}
	if err := srv.CreateNamespaces("judge"); err != nil {
		t.Fatal(err)
	}
	good := `apiVersion: v1
kind: Service
metadata: {name: web, namespace: judge}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
`
	if out, err := srv.DryRunStdin([]byte(good)); err != nil || !strings.Contains(out, "created (server dry run)") {
		t.Fatalf("valid Service: %v\n%s", err, out)
	}
	for name, c := range map[string]struct{ from, to, want string }{
		"port out of range": {"port: 80,", "port: 70000,", "must be between 1 and 65535"},
		"misspelt field":    {"targetPort:", "targetPrt:", `unknown field "spec.ports[0].targetPrt"`},
		"invalid name":      {"name: web,", "name: Web_1,", "a DNS-1035 label must consist of lower case"},
	} {
		_, err := srv.DryRunStdin([]byte(strings.Replace(good, c.from, c.to, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", name, err, c.want)
		}
	}
	// Nothing is stored by a dry run.
	if out, err := srv.Kubectl("get", "services", "-n", "judge", "-o", "name"); err != nil || strings.TrimSpace(out) != "" {
		t.Errorf("services after dry runs: %q, %v", out, err)
	}
}
