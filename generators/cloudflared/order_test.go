package cloudflared

import "testing"

func TestShadowsAndOverlap(t *testing.T) {
	m := func(h, p string) Match { return Match{Hostname: h, Path: p} }
	for _, c := range []struct {
		a, b             Match
		shadows, overlap bool
	}{
		{m("*.example.com", ""), m("api.example.com", ""), true, true},
		{m("*.example.com", ""), m("a.b.example.com", "/x"), true, true},
		{m("*.example.com", ""), m("example.com", ""), false, false},
		{m("api.example.com", ""), m("*.example.com", ""), false, true},
		{m("api.example.com", "/v1"), m("api.example.com", "/v1/admin"), true, true},
		{m("api.example.com", "/v1/admin"), m("api.example.com", "/v1"), false, true},
		{m("api.example.com", "^/v1"), m("api.example.com", "^/v2"), false, false},
		{m("api.example.com", "^/v.*"), m("api.example.com", "^/v1"), false, true},
		{m("api.example.com", "/a"), m("api.example.com", "/b"), false, true},
		{m("", "^/admin"), m("admin.example.net", ""), false, true},
		{m("a.example.com", ""), m("b.example.com", ""), false, false},
		{m("*.a.example.com", ""), m("*.example.com", ""), false, true},
		{m("*.example.com", ""), m("*.a.example.com", ""), true, true},
	} {
		if got := Shadows(c.a, c.b); got != c.shadows {
			t.Errorf("Shadows(%v, %v) = %v", c.a, c.b, got)
		}
		if got := Overlap(c.a, c.b); got != c.overlap {
			t.Errorf("Overlap(%v, %v) = %v", c.a, c.b, got)
		}
		// A rule that hides another takes some of its requests.
		if c.shadows && !c.overlap {
			t.Errorf("%v hides %v without overlapping it", c.a, c.b)
		}
	}
}

// Before never puts a rule after one that hides it.
func TestBeforeHidesNothing(t *testing.T) {
	all := []Match{{"api.example.com", ""}, {"api.example.com", "/v1"}, {"api.example.com", "/v1/admin"},
		{"*.example.com", ""}, {"*.a.example.com", ""}, {"*.example.com", "/x"}, {"", "^/admin"}, {"b.a.example.com", ""}}
	for _, a := range all {
		for _, b := range all {
			if a != b && Shadows(a, b) && Before(a, b) {
				t.Errorf("Before puts %v, which hides %v, first", a, b)
			}
		}
	}
}
