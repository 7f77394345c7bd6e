package compose

import (
	"path"
	"strings"
)

// The source writes the paths of its compose blocks (build contexts,
// bind mounts, env files, secret and config files) relative to the
// project root, where schema/ is and where the team runs its tools.
// Compose reads them relative to the directory of the compose file, and
// the file lands in out/ by default; so every relative path is written
// relative to the file's directory instead ("./docker/nginx" becomes
// "../docker/nginx" in out/docker-compose.macmini.yml), and
// `docker compose -f out/docker-compose.macmini.yml up` finds what the
// source names. Absolute paths, home-relative paths, named volumes and
// remote build contexts are left as they are.

// rebaser rewrites root-relative paths for a compose file in dir (a
// clean slash path relative to the root).
type rebaser struct{ up string }

func newRebaser(output string) rebaser {
	dir := path.Dir(output)
	if dir == "." {
		return rebaser{}
	}
	return rebaser{up: strings.Repeat("../", strings.Count(dir, "/")+1)}
}

// path rewrites one path if it is local and relative.
func (r rebaser) path(p string) string {
	if r.up == "" || p == "" || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~") || strings.Contains(p, "://") ||
		strings.HasPrefix(p, "git@") || strings.HasPrefix(p, "service:") || strings.HasPrefix(p, "docker-image:") ||
		strings.HasPrefix(p, "oci-layout:") || strings.HasPrefix(p, "$") || windowsAbs(p) {
		return p
	}
	return path.Clean(r.up + p)
}

// windowsAbs reports a drive-letter path, which compose also takes as
// absolute.
func windowsAbs(p string) bool {
	return len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		(p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z')
}

// service rewrites the paths of a service's compose block in place.
func (r rebaser) service(block map[string]any) {
	if r.up == "" {
		return
	}
	switch b := block["build"].(type) {
	case string:
		block["build"] = r.path(b)
	case map[string]any:
		r.key(b, "context")
		if contexts, ok := b["additional_contexts"].(map[string]any); ok {
			for name := range contexts {
				r.key(contexts, name)
			}
		}
	}
	if volumes, ok := block["volumes"].([]any); ok {
		for i, v := range volumes {
			switch v := v.(type) {
			case string:
				volumes[i] = r.shortVolume(v)
			case map[string]any:
				if v["type"] == "bind" {
					r.key(v, "source")
				}
			}
		}
	}
	for _, key := range []string{"env_file", "label_file"} {
		switch files := block[key].(type) {
		case string:
			block[key] = r.path(files)
		case []any:
			for i, f := range files {
				switch f := f.(type) {
				case string:
					files[i] = r.path(f)
				case map[string]any:
					r.key(f, "path")
				}
			}
		}
	}
	if extends, ok := block["extends"].(map[string]any); ok {
		r.key(extends, "file")
	}
	if develop, ok := block["develop"].(map[string]any); ok {
		if watch, ok := develop["watch"].([]any); ok {
			for _, w := range watch {
				if w, ok := w.(map[string]any); ok {
					r.key(w, "path")
				}
			}
		}
	}
}

// fileBlocks rewrites the file of every entry of a top-level secrets or
// configs block in place.
func (r rebaser) fileBlocks(block map[string]any) {
	for _, entry := range block {
		if entry, ok := entry.(map[string]any); ok {
			r.key(entry, "file")
		}
	}
}

// key rewrites m[key] if it is a string.
func (r rebaser) key(m map[string]any, key string) {
	if p, ok := m[key].(string); ok {
		m[key] = r.path(p)
	}
}

// shortVolume rewrites the source of a volume in the short syntax,
// SOURCE:TARGET[:MODE], if it is a relative bind mount: compose takes a
// source starting with "." as a path, anything else without a slash as
// a named volume.
func (r rebaser) shortVolume(v string) string {
	if !strings.HasPrefix(v, ".") {
		return v
	}
	source, rest, found := strings.Cut(v, ":")
	if !found {
		return v // a bare target: an anonymous volume
	}
	return r.path(source) + ":" + rest
}
