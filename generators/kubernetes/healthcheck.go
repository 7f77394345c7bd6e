package kubernetes

import (
	"fmt"
	"math"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// Compose's healthcheck defaults.
const (
	healthInterval = 30 * time.Second
	healthTimeout  = 30 * time.Second
	healthRetries  = 3
)

// healthcheck becomes the container's readiness probe. A compose
// healthcheck restarts nothing: it marks the container healthy or not,
// and services that depend on it wait for healthy. Readiness is that
// in a cluster: a pod that fails it is taken out of its Service until
// it passes again, and nothing is restarted, so the probe keeps
// compose's meaning rather than becoming a liveness probe that would
// kill slow starters. start_period has nothing to do here: a pod is not
// ready until its first success, however long that takes.
func (t *translator) healthcheck(path string, v any) *corev1.Probe {
	hc, ok := v.(map[string]any)
	if !ok {
		t.errorf(path, "%s: healthcheck must be a mapping", t.s.Name)
		return nil
	}
	if disabled, _ := hc["disable"].(bool); disabled {
		return nil
	}
	test, ok := hc["test"]
	if !ok {
		// The image's own HEALTHCHECK applies in compose; a cluster
		// ignores image healthchecks, so there is nothing to carry.
		t.errorf(path, "%s: a healthcheck without test relies on the image's HEALTHCHECK, which a cluster ignores; write the test", t.s.Name)
		return nil
	}
	command, ok := t.healthCommand(path+".test", test)
	if !ok || command == nil {
		return nil
	}
	probe := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: command}},
		SuccessThreshold: 1, FailureThreshold: healthRetries}
	probe.PeriodSeconds = t.probeSeconds(path+".interval", hc["interval"], healthInterval)
	probe.TimeoutSeconds = t.probeSeconds(path+".timeout", hc["timeout"], healthTimeout)
	if r, ok := hc["retries"]; ok {
		n, isNum := r.(float64)
		if !isNum || n < 1 || n != math.Trunc(n) || n > math.MaxInt32 {
			t.errorf(path+".retries", "%s: healthcheck retries must be a whole number of at least 1", t.s.Name)
		} else {
			probe.FailureThreshold = int32(n)
		}
	}
	return probe
}

// healthCommand is the probe's command: ["CMD", args...] runs args,
// ["CMD-SHELL", cmd] and a plain string run cmd in /bin/sh, as compose
// does; ["NONE"] is no probe (nil, true). A probe's command is not
// expanded, so it can read no Secret: references to the host's
// environment are errors, and `$$` is the shell's `$`.
func (t *translator) healthCommand(path string, v any) ([]string, bool) {
	var words []string
	switch x := v.(type) {
	case string:
		words = []string{"CMD-SHELL", x}
	case []any:
		var ok bool
		if words, ok = stringList(x, false); !ok || len(words) == 0 {
			t.errorf(path, "%s: healthcheck test must be a string or a list of strings", t.s.Name)
			return nil, false
		}
	default:
		t.errorf(path, "%s: healthcheck test must be a string or a list of strings", t.s.Name)
		return nil, false
	}
	for i, w := range words {
		text, err := literalText(w)
		if err != nil {
			at := path
			if _, isList := v.([]any); isList {
				at = fmt.Sprintf("%s[%d]", path, i)
			}
			t.errorf(at, "%s: healthcheck test %v", t.s.Name, err)
			return nil, false
		}
		words[i] = text
	}
	switch words[0] {
	case "NONE":
		return nil, true
	case "CMD":
		if len(words) < 2 {
			t.errorf(path, "%s: healthcheck test CMD needs a command", t.s.Name)
			return nil, false
		}
		return words[1:], true
	case "CMD-SHELL":
		return []string{"/bin/sh", "-c", strings.Join(words[1:], " ")}, true
	}
	t.errorf(path, "%s: healthcheck test must start with CMD, CMD-SHELL or NONE", t.s.Name)
	return nil, false
}

// probeSeconds is a duration in whole seconds, rounded up (a probe
// counts in seconds, at least one), or the default.
func (t *translator) probeSeconds(path string, v any, def time.Duration) int32 {
	if v == nil {
		return int32(def / time.Second)
	}
	d, ok := t.duration(path, v)
	if !ok {
		return int32(def / time.Second)
	}
	return int32(max(d, 1))
}

// duration is a compose duration ("1m30s") in whole seconds, rounded up.
func (t *translator) duration(path string, v any) (int64, bool) {
	s, _ := v.(string)
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		t.errorf(path, "%s: %s must be a duration such as 30s or 1m30s", t.s.Name, path)
		return 0, false
	}
	secs := int64(d / time.Second)
	if d%time.Second != 0 {
		secs++
	}
	if secs > math.MaxInt32 {
		t.errorf(path, "%s: %s is too long", t.s.Name, path)
		return 0, false
	}
	return secs, true
}
