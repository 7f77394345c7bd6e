package handwritten

import (
	"path/filepath"
	"testing"
)

// fixtureDir holds the real hand-written files of the mana platform
// (testdata/fixtures at the repository root).
func fixtureDir(t testing.TB, commit string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "testdata", "fixtures", "mana", commit))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestReadersAcceptTheRealFixtures(t *testing.T) {
	for _, commit := range []string{"before", "after"} {
		dir := fixtureDir(t, commit)
		c, err := ReadCompose(filepath.Join(dir, "docker-compose.macmini.yml"))
		if err != nil {
			t.Fatal(err)
		}
		auth := c.Service("mana-auth")
		if auth == nil || len(auth.Ports) != 1 || auth.Ports[0].Published != 3001 {
			t.Errorf("%s: mana-auth = %+v", commit, auth)
		}
		cf, err := ReadCloudflared(filepath.Join(dir, "cloudflared-config.yml"))
		if err != nil {
			t.Fatal(err)
		}
		if last := cf.Rules[len(cf.Rules)-1]; !last.IsCatchAll() {
			t.Errorf("%s: last rule %+v is not the catch-all", commit, last)
		}
		p, err := ReadPrometheus(filepath.Join(dir, "prometheus.yml"))
		if err != nil {
			t.Fatal(err)
		}
		probes := 0
		for _, j := range p.Jobs {
			if j.Probe != nil {
				probes++
			}
		}
		if probes != 5 {
			t.Errorf("%s: %d blackbox jobs, want 5", commit, probes)
		}
		d, err := ReadDoc(filepath.Join(dir, "PORT_SCHEMA.md"))
		if err != nil {
			t.Fatal(err)
		}
		if len(d.PortRows()) < 60 {
			t.Errorf("%s: only %d port rows", commit, len(d.PortRows()))
		}
	}
}
