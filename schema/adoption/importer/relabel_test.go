package importer

import (
	"testing"

	"portschema/schema/adoption/handwritten"
)

// relabel follows Prometheus' replace action; the expectations are
// Prometheus' own results for these rules (promtool check
// service-discovery).
func TestRelabel(t *testing.T) {
	rules := []handwritten.Relabel{
		{SourceLabels: []string{"__meta_docker_container_name"}, Regex: "/(.*)", TargetLabel: "container"},
		{SourceLabels: []string{"container"}, Regex: "mana-core-.*", TargetLabel: "tier", Replacement: "core"},
		{SourceLabels: []string{"container"}, Regex: "mana-(auth|credits)", TargetLabel: "tier", Replacement: "auth"},
		{SourceLabels: []string{"tier"}, Regex: "^$", TargetLabel: "tier", Replacement: "other"},
		// Several source labels are joined by ";"; $1 and ${2} expand.
		{SourceLabels: []string{"container", "tier"}, Regex: "(.*);(.*)", TargetLabel: "both", Replacement: "$1@${2}"},
		// A result that expands to nothing removes the label.
		{SourceLabels: []string{"gone"}, TargetLabel: "container2"},
		{Action: "labelmap", Regex: "x"},
	}
	for name, want := range map[string]map[string]string{
		"/mana-core-sync": {"container": "mana-core-sync", "tier": "core", "both": "mana-core-sync@core"},
		"/mana-auth":      {"container": "mana-auth", "tier": "auth", "both": "mana-auth@auth"},
		"/mana-authx":     {"container": "mana-authx", "tier": "other", "both": "mana-authx@other"},
	} {
		got, skipped := relabel(map[string]string{"__meta_docker_container_name": name, "container2": "x"}, rules)
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", name, k, got[k], v)
			}
		}
		if _, ok := got["container2"]; ok {
			t.Errorf("%s: an empty result keeps the label", name)
		}
		if len(skipped) != 1 || skipped[0].Action != "labelmap" {
			t.Errorf("skipped %v", skipped)
		}
	}
}
