package schema

import (
	"reflect"
	"slices"
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
		{[]string{"hosts", "kind"}, []string{KindCompose, KindScheduledTask, KindLaunchd, KindSystemd, KindManual}},
		{[]string{"hosts", "reach"}, []string{ReachLAN, ReachPublic, ReachNone}},
		{[]string{"services", "needs", "from"}, []string{FromInternet, FromLAN}},
		{[]string{"services", "needs", "condition"}, []string{ConditionStarted}},
	} {
		have := s.Lookup(c.path...).Shape.Enum
		if !slices.Equal(slices.Sorted(slices.Values(have)), slices.Sorted(slices.Values(c.want))) {
			t.Errorf("%v: the definitions allow %v, the Go constants are %v", c.path, have, c.want)
		}
	}
}
