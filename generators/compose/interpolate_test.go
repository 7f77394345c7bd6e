package compose

import (
	"bytes"
	"fmt"
	"maps"
	"reflect"
	"testing"

	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"

	"portschema/schema"
)

// interpolationCases are documents (as YAML) that exercise every way
// interpolating before the loader could part from the loader's own
// interpolation, and whether they go the fast way (false: interpolating
// fails, so the loader interpolates them itself).
var interpolationCases = []struct {
	name, doc string
	fast      bool
}{
	{"variables, defaults and escapes", `
services:
  web:
    image: app:${TAG}
    command: [sh, -c, "echo $$HOME ${GREETING:-hi} ${EMPTY-} $${NOT_A_VAR}"]
    labels: {com.example.version: "${VERSION:-1.0}", project: "${COMPOSE_PROJECT_NAME}"}
    working_dir: ${WORKDIR}
`, true},
	{"numbers and booleans written as strings where compose casts", `
services:
  web:
    image: app
    read_only: "true"
    init: "false"
    privileged: ${PRIVILEGED:-true}
    tty: "yes"
    stdin_open: "off"
    cpus: "0.5"
    cpu_shares: "512"
    cpu_count: "2"
    cpu_percent: "50"
    mem_limit: 512m
    oom_score_adj: "-500"
    pids_limit: "100"
    scale: "1"
    ports: [{target: "8080", published: "3001"}]
    healthcheck: {test: [CMD, "true"], retries: "3", disable: "false", interval: 30s}
    ulimits: {nofile: {soft: "1024", hard: "${NOFILE:-2048}"}, nproc: "65535"}
    volumes: [{type: volume, source: data, target: /data, read_only: "true", volume: {nocopy: "true"}}]
    depends_on: {db: {condition: service_started, required: "false", restart: "true"}}
    deploy:
      replicas: "1"
      resources: {reservations: {cpus: "0.25", memory: 128m}}
      restart_policy: {max_attempts: "3"}
      update_config: {parallelism: "2", max_failure_ratio: "0.1"}
      rollback_config: {parallelism: "1", max_failure_ratio: "0"}
      placement: {max_replicas_per_node: "1"}
  db:
    image: db
    umask: "077"
networks:
  front: {internal: "true", attachable: "false", enable_ipv6: "false"}
volumes:
  data: {external: "false"}
`, true},
	{"variables where compose casts", `
services:
  web:
    image: app
    cpus: ${CPUS}
    ports: [{target: "${PORT}", published: "${PUBLISHED:-3001}"}]
    healthcheck: {retries: "${RETRIES:-3}"}
`, true},
	{"a boolean read from a variable", `
services:
  web: {image: app, read_only: "${READ_ONLY}", tty: "${TTY:-false}"}
`, true},
	{"values that fail to cast", `
services:
  web: {image: app, cpus: lots, scale: "1.5"}
  db: {image: db, read_only: maybe}
`, false},
	{"an invalid template", `
services:
  web: {image: "app:${", command: "echo ${:-x}"}
`, false},
	{"a cast and a bad template in one document", `
services:
  web: {image: app, read_only: "true", entrypoint: "${BAD"}
`, false},
	{"keys with dots", `
services:
  web.v2:
    image: app
    read_only: "true"
    networks: {my.net: {}}
    labels: {a.b.c: "${ABC:-x}"}
    ulimits: {no.file: "1"}
networks:
  my.net: {external: "true", name: "${NET_NAME:-net}"}
x-a.b: {read_only: "x", items: ["${X}"]}
`, true},
	{"a top-level key with a dot, which the loader splits", `
services:
  web: {image: app}
services.web: {read_only: "true", cpus: "1.5"}
`, true},
	{"a top-level key with a dot, and a value that fails to cast under it", `
services:
  web: {image: app}
services.web: {cpus: "x"}
`, false},
	{"lists of lists", `
services:
  web: {image: app}
x-matrix: [[a, "${X}"], [["true", "$$"]], []]
`, true},
	{"lists of lists where compose expects strings", `
services:
  web: {image: app, command: [[a, "${X}"]], read_only: "true"}
`, true},
	{"short forms compose rejects only when it interpolates", `
services:
  web: {image: app, ports: ["abc:def"], read_only: "true"}
`, true},
	{"short forms that read variables", `
services:
  web: {image: app, volumes: ["${DATA_DIR}:/data", "${CACHE:-cache}:/cache:ro"], ports: ["${HOST_PORT:-8080}:80"]}
volumes:
  cache: {}
`, true},
	{"pre_start containers", `
services:
  web:
    image: app
    pre_start: [{image: migrate, privileged: "true", cpus: "0.5", read_only: "${RO:-false}"}]
`, true},
	{"empty and null values", `
services:
  web: {image: app, command: [], labels: {}, entrypoint: null, environment: {A: null, B: ""}}
`, true},
	{"no image", `
services:
  web: {read_only: "true", depends_on: [db]}
`, true},
}

// The fast way of checking a document (interpolated before the loader,
// see loadInterpolated) gives what the plain loader call gives: the same
// interpolated document, the same project, the same error word for word.
// It runs on the documents of the test platforms (every block of the
// project's own platform, the lab and a synthetic one) and on
// interpolationCases.
func TestInterpolatingFirstIsTheLoadersInterpolation(t *testing.T) {
	casts := loaderCasts()
	var lab *schema.Host
	for name, p := range platforms(t) {
		for _, h := range p.Hosts {
			if h.Kind != schema.KindCompose {
				continue
			}
			if name == "lab" && lab == nil {
				lab = h
			}
			doc := userDocument(h, withReferenced(p, h, h.Services))
			if fast := sameAsTheLoader(t, name+" host "+h.Name, h, doc, casts); !fast {
				t.Errorf("%s host %s: the document does not go the fast way", name, h.Name)
			}
		}
	}
	for _, c := range interpolationCases {
		var doc map[string]any
		if err := yaml.Unmarshal([]byte(c.doc), &doc); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		doc = passThrough(doc).(map[string]any)
		doc["name"] = lab.Compose.Project
		if fast := sameAsTheLoader(t, c.name, lab, doc, casts); fast != c.fast {
			t.Errorf("%s: goes the fast way: %v, want %v", c.name, fast, c.fast)
		}
	}
}

// sameAsTheLoader checks a document both ways, and reports whether it
// went the fast way.
func sameAsTheLoader(t *testing.T, name string, h *schema.Host, doc map[string]any, casts *castTable) bool {
	t.Helper()
	fast, plain := passThrough(doc).(map[string]any), passThrough(doc).(map[string]any)
	fastEnv, plainEnv := validationEnv(fast, casts), validationEnv(plain, casts)
	withDefaultNetwork(fast)
	withDefaultNetwork(plain)

	details := types.ConfigDetails{Environment: types.Mapping(maps.Clone(fastEnv))}
	ours, ok := newInterpolation(casts, &details, h.Compose.Project).document(passThrough(fast).(map[string]any))
	libDetails := types.ConfigDetails{Environment: types.Mapping(maps.Clone(plainEnv))}
	libDetails.Environment["COMPOSE_PROJECT_NAME"] = h.Compose.Project
	theirs, err := interp.Interpolate(passThrough(plain).(map[string]any), *loader.ToOptions(&libDetails, nil).Interpolate)
	switch {
	case err != nil && ok:
		t.Errorf("%s: the loader's interpolation fails (%v), ours does not", name, err)
	case err == nil && !ok:
		t.Errorf("%s: our interpolation fails, the loader's does not", name)
	case ok && !reflect.DeepEqual(ours, theirs):
		t.Errorf("%s: interpolated\n%#v\nthe loader's\n%#v", name, ours, theirs)
	}

	gotProject, gotErr := loadInterpolated(h, fast, fastEnv, casts)
	wantProject, wantErr := loadFile(h, types.ConfigFile{Filename: OutputPath(h), Config: plain}, plainEnv)
	if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
		t.Errorf("%s: loading it interpolated first: %v\nthe loader alone: %v", name, gotErr, wantErr)
	}
	if gotErr == nil && wantErr == nil {
		if got, want := marshal(t, gotProject), marshal(t, wantProject); !bytes.Equal(got, want) {
			t.Errorf("%s: loaded interpolated first as\n%s\nby the loader alone as\n%s", name, got, want)
		}
	}
	return ok
}
