package schema

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestSourceShape reads facts of the definitions that the rest of the
// program relies on, each through the description.
func TestSourceShape(t *testing.T) {
	s, err := SourceShape()
	if err != nil {
		t.Fatal(err)
	}
	var top []string
	for _, f := range s.Fields {
		top = append(top, f.Name)
	}
	if want := []string{"platform", "ranges", "hosts", "services", "outputs", "prometheus"}; !slices.Equal(top, want) {
		t.Errorf("top level %v, want %v", top, want)
	}
	for _, c := range []struct {
		path         []string
		kind         Kind
		def          any
		defaultField string
		required     bool
		short        bool
	}{
		{path: []string{"services"}, kind: Map, required: true},
		{path: []string{"services", "host"}, kind: Scalar, required: true},
		{path: []string{"services", "container_port"}, kind: Scalar, defaultField: "port"},
		{path: []string{"services", "publish"}, kind: Scalar, def: true},
		{path: []string{"services", "scheme"}, kind: Scalar, def: "http"},
		{path: []string{"services", "ports"}, kind: Map},
		{path: []string{"services", "ports", "protocol"}, kind: Scalar, def: "tcp"},
		{path: []string{"services", "needs"}, kind: List},
		{path: []string{"services", "needs", "url"}, kind: Scalar, def: true},
		{path: []string{"services", "needs", "service"}, kind: Scalar, required: true},
		{path: []string{"services", "metrics", "path"}, kind: Scalar, def: "/metrics"},
		{path: []string{"services", "planned"}, kind: Struct},
		{path: []string{"services", "compose"}, kind: Open},
		{path: []string{"hosts", "compose"}, kind: Struct},
		{path: []string{"hosts", "compose", "container_name"}, kind: Scalar, def: "{name}"},
		{path: []string{"ranges", "warn_full"}, kind: Scalar, def: 0.8},
		{path: []string{"outputs", "port_doc"}, kind: Scalar, def: "out/PORT_SCHEMA.md"},
		{path: []string{"prometheus", "jobs"}, kind: List},
		{path: []string{"prometheus", "probes", "module"}, kind: Scalar, required: true},
	} {
		f := s.Lookup(c.path...)
		if f == nil {
			t.Errorf("%v: not in the shape", c.path)
			continue
		}
		if f.Shape.Kind != c.kind || !reflect.DeepEqual(f.Default, c.def) || f.DefaultField != c.defaultField || f.Required() != c.required {
			t.Errorf("%v: kind %v default %#v (field %q) required %v, want %v %#v (%q) %v",
				c.path, f.Shape.Kind, f.Default, f.DefaultField, f.Required(), c.kind, c.def, c.defaultField, c.required)
		}
	}
	for _, path := range [][]string{{"services", "needs"}, {"services", "public"}, {"services", "secrets"}} {
		if elem := s.Lookup(path...).Shape.Elem; elem.Kind != Struct || !elem.Short {
			t.Errorf("%v: elements %+v, want structs that may be written short", path, elem)
		}
	}
	if f := s.Lookup("hosts", "compose"); !f.Conditional || f.Required() {
		t.Errorf("hosts.compose: conditional %v, required %v; want a conditional field", f.Conditional, f.Required())
	}
	if doc := s.Lookup("prometheus").Doc; doc != "prometheus configures the generated scrape config." {
		t.Errorf("prometheus doc %q", doc)
	}
}

// TestGoConstantsAreTheDefinitionsEnums: the Go names of the values the
// definitions enumerate are exactly those values, so a value added or
// renamed in the definitions shows up here and not as a rule that
// silently never matches.
func TestGoConstantsAreTheDefinitionsEnums(t *testing.T) {
	s, err := SourceShape()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path []string
		want []string
	}{
		{[]string{"hosts", "kind"}, []string{KindCompose, KindScheduledTask, KindLaunchd, KindSystemd, KindManual, KindCluster}},
		{[]string{"hosts", "reach"}, []string{ReachLAN, ReachPublic, ReachNone}},
		{[]string{"services", "needs", "from"}, []string{Internet.Keyword(), OnLAN.Keyword()}},
		{[]string{"services", "needs", "condition"}, []string{ConditionStarted, ConditionCompleted}},
	} {
		have := s.Lookup(c.path...).Shape.Enum
		if !slices.Equal(slices.Sorted(slices.Values(have)), slices.Sorted(slices.Values(c.want))) {
			t.Errorf("%v: the definitions allow %v, the Go constants are %v", c.path, have, c.want)
		}
	}
}

// TestModelIsTheDefinitions: every field of the definitions has a model
// field of the same json name and the same kind, and every json field of
// the model is in the definitions, so that decoding, the shape checks
// and import all see one source.
func TestModelIsTheDefinitions(t *testing.T) {
	s, err := SourceShape()
	if err != nil {
		t.Fatal(err)
	}
	top := map[string]reflect.Type{
		"platform": reflect.TypeFor[Platform](), "ranges": reflect.TypeFor[map[string]*Range](),
		"hosts": reflect.TypeFor[map[string]*Host](), "services": reflect.TypeFor[map[string]*Service](),
		"outputs": reflect.TypeFor[Outputs](), "prometheus": reflect.TypeFor[*Prometheus](),
	}
	for _, f := range s.Fields {
		typ, ok := top[f.Name]
		if !ok {
			t.Errorf("top-level field %s has no model", f.Name)
			continue
		}
		compareShape(t, f.Name, f.Shape, typ)
	}
}

// encodedOnly are fields of the definitions the model holds under
// another form, which its MarshalJSON writes.
var encodedOnly = map[string]bool{"services.needs.url": true,
	"services.alert.probes": true, "prometheus.alerts.tiers.probes": true, "prometheus.alerts.default.probes": true}

func compareShape(t *testing.T, path string, s *Shape, typ reflect.Type) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	switch s.Kind {
	case List, Map:
		want := reflect.Slice
		if s.Kind == Map {
			want = reflect.Map
		}
		if typ.Kind() != want {
			t.Errorf("%s: the model holds %s, the definitions a %v", path, typ, s.Kind)
			return
		}
		compareShape(t, path, s.Elem, typ.Elem())
	case Open:
		if typ.Kind() != reflect.Map || typ.Elem().Kind() != reflect.Interface {
			t.Errorf("%s: the model holds %s for a block passed through", path, typ)
		}
	case Struct:
		if typ.Kind() != reflect.Struct {
			t.Errorf("%s: the model holds %s for a struct", path, typ)
			return
		}
		fields := map[string]reflect.StructField{}
		for _, sf := range reflect.VisibleFields(typ) {
			if name, _, _ := strings.Cut(sf.Tag.Get("json"), ","); name != "" && name != "-" {
				fields[name] = sf
				if s.Field(name) == nil {
					t.Errorf("%s.%s: the model has it, the definitions do not", path, name)
				}
			}
		}
		for _, f := range s.Fields {
			sf, ok := fields[f.Name]
			switch {
			case encodedOnly[path+"."+f.Name]:
			case !ok:
				t.Errorf("%s.%s: the definitions have it, the model does not", path, f.Name)
			default:
				compareShape(t, path+"."+f.Name, f.Shape, sf.Type)
			}
		}
	}
}
