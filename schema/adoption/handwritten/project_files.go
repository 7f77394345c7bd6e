package handwritten

import (
	"path/filepath"
)

// maxReachedFiles bounds how many files include and extends may bring
// in for positions; compose-go's loader has read them already, so this
// only guards the reader against an include graph built to be huge.
const maxReachedFiles = 64

// reachedFiles are the files the named ones bring in through include
// and extends (file:), each parsed alone, as written, in the order
// reached: the merged project's services and values that come from them
// are pointed back at their lines. A file that cannot be read is left
// out: the loader, which read it already, would have said why.
func reachedFiles(named []*ComposeFile) []*ComposeFile {
	seen := map[string]bool{}
	for _, f := range named {
		seen[cleanAbs(f.Path)] = true
	}
	var out []*ComposeFile
	queue := append([]*ComposeFile{}, named...)
	for len(queue) > 0 && len(out) < maxReachedFiles {
		f := queue[0]
		queue = queue[1:]
		for _, p := range referencedFiles(f) {
			if seen[cleanAbs(p)] {
				continue
			}
			seen[cleanAbs(p)] = true
			r, err := ReadCompose(p)
			if err != nil {
				continue
			}
			out = append(out, r)
			queue = append(queue, r)
		}
	}
	return out
}

// referencedFiles are the paths a file names in include (short and long
// syntax) and in its services' extends, relative to its own directory.
func referencedFiles(f *ComposeFile) []string {
	dir := filepath.Dir(f.Path)
	at := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	var out []string
	top, err := f.Ordered()
	if err != nil {
		return nil
	}
	includes, _ := ValueOf(top, "include").([]any)
	for _, inc := range includes {
		switch x := inc.(type) {
		case string:
			out = append(out, at(x))
		case []Field:
			switch p := ValueOf(x, "path").(type) {
			case string:
				out = append(out, at(p))
			case []any:
				for _, e := range p {
					if s, ok := e.(string); ok {
						out = append(out, at(s))
					}
				}
			}
		}
	}
	for _, s := range f.Services {
		if ext, ok := s.Model["extends"].(map[string]any); ok {
			if file, ok := ext["file"].(string); ok && file != "" {
				out = append(out, at(file))
			}
		}
	}
	return out
}

func cleanAbs(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}
