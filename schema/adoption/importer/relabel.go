package importer

import (
	"regexp"
	"strings"

	"portschema/schema/adoption/handwritten"
)

// relabel applies relabel rules to a target's labels the way Prometheus
// (and promtail, which uses its code) does for the default action,
// replace: the source labels' values joined by ";", matched by the
// rule's regular expression anchored at both ends (default "(.*)"), and
// the target label set to the replacement with $1, ${name} expanded
// (default "$1"); an empty result removes the label. Rules of any other
// action are returned unapplied: the caller says they were not read.
func relabel(labels map[string]string, rules []handwritten.Relabel) (map[string]string, []handwritten.Relabel) {
	out := make(map[string]string, len(labels))
	for k, v := range labels {
		out[k] = v
	}
	var skipped []handwritten.Relabel
	for _, r := range rules {
		if r.Action != "" && r.Action != "replace" {
			skipped = append(skipped, r)
			continue
		}
		expr := r.Regex
		if expr == "" {
			expr = "(.*)"
		}
		re, err := regexp.Compile("^(?:" + expr + ")$")
		if err != nil || r.TargetLabel == "" {
			skipped = append(skipped, r)
			continue
		}
		values := make([]string, len(r.SourceLabels))
		for i, l := range r.SourceLabels {
			values[i] = out[l]
		}
		value := strings.Join(values, ";")
		m := re.FindStringSubmatchIndex(value)
		if m == nil {
			continue
		}
		replacement := r.Replacement
		if replacement == "" {
			replacement = "$1"
		}
		target := string(re.ExpandString(nil, r.TargetLabel, value, m))
		result := string(re.ExpandString(nil, replacement, value, m))
		if result == "" {
			delete(out, target)
			continue
		}
		out[target] = result
	}
	return out, skipped
}
