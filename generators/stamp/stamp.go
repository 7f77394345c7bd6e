// Package stamp is the check stamp: what lets `portschema check` on an
// unchanged tree answer without evaluating the source. regen, and every
// check that finds the tree up to date, record what they generated
// under a key made of the source's digest, the definitions, the project
// root and the tool's own identity. A later check that computes the same
// key and finds every output (and every other input) with the recorded
// bytes is done; anything else falls back to the full check.
//
// Stamps live in the user's cache directory, not in out/: the key names
// the binary, which differs between machines, and everything in out/
// must be the same bytes wherever it is generated.
package stamp

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"portschema/generators/output"
)

// A Stamp records a fact: when the inputs of a project had the digest
// Key, its outputs were exactly these bytes and nothing else was in the
// way. A check that finds the same key and the same bytes on disk knows
// its answer without evaluating the source or running a generator.
//
// A stamp vouches only for bytes the tool generated or compared itself,
// never for what it found later: any file that differs, is missing, has
// appeared, or is no longer a regular file makes Verify fail, and the
// caller falls back to the full check.
type Stamp struct {
	Key string
	// Outputs are the generated files, the manifest included.
	Outputs []File
	// Inputs are files other than the source that the run read (alert
	// rule files), relative to the root; the key covers the source.
	Inputs []File
}

// File is one file of a stamp.
type File struct {
	Path string
	// Sum is the hex SHA-256 of the file's bytes; "" means the file was
	// absent (a local output a fresh clone lacks, an input not there).
	Sum string
	// Size is the file's length, so that it is read in one call.
	Size int
}

// StampFile records a file with the given bytes.
func FileOf(path string, data []byte) File {
	return File{Path: path, Sum: Sum(data), Size: len(data)}
}

// Sum is the hex SHA-256 of data, as stamps record it.
func Sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// Of records the outputs of a run that left the disk up to date:
// changes as Write returned them (written is true), or as Plan returned
// them for a tree it found up to date. Orphans are gone after a write
// and absent from an up-to-date tree; a missing file that was not
// written is recorded as absent.
func Of(key string, changes []output.Change, written bool) Stamp {
	s := Stamp{Key: key}
	for _, c := range changes {
		switch {
		case c.Kind == output.Orphaned:
		case c.Kind == output.Missing && !written:
			s.Outputs = append(s.Outputs, File{Path: c.Path})
		default:
			s.Outputs = append(s.Outputs, FileOf(c.Path, c.New))
		}
	}
	return s
}

const stampMagic = "portschema stamp 1"

// MarshalText writes the stamp one file a line: "out <sum> <size>
// <path>" or "in <sum> <size> <path>", with "- 0" for an absent file.
func (s Stamp) MarshalText() ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nkey %s\n", stampMagic, s.Key)
	for _, group := range []struct {
		tag   string
		files []File
	}{{"out", s.Outputs}, {"in", s.Inputs}} {
		for _, f := range group.files {
			if strings.ContainsAny(f.Path, "\n\r") {
				return nil, fmt.Errorf("stamp: path %q has a line break", f.Path)
			}
			sum := f.Sum
			if sum == "" {
				sum = "-"
			}
			fmt.Fprintf(&b, "%s %s %d %s\n", group.tag, sum, f.Size, f.Path)
		}
	}
	return b.Bytes(), nil
}

// UnmarshalText reads what MarshalText wrote; anything else is an error.
func (s *Stamp) UnmarshalText(data []byte) error {
	*s = Stamp{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	if !sc.Scan() || sc.Text() != stampMagic {
		return errors.New("stamp: not a stamp of this version")
	}
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), "key ") {
		return errors.New("stamp: no key")
	}
	s.Key = strings.TrimPrefix(sc.Text(), "key ")
	for sc.Scan() {
		fields := strings.SplitN(sc.Text(), " ", 4)
		if len(fields) != 4 || fields[3] == "" {
			return fmt.Errorf("stamp: bad line %q", sc.Text())
		}
		tag, sum, p := fields[0], fields[1], fields[3]
		size, err := strconv.Atoi(fields[2])
		if err != nil || size < 0 {
			return fmt.Errorf("stamp: bad line %q", sc.Text())
		}
		if sum == "-" {
			sum = ""
		}
		f := File{Path: p, Sum: sum, Size: size}
		switch tag {
		case "out":
			s.Outputs = append(s.Outputs, f)
		case "in":
			s.Inputs = append(s.Inputs, f)
		default:
			return fmt.Errorf("stamp: bad line %q", sc.Text())
		}
	}
	return sc.Err()
}

// Verify reports whether every file of the stamp is on disk as recorded:
// the same bytes, a regular file reached without a symbolic link below
// the root, or still absent. The files are read in parallel; reading
// them is most of what a check of an unchanged tree costs.
func Verify(root string, s Stamp) bool {
	files := append(s.Outputs[:len(s.Outputs):len(s.Outputs)], s.Inputs...)
	if len(s.Outputs) == 0 || !plainDirs(root, files) {
		return false
	}
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
	return !failed.Load() && nothingElse(root, s)
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

// holds reports whether one file is on disk as the stamp recorded it;
// buf is reused from file to file.
func holds(root string, f File, buf []byte) ([]byte, bool) {
	if !cleanRelative(f.Path) {
		return buf, false
	}
	if f.Sum == "" {
		_, err := os.Lstat(abs(root, f.Path))
		return buf, errors.Is(err, fs.ErrNotExist)
	}
	if cap(buf) < f.Size+1 {
		buf = make([]byte, f.Size+1)
	}
	data, ok := readRegular(abs(root, f.Path), buf[:f.Size+1])
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
