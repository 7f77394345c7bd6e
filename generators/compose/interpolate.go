package compose

import (
	"github.com/compose-spec/compose-go/v2/consts"
	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/template"
	composetree "github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
)

// interpolation does, before the loader is called, what the loader's
// interpolation step does to a document, with the loader's own parts:
// its substitution and variable lookup (loader.ToOptions) and its cast
// table, matched through castTable instead of against every pattern at
// every string. The loader is then called with an interpolation that
// leaves every value as it is (see verbatim), so that everything after
// that step runs as it would on the loader's own result.
type interpolation struct {
	casts *castTable
	opts  *interp.Options // the loader's, for the document's environment
}

// newInterpolation interpolates as the loader does with details, whose
// environment, like the loader's, gains the project's name as
// COMPOSE_PROJECT_NAME (the loader adds it before it interpolates).
func newInterpolation(casts *castTable, details *types.ConfigDetails, project string) *interpolation {
	if details.Environment == nil {
		details.Environment = types.Mapping{}
	}
	details.Environment[consts.ComposeProjectName] = project
	return &interpolation{casts: casts, opts: loader.ToOptions(details, nil).Interpolate}
}

// document returns the document interpolated, in new maps and lists
// (doc is left as it was), or false where the loader's own
// interpolation must run instead: where it fails, so that its error is
// word for word the loader's, and where its outcome is not defined
// (two patterns of the cast table match a value, or a map's keys are
// not strings, which only a YAML file makes).
func (in *interpolation) document(doc map[string]any) (map[string]any, bool) {
	out, ok := in.value(doc, in.casts.start())
	if !ok {
		return nil, false
	}
	return out.(map[string]any), true
}

func (in *interpolation) value(v any, at castPath) (any, bool) {
	switch v := v.(type) {
	case string:
		return in.string(v, at)
	case map[string]any:
		out := make(map[string]any, len(v))
		for key, e := range v {
			x, ok := in.value(e, in.casts.next(at, key))
			if !ok {
				return nil, false
			}
			out[key] = x
		}
		return out, true
	case []any:
		out := make([]any, len(v))
		item := in.casts.next(at, "[]")
		for i, e := range v {
			x, ok := in.value(e, item)
			if !ok {
				return nil, false
			}
			out[i] = x
		}
		return out, true
	case map[any]any:
		return nil, false
	}
	return v, true
}

// string substitutes the variables of s and casts the result where the
// cast table says, as the loader's interpolation does.
func (in *interpolation) string(s string, at castPath) (any, bool) {
	value, err := in.opts.Substitute(s, template.Mapping(in.opts.LookupValue))
	if err != nil {
		return nil, false
	}
	cast, found, ambiguous := at.cast()
	if ambiguous {
		return nil, false
	}
	if !found {
		return value, true
	}
	typed, err := cast(value)
	if err != nil {
		return nil, false
	}
	return typed, true
}

// verbatim is an interpolation that leaves every value as it is, for a
// document already interpolated. The loader still walks it, but it no
// longer substitutes or matches cast patterns. Interpolation stays on
// (it is not skipped): the loader rejects short forms it cannot parse
// (ports, volumes, devices, ulimits) only when it interpolates.
func verbatim() *interp.Options {
	return &interp.Options{
		Substitute:      func(s string, _ template.Mapping) (string, error) { return s, nil },
		LookupValue:     func(string) (string, bool) { return "", false },
		TypeCastMapping: map[composetree.Path]interp.Cast{},
	}
}
