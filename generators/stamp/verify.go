package stamp

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"portschema/generators/output"
)

// Verify reports whether every file of the stamp is on disk as recorded:
// the same bytes, a regular file reached without a symbolic link below
// the root, or still absent; and whether out/ holds nothing else.
func Verify(root string, s Stamp) bool {
	ok, _ := verify(root, s)
	return ok
}

// verify is Verify, and whether every file and directory it looked at
// had its trusted fingerprint: when not, a new stamp that records the
// fingerprints found now spares the next check the reading.
//
// A file whose trusted fingerprint holds is not read; the others are
// read in parallel. While every directory holds, no entry appeared in
// out/ and none of them became a link, so out/ is not walked.
func verify(root string, s Stamp) (ok, trusted bool) {
	files := append(s.Outputs[:len(s.Outputs):len(s.Outputs)], s.Inputs...)
	if len(s.Outputs) == 0 {
		return false, false
	}
	dirsHold := s.dirsHold(root)
	if !dirsHold && !plainDirs(root, files) {
		return false, false
	}
	var toRead []File
	var st statter
	defer st.Close()
	for _, f := range files {
		if !cleanRelative(f.Path) {
			return false, false
		}
		if held, known := heldByStat(&st, root, f, s.Since); known && !held {
			return false, false
		} else if !known {
			toRead = append(toRead, f)
		}
	}
	if !readAll(root, toRead) || (!dirsHold && !nothingElse(root, s)) {
		return false, false
	}
	return true, dirsHold && len(toRead) == 0
}

// readAll reports whether every file has the recorded bytes, reading
// them in parallel.
func readAll(root string, files []File) bool {
	workers := min(runtime.GOMAXPROCS(0)*2, len(files))
	var failed atomic.Bool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var buf []byte
			for i := w; i < len(files) && !failed.Load(); i += workers {
				var ok bool
				if buf, ok = holds(root, files[i], buf); !ok {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	return !failed.Load()
}

// dirsHold reports whether every directory of the stamp is as recorded
// with a trusted fingerprint, or still absent, and the stamp records
// every directory its files lie in below the root; false for a stamp
// without directories.
func (s Stamp) dirsHold(root string) bool {
	_, changed, ok := s.dirsAsNow(root)
	return ok && len(changed) == 0
}

// dirsAsNow is the stamp's directories with the fingerprints they have
// now, and the paths of those whose trusted fingerprint is not the
// recorded one (changed). It reports false where that does not tell
// what the directories hold: directories the stamp does not record as
// takeDirs would (see dirsShaped), or one gone, appeared or no longer
// plain.
func (s Stamp) dirsAsNow(root string) (dirs []Dir, changed []string, ok bool) {
	if !s.dirsShaped() {
		return nil, nil, false
	}
	dirs = make([]Dir, 0, len(s.Dirs))
	for _, d := range s.Dirs {
		fp, err := lstat(abs(root, d.Path))
		switch {
		case !d.Stat.Known():
			if !errors.Is(err, fs.ErrNotExist) {
				return nil, nil, false
			}
			dirs = append(dirs, d)
		case err != nil || !isDir(fp):
			return nil, nil, false
		case fp == d.Stat && d.Stat.TrustedBefore(s.Since):
			dirs = append(dirs, d)
		default:
			dirs = append(dirs, Dir{Path: d.Path, Stat: fp})
			changed = append(changed, d.Path)
		}
	}
	return dirs, changed, true
}

// dirsShaped reports whether the stamp records directories, each a
// clean relative path, with every directory above them below the root
// and every directory its files lie in below the root.
func (s Stamp) dirsShaped() bool {
	if len(s.Dirs) == 0 {
		return false
	}
	recorded := make(map[string]bool, len(s.Dirs))
	for _, d := range s.Dirs {
		if !cleanRelative(d.Path) {
			return false
		}
		recorded[d.Path] = true
	}
	for d := range recorded {
		for dir := path.Dir(d); dir != "."; dir = path.Dir(dir) {
			if !recorded[dir] {
				return false
			}
		}
	}
	for _, files := range [][]File{s.Outputs, s.Inputs} {
		for _, f := range files {
			if dir := path.Dir(f.Path); dir != "." && !recorded[dir] {
				return false
			}
		}
	}
	return true
}

// nothingElse reports whether out/ holds only the stamp's outputs: a
// file that appeared there since, or a temporary file a killed write
// left, is for the full check to report.
func nothingElse(root string, s Stamp) bool {
	files := make([]output.File, len(s.Outputs))
	for i, f := range s.Outputs {
		files[i] = output.File{Path: f.Path}
	}
	strays, err := output.NewTree(root).Strays(files)
	return err == nil && len(strays) == 0
}

// heldByStat reports, for a file of a stamp that started at since,
// whether the file system alone tells that it is as recorded (known)
// and if so whether it is (held): an absent file must still be absent,
// and a file with a trusted fingerprint that still has it has its
// recorded bytes. Any other file must be read.
func heldByStat(st *statter, root string, f File, since int64) (held, known bool) {
	name := abs(root, f.Path)
	if f.Sum == "" {
		_, err := st.lstat(name)
		return errors.Is(err, fs.ErrNotExist), true
	}
	if f.Stat.TrustedBefore(since) {
		if fp, err := st.lstat(name); err == nil && fp == f.Stat && isRegular(fp) {
			return true, true
		}
	}
	return false, false
}

// holds reports whether one file is on disk with the bytes the stamp
// recorded; buf is reused from file to file.
func holds(root string, f File, buf []byte) ([]byte, bool) {
	if cap(buf) < f.Size+1 {
		buf = make([]byte, f.Size+1)
	}
	data, _, ok := readRegular(abs(root, f.Path), buf[:f.Size+1])
	return buf, ok && len(data) == f.Size && Sum(data) == f.Sum
}

// plainDirs reports whether every directory the files lie in, below the
// root, is a real directory or absent: a symbolic link there could lead
// outside the root, which only the full check's path rules judge.
func plainDirs(root string, files []File) bool {
	seen := map[string]bool{".": true}
	for _, f := range files {
		for dir := path.Dir(f.Path); !seen[dir]; dir = path.Dir(dir) {
			seen[dir] = true
			fi, err := os.Lstat(abs(root, dir))
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil || !fi.IsDir() {
				return false
			}
		}
	}
	return true
}

// abs is the file at a slash path relative to root.
func abs(root, rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }

// cleanRelative reports whether p is a clean slash-separated path that
// stays below the root, as every output path is.
func cleanRelative(p string) bool {
	return p != "" && !path.IsAbs(p) && !filepath.IsAbs(p) && !strings.Contains(p, "\\") &&
		path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../")
}
