package importer

import (
	"path/filepath"
	"strings"

	"portschema/generators/compose"
	"portschema/schema/adoption/handwritten"
)

// A compose file's paths (build contexts, bind mounts, env files, ...)
// are relative to its own directory; the source's are relative to the
// project root (see compose.ServicePathKind). An imported file that does
// not lie at the root has its paths moved, so that the source names the
// same files the compose file did.

// dirFromRoot is the directory of the file at name seen from root, in
// slash form, and whether it lies inside the project. A file outside
// (another checkout, a download) names files the project does not hold:
// its paths are kept as written, and dir is "." as for a file at the
// root; so it is when either path cannot be made absolute.
func dirFromRoot(root, name string) (dir string, inside bool) {
	absRoot, err1 := filepath.Abs(root)
	absDir, err2 := filepath.Abs(filepath.Dir(name))
	if err1 != nil || err2 != nil {
		return ".", true
	}
	rel, err := filepath.Rel(absRoot, absDir)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ".", false
	}
	return filepath.ToSlash(rel), true
}

// movePaths rewrites, in place, the paths of a value of a service's
// compose block (top false) or of a host's top-level block (top true),
// found at keys, for a file in dir. Mappings are ordered ([]handwritten.Field) or
// plain maps.
func movePaths(v any, keys []string, dir string, top bool) any {
	if dir == "." {
		return v
	}
	at := func(key string) []string { return append(keys[:len(keys):len(keys)], key) }
	switch x := v.(type) {
	case []handwritten.Field:
		for i := range x {
			x[i].Value = moveString(x[i].Value, at(x[i].Key), dir, top, func(k string) any { return handwritten.ValueOf(x, k) })
		}
	case map[string]any:
		for k, e := range x {
			x[k] = moveString(e, at(k), dir, top, func(k string) any { return x[k] })
		}
	case []any:
		for i, e := range x {
			x[i] = moveString(e, at("[]"), dir, top, func(string) any { return nil })
		}
	}
	return v
}

// moveString moves v if it is a string that is a path, or walks into it.
func moveString(v any, keys []string, dir string, top bool, sibling func(string) any) any {
	s, ok := v.(string)
	if !ok {
		return movePaths(v, keys, dir, top)
	}
	kind := compose.TopLevelPathKind(keys)
	if !top {
		kind = compose.ServicePathKind(keys, sibling)
	}
	return compose.MovePath(kind, dir, s)
}
