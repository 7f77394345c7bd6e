package gentest

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// trickyYAML are strings a YAML writer must quote, or a reader takes
// for something else: indicators, blanks at either end, ": " and " #",
// document markers, words and numbers of other types in YAML 1.1 and
// 1.2, timestamps, line breaks and other control characters, Unicode
// (printable or not), keys yaml.v4 sorts in its own order (digits,
// capitals) and a key too long to be a simple key.
func trickyYAML() []string {
	return []string{
		"", " ", "  ", "two words", " lead", "trail ", "a: b", "a:b", ":", "a:", ":9001", "#c", "a #c", "a#c",
		"- x", "-x", "-", "?", "? x", "?x", "---", "...", "--- x", "[a]", "{a}", "a,b", "a]", "a}",
		"!tag", "&anchor", "*alias", "|", ">", "'", "\"", "it's", "say \"hi\"", "%x", "@x", "`x`", "\\",
		"true", "True", "FALSE", "yes", "Yes", "No", "on", "OFF", "y", "Y", "n", "N", "null", "Null", "~", "<<", "=",
		"0", "10008", "-1", "+1", "-0", "1.5", "1e3", "1E+3", ".5", "1.", "0x1f", "0X1F", "0o17", "017", "0b101", "1_000",
		"22:22", "190:20:30", "1:2", ".inf", "-.Inf", "+.INF", ".nan", "NaN", "inf", "Infinity",
		"2024-01-01", "2024-1-1 10:00", "2001-12-14t21:59:43.10-05:00", "1.2.3", "1-2",
		"tab\there", "line\nbreak", "ends\n", "\n", "a\r\nb", "nul\x00", "bell\a", "\x7f",
		"é", "東京", "🚀", "\u00a0", "zero\u200bwidth", "\ufeff", "\u2028", "\u0085", "\ufffd",
		"A", "Z", "_", "a1", "a9", "a10", "a_", "_a", "aB", "x-y", "x.y",
		strings.Repeat("long words ", 9), strings.Repeat("k", 128), strings.Repeat("k", 129),
	}
}

// ordinaryYAML are pieces of what generators write: names, hosts,
// ports, URLs, paths, durations, label names.
func ordinaryYAML() []string {
	return []string{
		"api", "web", "db", "grafana", "mana", "core", "infra", "macmini", "gpu", "http_health",
		"svc-", "-2", ".example.org", ":9090", "http://localhost:", "https://", "/metrics", "/health",
		"__param_target", "__address__", "15s", "1m", "blackbox-exporter", "http_status:404",
		"ssh://localhost:22", "192.0.2.1", ".svc.cluster.local", "_x", "~", "$$1",
	}
}

// YAMLString returns a random string of one to three pieces, each an
// ordinary or a tricky one, for tests that compare a YAML writer with
// yaml.v4 where both the plain and the quoting decisions matter.
func YAMLString(r *rand.Rand) string {
	var b strings.Builder
	for range 1 + r.IntN(3) {
		pool := ordinaryYAML()
		if r.IntN(2) == 0 {
			pool = trickyYAML()
		}
		b.WriteString(pool[r.IntN(len(pool))])
	}
	return b.String()
}

// OrdinaryYAMLString returns a random string of the kind generators
// write: a name, host:port, URL, path, duration or number.
func OrdinaryYAMLString(r *rand.Rand) string {
	names := []string{"api", "web", "db", "grafana", "mana-auth", "cadvisor", "svc-12", "core"}
	name := names[r.IntN(len(names))]
	switch r.IntN(7) {
	case 6:
		return fmt.Sprint(r.IntN(1000))
	case 0:
		return name
	case 1:
		return fmt.Sprintf("%s:%d", name, 1+r.IntN(65535))
	case 2:
		return fmt.Sprintf("http://localhost:%d", 1+r.IntN(65535))
	case 3:
		return fmt.Sprintf("https://%s.example.org/health", name)
	case 4:
		return fmt.Sprintf("/%s/v%d", name, r.IntN(3))
	}
	return fmt.Sprintf("%ds", 1+r.IntN(120))
}

// OrdinaryYAMLKey returns a random label or parameter name of the kind
// generators write.
func OrdinaryYAMLKey(r *rand.Rand) string {
	keys := []string{"service", "host", "tier", "range", "team", "module", "env_name", "owner"}
	return keys[r.IntN(len(keys))]
}

// OrdinaryYAMLName returns a random name of the kind a flow sequence
// of a generated file holds (a label name, a DNS name): no colon, which
// a flow sequence would quote.
func OrdinaryYAMLName(r *rand.Rand) string {
	names := []string{"__address__", "__param_target", "api", "mana-auth", "api-pods.default.svc.cluster.local"}
	return names[r.IntN(len(names))]
}

// Sometimes returns a generator of usual's strings that draws a
// YAMLString instead one time in eight: items with a few awkward
// strings among ordinary ones, which a writer must tell apart string by
// string.
func Sometimes(usual func(*rand.Rand) string) func(*rand.Rand) string {
	return func(r *rand.Rand) string {
		if r.IntN(8) == 0 {
			return YAMLString(r)
		}
		return usual(r)
	}
}
