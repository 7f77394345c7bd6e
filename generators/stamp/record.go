package stamp

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"portschema/generators/output"
	"portschema/schema"
)

// write takes the fingerprints of the stamp's files and directories and
// writes the stamp to file, through a temporary file and a rename.
//
// The temporary file is created first: its time, on the file system's
// clock, is the stamp's Since, and every fingerprint is taken after it,
// so that a fingerprint with older times cannot hide a later write (see
// Fingerprint). A file's fingerprint is recorded only when its bytes
// are the stamp's: it is read, unless prev (the stamp this one follows,
// or nil) holds a trusted fingerprint for the same bytes that the file
// still has. held are the fingerprints of prev's outputs seen to hold
// during this run (see Last.Known), taken again by no one: a write to
// such a file since then has moved its change time, so the next check
// finds it changed.
func write(file, root string, s Stamp, prev *Stamp, held map[string]Fingerprint) error {
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".check-*")
	if err != nil {
		return err
	}
	s.Since = 0
	if fp, err := fstat(int(f.Fd())); err == nil && fp.Known() {
		s.Since = fp.Ctime
	}
	s.takeFingerprints(root, prev, held)
	data, err := s.MarshalText()
	if err == nil {
		_, err = f.Write(data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), file)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// takeFingerprints records the fingerprint of every file that has the
// stamp's bytes, of the source directory and of the directories (see
// takeDirs); with no Since it records none.
func (s *Stamp) takeFingerprints(root string, prev *Stamp, held map[string]Fingerprint) {
	s.SourceDir, s.Dirs = Fingerprint{}, nil
	known := map[[2]string]Fingerprint{}
	if prev != nil {
		for _, group := range [][]File{prev.Outputs, prev.Inputs, prev.Sources} {
			for _, f := range group {
				if f.Sum != "" && f.Stat.TrustedBefore(prev.Since) && prev.Since <= s.Since {
					known[[2]string{f.Path, f.Sum}] = f.Stat
				}
			}
		}
	}
	var buf []byte
	var st statter
	defer st.Close()
	for _, group := range [][]File{s.Outputs, s.Inputs, s.Sources} {
		for i := range group {
			f := &group[i]
			f.Stat = Fingerprint{}
			if s.Since == 0 || f.Sum == "" || !cleanRelative(f.Path) {
				continue
			}
			name := abs(root, f.Path)
			if fp, ok := known[[2]string{f.Path, f.Sum}]; ok {
				if seen, ok := held[f.Path]; ok && seen == fp {
					f.Stat = fp
					continue
				}
				if now, err := st.lstat(name); err == nil && now == fp {
					f.Stat = fp
					continue
				}
			}
			if cap(buf) < f.Size+1 {
				buf = make([]byte, f.Size+1)
			}
			data, fp, ok := readRegular(name, buf[:f.Size+1])
			if ok && len(data) == f.Size && Sum(data) == f.Sum && isRegular(fp) {
				f.Stat = fp
			}
		}
	}
	if s.Since == 0 {
		return
	}
	if fp, err := lstat(abs(root, schema.SourceDir)); err == nil && isDir(fp) {
		s.SourceDir = fp
	}
	s.Dirs = s.takeDirs(root, prev)
}

// takeDirs returns the directories of the stamp (see Stamp.Dirs): every
// directory below out/, each fingerprinted before it is listed, and
// every other directory an output or input lies in. It returns none
// when out/ holds a stray, or a directory is not a plain one: the
// check then walks the tree and finds it. For the same files as prev's,
// only the directories that changed since prev are listed again (see
// dirsNow).
func (s *Stamp) takeDirs(root string, prev *Stamp) []Dir {
	files := append(s.Outputs[:len(s.Outputs):len(s.Outputs)], s.Inputs...)
	if prev != nil && samePaths(prev.Outputs, s.Outputs) && samePaths(prev.Inputs, s.Inputs) && prev.Since <= s.Since {
		if dirs, ok := prev.dirsNow(root); ok {
			return dirs
		}
	}
	var dirs []Dir
	seen := map[string]bool{}
	out := abs(root, output.OutDir)
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == out {
				return fs.SkipAll
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		fp, err := lstat(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		seen[rel] = true
		dirs = append(dirs, Dir{Path: rel, Stat: fp})
		return nil
	})
	if err != nil {
		return nil
	}
	for _, f := range files {
		for dir := path.Dir(f.Path); dir != "." && !seen[dir]; dir = path.Dir(dir) {
			seen[dir] = true
			fp, err := lstat(abs(root, dir))
			switch {
			case errors.Is(err, fs.ErrNotExist):
				dirs = append(dirs, Dir{Path: dir})
			case err != nil || !isDir(fp):
				return nil
			default:
				dirs = append(dirs, Dir{Path: dir, Stat: fp})
			}
		}
	}
	if !nothingElse(root, *s) {
		return nil
	}
	slices.SortFunc(dirs, func(a, b Dir) int { return strings.Compare(a.Path, b.Path) })
	return dirs
}

// samePaths reports whether a and b name the same files, in the same
// order: then the directories they lie in, and what counts as a stray,
// are the same.
func samePaths(a, b []File) bool {
	return slices.EqualFunc(a, b, func(x, y File) bool { return x.Path == y.Path })
}

// dirsNow is the stamp's directories as they are now, for a stamp of
// the same files (a run that rewrote some of them): a directory whose
// trusted fingerprint is still the recorded one holds the entries it
// held, and only the others are listed again, each fingerprinted
// before it is listed (see output.Tree.StraysIn). It reports false
// where that does not settle it: directories the stamp does not record
// as takeDirs would (see dirsShaped), a directory gone, appeared or no
// longer plain, or a stray in one listed.
func (s Stamp) dirsNow(root string) ([]Dir, bool) {
	dirs, changed, ok := s.dirsAsNow(root)
	if !ok || len(changed) == 0 {
		return dirs, ok
	}
	recorded := make(map[string]bool, len(s.Dirs))
	for _, d := range s.Dirs {
		recorded[d.Path] = true
	}
	files := make([]output.File, len(s.Outputs))
	for i, f := range s.Outputs {
		files[i] = output.File{Path: f.Path}
	}
	strays, subdirs, err := output.NewTree(root).StraysIn(files, changed)
	if err != nil || len(strays) > 0 {
		return nil, false
	}
	for _, d := range subdirs {
		if !recorded[d] {
			return nil, false
		}
	}
	return dirs, true
}
