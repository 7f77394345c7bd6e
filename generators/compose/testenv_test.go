package compose

import (
	"maps"
	"slices"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	composetree "github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"

	"portschema/schema"
)

// Each variable read without a default gets a stand-in of the kind its
// place asks for; one with a default is left to compose's default.
func TestValidationEnv(t *testing.T) {
	doc := map[string]any{
		"services": map[string]any{
			"db": map[string]any{
				"image":   "postgres:${PG_TAG}",
				"volumes": []any{"${DATA_DIR}:/var/lib/postgresql/data", "${LOGS:-./logs}:/logs"},
				"build":   map[string]any{"context": "${CTX}"},
				"environment": map[string]any{
					"PASSWORD": "${DB_PASSWORD:?set it}",
					"ESCAPED":  "$${NOT_READ}",
				},
			},
			"app": map[string]any{
				"volumes": []any{map[string]any{"type": "bind", "source": "${APP_DIR}", "target": "/app"}},
			},
		},
		"secrets": map[string]any{"token": map[string]any{"file": "${SECRETS}/token"}},
	}
	want := map[string]string{"PG_TAG": "1", "DATA_DIR": "/data_dir", "CTX": "/ctx", "DB_PASSWORD": "1",
		"APP_DIR": "/app_dir", "SECRETS": "/secrets"}
	if got := validationEnv(doc, loaderCasts()); !maps.Equal(got, want) {
		t.Errorf("validationEnv = %v, want %v", got, want)
	}
}

// A variable's stand-in is one every cast where it is read accepts, as
// the whole interpolated string: a boolean gets a boolean, a number or
// text keeps "1", a path keeps its path wherever else it is read, and
// where no one value fits every place the stand-in stays "1".
func TestValidationEnvFollowsTheCasts(t *testing.T) {
	service := func(block map[string]any) map[string]any {
		block["image"] = "app:${TAG}"
		return map[string]any{"services": map[string]any{"app": block}}
	}
	for _, c := range []struct {
		name string
		doc  map[string]any
		want map[string]string
	}{
		{"boolean", service(map[string]any{"read_only": "${RO}", "tty": "$TTY"}),
			map[string]string{"TAG": "1", "RO": "false", "TTY": "false"}},
		{"boolean and text", service(map[string]any{"privileged": "${PRIV}", "labels": map[string]any{"priv": "${PRIV}"}}),
			map[string]string{"TAG": "1", "PRIV": "false"}},
		{"number", service(map[string]any{"cpus": "${CPUS}", "ulimits": map[string]any{"nofile": "${N}"}}),
			map[string]string{"TAG": "1", "CPUS": "1", "N": "1"}},
		{"boolean and path", service(map[string]any{"read_only": "${DIR}", "volumes": []any{"${DIR}:/data"}}),
			map[string]string{"TAG": "1", "DIR": "/dir"}},
		{"boolean and number", service(map[string]any{"init": "${X}", "scale": "${X}"}),
			map[string]string{"TAG": "1", "X": "1"}},
		{"two variables in one boolean", service(map[string]any{"init": "${A}${B}"}),
			map[string]string{"TAG": "1", "A": "1", "B": "1"}},
		{"a boolean the variable does not spell", service(map[string]any{"init": "${ON:+true}"}),
			map[string]string{"TAG": "1", "ON": "1"}},
		{"top-level boolean", map[string]any{"networks": map[string]any{"edge": map[string]any{"external": "${EXT}"}}},
			map[string]string{"EXT": "false"}},
	} {
		if got := validationEnv(c.doc, loaderCasts()); !maps.Equal(got, c.want) {
			t.Errorf("%s: validationEnv = %v, want %v", c.name, got, c.want)
		}
	}
}

// Every path of the loader's cast table (a boolean such as
// services.*.read_only, a number such as services.*.ulimits.*.soft), its
// value a variable without a default, validates: the stand-in is one
// the cast takes. Where the cast would refuse "1", loading the same
// document with "1" fails, so the path does reach the cast.
func TestEveryCastPathWithAVariableValidates(t *testing.T) {
	h := loadPlatform(t, labRoot).Hosts[0]
	if h.Kind != schema.KindCompose {
		t.Fatalf("host %s of the lab is not a compose host", h.Name)
	}
	v := newValidator()
	table := loader.ToOptions(&types.ConfigDetails{}, nil).Interpolate.TypeCastMapping
	patterns := slices.Sorted(maps.Keys(table))
	refused := 0
	for _, pattern := range patterns {
		doc := castDocument(pattern, "${VALUE}")
		if err := v.checkProject(h, passThrough(doc).(map[string]any)); err != nil {
			t.Errorf("%s: %v", pattern, err)
		}
		if _, err := table[pattern]("1"); err == nil {
			continue
		}
		refused++
		one := passThrough(doc).(map[string]any)
		withDefaultNetwork(one)
		if _, err := loadInterpolated(h, one, map[string]string{"VALUE": "1"}, v.casts); err == nil {
			t.Errorf("%s: loads with VALUE=1, which its cast refuses", pattern)
		}
	}
	if len(patterns) < 50 || refused < 20 {
		t.Errorf("%d paths tried, %d of them refusing 1", len(patterns), refused)
	}
}

// castDocument is the smallest document compose accepts with value at
// the path of a pattern of the cast table: each "*" a name (a list's
// item where compose takes a list), and beside the path what compose
// requires there (an image, a job's trigger, a volume's type and target, a dependency's
// condition, a secret's file).
func castDocument(pattern composetree.Path, value string) map[string]any {
	doc := castValue(pattern.Parts(), nil, value).(map[string]any)
	services, _ := doc["services"].(map[string]any)
	if services == nil {
		services = map[string]any{}
		doc["services"] = services
	}
	services["dep"] = map[string]any{"image": "alpine"}
	volumes, _ := doc["volumes"].(map[string]any)
	if volumes == nil {
		volumes = map[string]any{}
		doc["volumes"] = volumes
	}
	volumes["data"] = map[string]any{}
	return doc
}

// castValue is what stands at the rest of a pattern's parts, below the
// parts above (as the pattern names them).
func castValue(rest, above []string, value string) any {
	if len(rest) == 0 {
		return value
	}
	part, below := rest[0], append(above[:len(above):len(above)], rest[0])
	if part == composetree.PathMatchAll {
		part = wildcardName(above)
	}
	if part == composetree.PathMatchList {
		return []any{castValue(rest[1:], below, value)}
	}
	m := requiredBeside(above)
	m[part] = castValue(rest[1:], below, value)
	return m
}

// wildcardName is the name a "*" of a pattern takes below the parts
// above: a name compose resolves (the default network, a service to
// depend on, a known ulimit), or a list's item where compose takes a
// list.
func wildcardName(above []string) string {
	parent := above[len(above)-1]
	switch {
	case parent == "pre_start":
		return composetree.PathMatchList
	case parent == "networks" && len(above) > 1:
		return "default"
	case parent == "depends_on":
		return "dep"
	case parent == "ulimits":
		return "nofile"
	}
	return "x"
}

// requiredBeside is a map of what compose requires in the mapping at
// the parts given, beside the key the pattern leads through.
func requiredBeside(at []string) map[string]any {
	n := len(at)
	parent := func(i int) string {
		if n-i < 0 {
			return ""
		}
		return at[n-i]
	}
	switch {
	case n == 2 && parent(2) == "services", parent(2) == "pre_start":
		return map[string]any{"image": "alpine"}
	case n == 2 && parent(2) == "jobs":
		return map[string]any{"image": "alpine", "triggers": map[string]any{"manual": true}}
	case n > 2 && parent(2) == "volumes":
		return map[string]any{"type": "volume", "source": "data", "target": "/data"}
	case parent(2) == "ulimits":
		return map[string]any{"soft": 1, "hard": 1}
	case parent(2) == "depends_on":
		return map[string]any{"condition": "service_started"}
	case n == 2 && (parent(2) == "secrets" || parent(2) == "configs"):
		return map[string]any{"file": "./file"}
	}
	return map[string]any{}
}
