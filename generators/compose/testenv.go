package compose

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/template"
)

// What the source passes through to compose may read variables of the
// host (${DATA_DIR}:/var/lib/postgresql/data, image: app:${TAG}). Their
// values are the operator's, so the file is written with the variables
// as they are; but compose decides what a value is only after it
// interpolates (a volume whose source is ${DATA_DIR} is a bind mount
// because the value is a path), so the file is validated interpolated.
// The validation environment gives each variable a value of the kind
// its place asks for: a variable with a default takes the default, as
// compose does when it is unset; one without takes a stand-in, an
// absolute path where a path is expected and "1" elsewhere (a number
// is read by every key that takes text, and by those that take one).

// validationEnv is the environment a host's document is validated in:
// a stand-in for every variable the document reads without a default.
func validationEnv(doc map[string]any) map[string]string {
	env := map[string]string{}
	services, _ := doc["services"].(map[string]any)
	for _, block := range services {
		standIns(block, nil, false, env)
	}
	for key, block := range doc {
		if key != "services" && key != "name" {
			standIns(block, []string{key}, true, env)
		}
	}
	return env
}

// standIns walks a block, keys being the path to v (see
// ServicePathKind), and records a stand-in for each variable it reads.
func standIns(v any, keys []string, top bool, env map[string]string) {
	at := func(key string) []string { return append(keys[:len(keys):len(keys)], key) }
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok {
				kind := TopLevelPathKind(at(k))
				if !top {
					kind = ServicePathKind(at(k), func(key string) any { return x[key] })
				}
				record(s, kind, env)
				continue
			}
			standIns(e, at(k), top, env)
		}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				kind := TopLevelPathKind(at("[]"))
				if !top {
					kind = ServicePathKind(at("[]"), func(string) any { return nil })
				}
				record(s, kind, env)
				continue
			}
			standIns(e, at("[]"), top, env)
		}
	case string:
		record(x, NotAPath, env)
	}
}

// record gives the variables s reads without a default their stand-in;
// a path wins over text for a variable read in both places.
func record(s string, kind PathKind, env map[string]string) {
	if !strings.Contains(s, "$") {
		return
	}
	for name, v := range template.ExtractVariables(map[string]any{"v": s}, template.DefaultPattern) {
		if v.DefaultValue != "" {
			continue
		}
		if kind != NotAPath {
			env[name] = "/" + strings.ToLower(name)
		} else if _, set := env[name]; !set {
			env[name] = "1"
		}
	}
}
