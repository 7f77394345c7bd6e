package output

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// OutDir is the directory the tool owns: its manifest and lock live
// there (ManifestPath, LockPath), and every file in it is expected to
// be generated.
const OutDir = "out"

// Stray is a file where outputs are that no run of the current source
// produces and no manifest names: something left in out/ by hand or by
// another tool, or a temporary file of a write that was killed.
type Stray struct {
	Path string
	// Temporary is set for a file a killed write left behind; the next
	// regen removes it.
	Temporary bool
}

// Strays lists, sorted, the files below out/ that are neither among
// files nor named by the manifest (those are orphans, which Plan
// reports), and the temporary files beside any of files.
func (t *Tree) Strays(files []File) ([]Stray, error) {
	known, err := t.known(files)
	if err != nil {
		return nil, err
	}
	return t.strays(known)
}

// StraysIn is Strays looking in the given directories alone (relative
// to the root, their entries only): what the others hold is known
// otherwise. Outside out/ only the temporary files beside known files
// are strays. It also returns the subdirectories it found below out/,
// for the caller to check against those it knows.
func (t *Tree) StraysIn(files []File, dirs []string) ([]Stray, []string, error) {
	known, err := t.known(files)
	if err != nil {
		return nil, nil, err
	}
	holdsKnown := map[string]bool{}
	for p := range known {
		holdsKnown[path.Dir(p)] = true
	}
	var out []Stray
	var subdirs []string
	for _, dir := range dirs {
		if dir != OutDir && !strings.HasPrefix(dir, OutDir+"/") {
			if !holdsKnown[dir] {
				continue
			}
			temps, _ := filepath.Glob(filepath.Join(t.abs(dir), tempPattern))
			for _, tmp := range temps {
				out = append(out, Stray{Path: dir + "/" + filepath.Base(tmp), Temporary: true})
			}
			continue
		}
		entries, err := os.ReadDir(t.abs(dir))
		if err != nil {
			return nil, nil, err
		}
		for _, e := range entries {
			rel := dir + "/" + e.Name()
			switch {
			case e.IsDir():
				subdirs = append(subdirs, rel)
			case !known[rel] && rel != LockPath:
				out = append(out, Stray{Path: rel, Temporary: isTemp(rel)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, subdirs, nil
}

// known are the files below out/ that are not strays: files, the
// manifest, and what the manifest names (orphans, which Plan reports).
func (t *Tree) known(files []File) (map[string]bool, error) {
	known := map[string]bool{ManifestPath: true}
	for _, f := range files {
		known[f.Path] = true
	}
	// A manifest entry only keeps a file from being reported, and the
	// walks of strays do not follow links: the entries need no look at
	// the file system, only to be paths inside the root as written.
	owned, err := t.readManifest(checkLexically)
	if err != nil {
		return nil, err
	}
	for _, p := range owned {
		known[p] = true
	}
	return known, nil
}

// strays finds the files below out/ not in known, and the temporary
// files in the directories of known files.
func (t *Tree) strays(known map[string]bool) ([]Stray, error) {
	var out []Stray
	seen := map[string]bool{}
	add := func(rel string) {
		if !seen[rel] {
			seen[rel] = true
			out = append(out, Stray{Path: rel, Temporary: isTemp(rel)})
		}
	}
	err := filepath.WalkDir(t.abs(OutDir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == t.abs(OutDir) {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(t.Root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !known[rel] && rel != LockPath {
			add(rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	dirs := map[string]bool{}
	for p := range known {
		dirs[path.Dir(p)] = true
	}
	for dir := range dirs {
		temps, _ := filepath.Glob(filepath.Join(t.abs(dir), tempPattern))
		for _, tmp := range temps {
			if rel, err := filepath.Rel(t.Root, tmp); err == nil {
				add(filepath.ToSlash(rel))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// isTemp reports whether a file is named like the temporary files of a
// write.
func isTemp(rel string) bool {
	name := path.Base(rel)
	prefix, suffix, _ := strings.Cut(tempPattern, "*")
	return strings.HasPrefix(name, prefix) && strings.HasSuffix(name, suffix)
}

// FirstDifference is the line of old (1-based) at which new first
// differs from it, or old's last line when new only adds to its end:
// where an annotation of a stale file points.
func FirstDifference(old, new []byte) int {
	i := 0
	for i < len(old) && i < len(new) && old[i] == new[i] {
		i++
	}
	line := 1 + bytes.Count(old[:i], []byte("\n"))
	lines := bytes.Count(old, []byte("\n"))
	if len(old) > 0 && old[len(old)-1] != '\n' {
		lines++
	}
	return max(1, min(line, lines))
}
