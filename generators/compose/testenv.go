package compose

import (
	"slices"
	"strings"

	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/template"
)

// What the source passes through to compose may read variables of the
// host (${DATA_DIR}:/var/lib/postgresql/data, image: app:${TAG},
// read_only: ${READ_ONLY}). Their values are the operator's, so the file
// is written with the variables as they are; but compose decides what a
// value is only after it interpolates (a volume whose source is
// ${DATA_DIR} is a bind mount because the value is a path; read_only is
// a boolean because the loader casts it), so the file is validated
// interpolated. The validation environment gives each variable a value
// of the kind its places ask for: a variable with a default takes the
// default, as compose does when it is unset; one without takes a
// stand-in:
//
//   - an absolute path where a path is expected, wherever else it is
//     read (a path is what decides the kind of a volume);
//   - else the first of standInCandidates that every cast the loader
//     applies where the variable is read accepts, the variable's value
//     put in the whole string as compose interpolates it;
//   - else, where no candidate satisfies every place (a variable read
//     both as a number and as a boolean, or a boolean spelt
//     "${A}${B}"), "1", as before casts were considered: the block is
//     then rejected as compose would reject it for most values.
//
// The loader's own cast functions judge the candidates, so a cast
// compose adds or changes is followed without naming its kind here.

// standInCandidates are the values tried, in order, for a variable read
// without a default where no path is expected. "1" comes first: a
// number is read by every key that takes text, and by those that take a
// number. "false" is the value compose gives every boolean of its cast
// table when the key is absent (the one exception, depends_on.required,
// is a key the generator owns), so the block is validated as compose
// reads it without the key; with "true" an external network or volume
// that also names its driver would be rejected.
func standInCandidates() []string {
	return []string{"1", "false"}
}

// variableReads is where a document reads one variable without a
// default.
type variableReads struct {
	path  bool       // somewhere a path is expected
	casts []castRead // the strings it is read in that the loader casts
}

// castRead is a string the loader casts after it interpolates it.
type castRead struct {
	value string
	casts []interp.Cast // more than one where patterns of the table overlap
}

// validationEnv is the environment a host's document is validated in:
// a stand-in for every variable the document reads without a default.
// casts is the loader's cast table (see loaderCasts).
func validationEnv(doc map[string]any, casts *castTable) map[string]string {
	reads := map[string]*variableReads{}
	w := standInWalk{casts: casts, reads: reads}
	services, _ := doc["services"].(map[string]any)
	for name, block := range services {
		w.walk(block, []string{"services", name})
	}
	for key, block := range doc {
		if key != "services" && key != "name" {
			w.walk(block, []string{key})
		}
	}
	return standIns(reads)
}

// standIns picks each variable's stand-in. The variables are taken in
// the order of their names, each beside the stand-ins of the others as
// they stand, so the same document always gets the same environment.
func standIns(reads map[string]*variableReads) map[string]string {
	env := make(map[string]string, len(reads))
	names := make([]string, 0, len(reads))
	for name, r := range reads {
		names = append(names, name)
		if r.path {
			env[name] = "/" + strings.ToLower(name)
		} else {
			env[name] = "1"
		}
	}
	slices.Sort(names)
	for _, name := range names {
		r := reads[name]
		if r.path || len(r.casts) == 0 {
			continue
		}
		for _, candidate := range standInCandidates() {
			if r.accept(name, candidate, env) {
				env[name] = candidate
				break
			}
		}
	}
	return env
}

// accept reports whether every cast place of a variable takes the value
// its string interpolates to with the variable set to candidate and the
// others as env has them.
func (r *variableReads) accept(name, candidate string, env map[string]string) bool {
	lookup := func(v string) (string, bool) {
		if v == name {
			return candidate, true
		}
		value, ok := env[v]
		return value, ok
	}
	for _, read := range r.casts {
		value, err := template.SubstituteWithOptions(read.value, lookup, template.WithoutLogging)
		if err != nil {
			return false
		}
		for _, cast := range read.casts {
			if _, err := cast(value); err != nil {
				return false
			}
		}
	}
	return true
}

// standInWalk gathers the variables a document reads without a default.
type standInWalk struct {
	casts *castTable
	reads map[string]*variableReads
}

// walk records the variables read in v, keys being the path to v from
// the top of the document, a list item as "[]".
func (w standInWalk) walk(v any, keys []string) {
	at := func(key string) []string { return append(keys[:len(keys):len(keys)], key) }
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok {
				w.record(s, at(k), func(key string) any { return x[key] })
				continue
			}
			w.walk(e, at(k))
		}
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				w.record(s, at("[]"), func(string) any { return nil })
				continue
			}
			w.walk(e, at("[]"))
		}
	case string:
		w.record(x, keys, func(string) any { return nil })
	}
}

// record notes the variables s reads without a default, at keys;
// sibling reads another key of the mapping that holds s.
func (w standInWalk) record(s string, keys []string, sibling func(string) any) {
	if !strings.Contains(s, "$") {
		return
	}
	vars := template.ExtractVariables(map[string]any{"v": s}, template.DefaultPattern)
	var kind PathKind
	var casts []interp.Cast
	looked := false
	for name, v := range vars {
		if v.DefaultValue != "" {
			continue
		}
		if !looked {
			kind, casts, looked = pathKindAt(keys, sibling), w.castsAt(keys), true
		}
		r := w.reads[name]
		if r == nil {
			r = &variableReads{}
			w.reads[name] = r
		}
		r.path = r.path || kind != NotAPath
		if len(casts) > 0 {
			r.casts = append(r.casts, castRead{value: s, casts: casts})
		}
	}
}

// pathKindAt is the kind of the string at keys of a document: in a
// service's block (services.NAME...) or in a top-level block.
func pathKindAt(keys []string, sibling func(string) any) PathKind {
	if keys[0] == "services" {
		if len(keys) < 2 {
			return NotAPath
		}
		return ServicePathKind(keys[2:], sibling)
	}
	return TopLevelPathKind(keys)
}

// castsAt is every cast the loader applies to the string at keys, as
// its interpolation builds the path.
func (w standInWalk) castsAt(keys []string) []interp.Cast {
	at := w.casts.start()
	for _, k := range keys {
		at = w.casts.next(at, k)
	}
	return at.casts()
}
