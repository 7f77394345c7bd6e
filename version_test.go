package main

import (
	"runtime/debug"
	"testing"
)

// TestVersionLine: --version says the module version and, when the
// build recorded it, the VCS revision, its time and whether the tree
// had uncommitted changes.
func TestVersionLine(t *testing.T) {
	cases := []struct {
		bi   *debug.BuildInfo
		want string
	}{
		{nil, "portschema (no build information)"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "portschema (devel), go1.26.8"},
		{&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef"}, {Key: "vcs.time", Value: "2026-01-02T03:04:05Z"}, {Key: "vcs.modified", Value: "true"},
		}}, "portschema v1.4.0, revision 0123456789abcdef (2026-01-02T03:04:05Z), with uncommitted changes, go1.26.8"},
	}
	for _, c := range cases {
		if got := versionLine(c.bi); got != c.want {
			t.Errorf("versionLine = %q, want %q", got, c.want)
		}
	}
}
