package importer

import (
	"strings"
	"testing"

	"portschema/schema"
)

// startOrderCompose starts services after others in every way
// depends_on can: with and without a URL naming the target, waiting for
// a target with a healthcheck to start or to be healthy, and after a
// target that listens on no port.
const startOrderCompose = `
name: lab
services:
  db:
    image: postgres:16
    ports: ["5432:5432"]
    healthcheck:
      test: ["CMD-SHELL", "pg_isready"]
  cache:
    image: redis:7
    ports: ["6379:6379"]
    healthcheck:
      test: ["CMD", "redis-cli", "ping"]
  plain:
    image: nginx
    ports: ["8081:80"]
  migrate:
    image: migrate
  web:
    image: web
    ports: ["8080:8080"]
    environment:
      DATABASE_URL: postgresql://db:5432/app
    depends_on: [db]
  worker:
    image: worker
    ports: ["8082:8080"]
    environment:
      MODE: batch
    depends_on:
      db:
        condition: service_healthy
      cache:
        condition: service_started
      plain:
        condition: service_started
      migrate:
        condition: service_started
`

// TestImportKeepsStartOrder: a depends_on no URL names becomes a need
// with url: false, and one that waited only for a target with a
// healthcheck to start says condition: "started", so the regenerated
// file has the original's environment and start conditions exactly.
func TestImportKeepsStartOrder(t *testing.T) {
	in := writeInputs(t, map[string]string{"docker-compose.lab.yml": startOrderCompose})
	root, rep := importInto(t, in)
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Kind, "dependency") {
			t.Errorf("unexpected finding: %s", f)
		}
	}
	p, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	worker := p.Service("worker")
	if worker == nil {
		t.Fatal("worker was not imported")
	}
	for _, n := range worker.Needs {
		if !n.NoURL || !n.Depends {
			t.Errorf("worker: need of %s should only order the start, got %+v", n.Service, n)
		}
	}
	checkCompose(t, []byte(startOrderCompose), regenerate(t, root), nil)
}

// TestImportReportsUnsayableCondition: a condition the generator cannot
// write (service_healthy on a target without a healthcheck, which
// compose refuses at up time) becomes the generator's, and import says
// so.
func TestImportReportsUnsayableCondition(t *testing.T) {
	in := writeInputs(t, map[string]string{"docker-compose.lab.yml": `
name: lab
services:
  seed:
    image: seed
  app:
    image: app
    ports: ["8080:8080"]
    depends_on:
      seed:
        condition: service_healthy
`})
	root, rep := importInto(t, in)
	if _, err := schema.Load(root); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range rep.Findings {
		found = found || (f.Kind == "dependency-condition" && strings.Contains(f.Message, "service_healthy"))
	}
	if !found {
		t.Errorf("no finding reports the dropped condition: %v", rep.Findings)
	}
}

// TestImportBreaksStartOrderCycle: depends_on that start each other
// first import as a source that loads; the need that closed the cycle,
// which had no URL to keep, is gone.
func TestImportBreaksStartOrderCycle(t *testing.T) {
	in := writeInputs(t, map[string]string{"docker-compose.lab.yml": `
name: lab
services:
  a:
    image: a
    ports: ["8080:8080"]
    depends_on: [b]
  b:
    image: b
    ports: ["8081:8080"]
    depends_on: [a]
`})
	root, rep := importInto(t, in)
	p, err := schema.Load(root)
	if err != nil {
		t.Fatal(err)
	}
	needs := len(p.Service("a").Needs) + len(p.Service("b").Needs)
	cycle := false
	for _, f := range rep.Findings {
		cycle = cycle || f.Kind == "dependency-cycle"
	}
	if needs != 1 || !cycle {
		t.Errorf("want one need left and a dependency-cycle finding, got %d needs, findings %v", needs, rep.Findings)
	}
}
