package compose

import (
	"path"
	"strings"
)

// The source writes the paths of its compose blocks (build contexts,
// bind mounts, env files, secret and config files) relative to the
// project root, where schema/ is and where the team runs its tools.
// Compose resolves them against the directory of the compose file. The
// generator moves such paths from the root to the directory of the file
// it writes, and import from the directory of the file it reads to the
// root; these are the rules both use.

// PathKind says what a string of a compose block is to compose.
type PathKind int

const (
	// NotAPath is any other string.
	NotAPath PathKind = iota
	// PathValue is a path compose resolves against the project directory.
	PathValue
	// ShortVolume is a volume in the short syntax, SOURCE:TARGET[:MODE],
	// whose source may be such a path.
	ShortVolume
)

// ServicePathKind is the kind of the string at keys in a service's
// compose block: the keys from the block down to the string, a list
// item as "[]". sibling reads another key of the mapping that holds the
// string (a volume's source is a path only for type: bind).
func ServicePathKind(keys []string, sibling func(key string) any) PathKind {
	switch strings.Join(keys, ".") {
	case "build", "build.context", "env_file", "env_file.[]", "env_file.[].path",
		"label_file", "label_file.[]", "extends.file", "develop.watch.[].path":
		return PathValue
	case "volumes.[]":
		return ShortVolume
	case "volumes.[].source":
		if sibling("type") == "bind" {
			return PathValue
		}
	}
	if len(keys) == 3 && keys[0] == "build" && keys[1] == "additional_contexts" {
		return PathValue
	}
	return NotAPath
}

// servicePathsUnder reports whether ServicePathKind finds any path
// below key, a top-level key of a service's compose block: the values
// of every other key are passed over without a look.
func servicePathsUnder(key string) bool {
	switch key {
	case "build", "env_file", "label_file", "extends", "develop", "volumes":
		return true
	}
	return false
}

// TopLevelPathKind is the kind of the string at keys in a host's
// top-level compose block (the block's key first): the file of a secret
// or a config.
func TopLevelPathKind(keys []string) PathKind {
	if len(keys) == 3 && (keys[0] == "secrets" || keys[0] == "configs") && keys[2] == "file" {
		return PathValue
	}
	return NotAPath
}

// MovePath rewrites a string of the given kind for a move of
// directory: dir is where the old base directory lies, seen from the new
// one ("..", or "deploy"). Only relative local paths move; absolute and
// home-relative paths, remote build contexts, references to services
// and images, interpolated values and named volumes stay as they are.
func MovePath(kind PathKind, dir, s string) string {
	switch {
	case dir == "" || dir == ".":
		return s
	case kind == PathValue && localRelative(s):
		return path.Join(dir, s)
	case kind == PathValue:
		if moved, ok := moveDefault(dir, s, false); ok {
			return moved
		}
	case kind == ShortVolume && strings.HasPrefix(s, "${"):
		source, rest, found := cutOutsideBraces(s, ':')
		if moved, ok := moveDefault(dir, source, true); ok && found {
			return moved + ":" + rest
		}
	case kind == ShortVolume && strings.HasPrefix(s, "."):
		// compose takes a source starting with "." for a path, anything
		// else without a slash for a named volume; a lone target is an
		// anonymous volume.
		if source, rest, found := strings.Cut(s, ":"); found {
			moved := path.Join(dir, source)
			if !strings.HasPrefix(moved, ".") {
				moved = "./" + moved // still a path, not a volume name
			}
			return moved + ":" + rest
		}
	}
	return s
}

// moveDefault moves the default of a path that starts with a variable,
// ${DATA_DIR:-./data} or ${DATA_DIR-./data}/pg, when that default is a
// relative path: with the variable unset compose takes the default, so
// it must name the same files from the new directory. A value the
// variable is given is the user's and is left alone. In a short volume
// (dotted) only a default starting with "." is a path; any other is a
// volume name.
func moveDefault(dir, s string, dotted bool) (string, bool) {
	if !strings.HasPrefix(s, "${") {
		return "", false
	}
	end := closingBrace(s)
	if end < 0 {
		return "", false
	}
	expr, tail := s[2:end], s[end+1:]
	name, def, sep := "", "", ""
	for _, op := range []string{":-", "-"} {
		if n, d, ok := strings.Cut(expr, op); ok && !strings.ContainsAny(n, ":?+") {
			name, def, sep = n, d, op
			break
		}
	}
	if sep == "" || !localRelative(def) || strings.Contains(def, "$") || (dotted && !strings.HasPrefix(def, ".")) {
		return "", false
	}
	moved := path.Join(dir, def)
	if !strings.HasPrefix(moved, ".") {
		moved = "./" + moved
	}
	return "${" + name + sep + moved + "}" + tail, true
}

// closingBrace is the index of the brace that closes the ${ at the
// start of s, or -1.
func closingBrace(s string) int {
	depth := 0
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// cutOutsideBraces cuts s at the first sep that is not inside ${...}.
func cutOutsideBraces(s string, sep byte) (before, after string, found bool) {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case sep:
			if depth == 0 {
				return s[:i], s[i+1:], true
			}
		}
	}
	return s, "", false
}

// localRelative reports whether a path is relative and on this machine.
func localRelative(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~") || strings.HasPrefix(p, "$") ||
		strings.Contains(p, "://") || strings.HasPrefix(p, "git@") {
		return false
	}
	for _, prefix := range []string{"service:", "docker-image:", "oci-layout:"} {
		if strings.HasPrefix(p, prefix) {
			return false
		}
	}
	// A drive letter: compose takes C:\x and C:/x as absolute too.
	windows := len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/') &&
		(p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z')
	return !windows
}
