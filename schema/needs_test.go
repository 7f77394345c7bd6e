package schema

import (
	"strings"
	"testing"
)

// A need with url: false only orders the start; condition: "started"
// says what the start waits for.
func TestStartOnlyNeedsLoad(t *testing.T) {
	root := writeSource(t, map[string]string{"base.cue": base, "services.cue": `package platform

services: a: {host: "mini", port: 3001, range: "core", needs: ["c", {service: "b", url: false, condition: "started"}]}
services: b: {host: "mini", port: 3002, range: "core", needs: [{service: "c", url: false}], env: C_URL: "set by hand"}
services: c: {host: "mini", port: 3003, range: "core"}
`})
	p, err := Load(root)
	if err != nil {
		t.Fatal(err)
	}
	a, b := p.Service("a"), p.Service("b")
	if a.Needs[0] != (Need{Service: "c", Depends: true, Target: p.Service("c")}) {
		t.Errorf("need shorthand: %+v", a.Needs[0])
	}
	if a.Needs[1] != (Need{Service: "b", Depends: true, NoURL: true, Condition: ConditionStarted, Target: b}) {
		t.Errorf("need with url: false and a condition: %+v", a.Needs[1])
	}
	// No variable, so C_URL is free for a plain value.
	if got := GeneratedEnv(b); len(got) != 0 {
		t.Errorf("b: generated variables %v, want none", got)
	}
}

func TestStartOnlyNeedRules(t *testing.T) {
	cases := []struct {
		name, services string
		want           []string
	}{
		{"url: false leaves nothing for URL fields to do", `
services: a: {host: "mini", port: 3001, range: "core", needs: [{service: "b", url: false, env: "B", password: "P"}]}
services: b: {host: "mini", port: 3002, range: "core"}`,
			[]string{
				"schema/services.cue:3:96: a: env has no use in a need with url: false, which generates no variable (schema/services.cue:3:84)",
				"schema/services.cue:3:111: a: password has no use in a need with url: false, which generates no variable (schema/services.cue:3:84)",
			}},
		{"url: false and depends: false does nothing", `
services: a: {host: "mini", port: 3001, range: "core", needs: [{service: "b", url: false, depends: false}]}
services: b: {host: "mini", port: 3002, range: "core"}`,
			[]string{"schema/services.cue:3:84: a: the need of b with url: false and depends: false does nothing (schema/services.cue:3:100)"}},
		{"start order does not cross hosts", `
services: a: {host: "mini", port: 3001, range: "core", needs: [{service: "z", url: false}, {service: "z", env: "Z", condition: "started"}]}
services: z: {host: "gpu", port: 3002, range: "core"}`,
			[]string{
				"schema/services.cue:3:84: a: a need with url: false only orders the start on one compose host, and z runs on host gpu (schema/services.cue:4:21)",
				"schema/services.cue:3:128: a: condition orders the start on one compose host, and z runs on host gpu (schema/services.cue:4:21)",
			}},
		{"a condition needs depends", `
services: a: {host: "mini", port: 3001, range: "core", needs: [{service: "b", depends: false, condition: "started"}]}
services: b: {host: "mini", port: 3002, range: "core"}`,
			[]string{"schema/services.cue:3:106: a: condition has no use in a need with depends: false (schema/services.cue:3:88)"}},
		{"needs of one target agree on the condition", `
services: a: {host: "mini", port: 3001, range: "core", needs: ["b", {service: "b", env: "B2", condition: "started"}, {service: "b", env: "B3", depends: false}]}
services: b: {host: "mini", port: 3002, range: "core"}`,
			[]string{`schema/services.cue:3:69: a: two needs start b with different conditions (the default and "started") (schema/services.cue:3:64)`}},
		{"conditions are known", `
services: a: {host: "mini", port: 3001, range: "core", needs: [{service: "b", condition: "healthy"}]}
services: b: {host: "mini", port: 3002, range: "core"}`,
			[]string{
				// The first line is CUE trying the name form of #Need.
				`schema/services.cue:3:90: services.a.needs.0.condition: must be "started" or "completed"; got "healthy"`,
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range loadDiagnostics(t, tc.services) {
				got = append(got, d.String())
			}
			want := sortedLines(tc.want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
			}
		})
	}
}
