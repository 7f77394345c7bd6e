package compose

import (
	"path"
	"strings"
)

// The source writes the paths of its compose blocks relative to the
// project root; compose reads them relative to the directory of the
// compose file, which lands in out/ by default. So every relative path
// is written relative to the file's directory instead ("./docker/nginx"
// becomes "../docker/nginx" in out/docker-compose.macmini.yml), and
// `docker compose -f out/docker-compose.macmini.yml up` finds what the
// source names (see ServicePathKind for which strings are paths).

// upFrom is where the project root lies seen from the directory of the
// file at output (a clean slash path relative to the root): "..", or
// "" for a file at the root.
func upFrom(output string) string {
	dir := path.Dir(output)
	if dir == "." {
		return ""
	}
	return strings.TrimSuffix(strings.Repeat("../", strings.Count(dir, "/")+1), "/")
}

// movePaths rewrites, in place, the paths of a service's compose block
// (top false) or of a host's top-level block under key (top true) for
// a file whose directory sees the root at up.
func movePaths(v any, keys []string, up string, top bool) any {
	if up == "" {
		return v
	}
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if !top && len(keys) == 0 && !servicePathsUnder(k) {
				continue
			}
			v[k] = movePathsIn(e, append(keys[:len(keys):len(keys)], k), up, top, v)
		}
	case []any:
		for i, e := range v {
			v[i] = movePathsIn(e, append(keys[:len(keys):len(keys)], "[]"), up, top, nil)
		}
	}
	return v
}

// movePathsIn is movePaths for a value inside parent (nil in a list).
func movePathsIn(v any, keys []string, up string, top bool, parent map[string]any) any {
	s, ok := v.(string)
	if !ok {
		return movePaths(v, keys, up, top)
	}
	kind := TopLevelPathKind(keys)
	if !top {
		kind = ServicePathKind(keys, func(key string) any { return parent[key] })
	}
	return MovePath(kind, up, s)
}
