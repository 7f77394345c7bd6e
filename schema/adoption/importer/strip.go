package importer

import (
	"fmt"
	"strings"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// removedSecret is a secret stripper took out of a value: where it was,
// why it is one, and the variable of the host's environment that stands
// for it now ("" where the field was removed). It never holds the value.
type removedSecret struct {
	path, why, variable string
}

// stripper takes every secret the source's rule finds out of a value
// as the inputs wrote it (maps, ordered fields, lists). With
// interpolated set (compose, which fills ${NAME} from the host's
// environment), the secret's text is replaced by a reference to a
// variable named after its key, flag or assignment, prefixed with
// prefix; otherwise (a file that reads no environment) the field or
// item is removed.
type stripper struct {
	prefix       string
	interpolated bool
	removed      []removedSecret
}

func (st *stripper) value(v any, path string) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, item := range v {
			if item, keep := st.field(k, item, joinKey(path, k)); keep {
				out[k] = item
			}
		}
		return out
	case []handwritten.Field:
		out := make([]handwritten.Field, 0, len(v))
		for _, f := range v {
			if item, keep := st.field(f.Key, f.Value, joinKey(path, f.Key)); keep {
				f.Value = item
				out = append(out, f)
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(v))
		flag := ""
		for i, item := range v {
			p := fmt.Sprintf("%s[%d]", path, i)
			s, ok := item.(string)
			if !ok {
				out = append(out, st.value(item, p))
				flag = ""
				continue
			}
			sec, found := schema.SecretItem(flag, s)
			flag = schema.FlagName(s)
			switch {
			case !found:
				out = append(out, item)
			case st.interpolated:
				out = append(out, st.replace(p, lastKey(path), s, sec))
			default:
				st.removed = append(st.removed, removedSecret{path: p, why: sec.Why})
			}
		}
		return out
	}
	return v
}

// field strips one field's value; false drops the field.
func (st *stripper) field(key string, v any, path string) (any, bool) {
	s, ok := v.(string)
	if !ok {
		return st.value(v, path), true
	}
	sec, found := schema.SecretIn(key, s)
	switch {
	case !found:
		return v, true
	case st.interpolated:
		return st.replace(path, key, s, sec), true
	}
	st.removed = append(st.removed, removedSecret{path: path, why: sec.Why})
	return nil, false
}

// replace puts a reference in place of the secret in s, and of any
// other the rule still finds there.
func (st *stripper) replace(path, key, s string, sec schema.Found) string {
	for range 16 {
		name := sec.Name
		if name == "" {
			name = key + "_SECRET"
		}
		variable := schema.VariableName(st.prefix, name)
		ref := "${" + variable + "}"
		next := strings.ReplaceAll(s, sec.Text, ref)
		if next == s || sec.Text == "" {
			next = ref
		}
		st.removed = append(st.removed, removedSecret{path: path, why: sec.Why, variable: variable})
		s = next
		var more bool
		if sec, more = schema.SecretIn("", s); !more {
			return s
		}
	}
	return "${" + schema.VariableName(st.prefix, key+"_SECRET") + "}"
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// lastKey is the last field name of a path.
func lastKey(path string) string {
	if i := strings.IndexByte(path, '['); i >= 0 {
		path = path[:i]
	}
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		path = path[i+1:]
	}
	return path
}
