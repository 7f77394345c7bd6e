package compose

import (
	"fmt"
	"regexp"
	"strings"

	"portschema/schema"
)

// decodingProblems splits compose-go's "decoding failed" error about
// one service, which lists every value of the block it could not read
// (a byte size, a duration, a number), into one diagnostic per value,
// at the value, saying in words what compose expects. It returns nil
// for any other error.
func decodingProblems(s *schema.Service, err error) schema.Diagnostics {
	msg := err.Error()
	if !strings.Contains(msg, "decoding failed due to the following error(s)") {
		return nil
	}
	name := regexp.QuoteMeta(s.Name)
	lineRE := regexp.MustCompile(`'services(?:\.` + name + `|\[` + name + `\])\.([A-Za-z0-9_.\[\]-]+)' (.+)`)
	var ds schema.Diagnostics
	for _, line := range strings.Split(msg, "\n") {
		m := lineRE.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		key := m[1]
		value := fmt.Sprint(valueAt(s.Compose, key))
		ds.Errorf(s.At("compose."+key), nil, "%s: %s %q %s", s.Name, key, value, decodingWords(m[2]))
	}
	return ds
}

// decodingWords says what compose expects of a value it could not read,
// from the reason compose-go gives.
func decodingWords(reason string) string {
	switch {
	case strings.Contains(reason, "invalid size"), strings.Contains(reason, "invalid suffix"):
		return "is not a byte size: compose takes a number of bytes, or a number with a unit b, k, m or g (512m, 1.5g)"
	case strings.Contains(reason, "time: "):
		return "is not a duration: compose takes a number with a unit h, m, s, ms, us or ns, or several (30s, 1m30s)"
	case strings.Contains(reason, "strconv.Parse"):
		return "is not a number"
	}
	return "is rejected by compose: " + reason
}

// valueAt is the value at a dotted path of a compose block, or the path
// itself when the block does not hold it.
func valueAt(block map[string]any, path string) any {
	var v any = block
	for _, key := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return path
		}
		if v, ok = m[key]; !ok {
			return path
		}
	}
	return v
}
