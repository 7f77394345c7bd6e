package stamp

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"portschema/generators"
	"portschema/schema"
)

// Holds reports whether the stamp of the last run vouches for the tree
// at root as it is now, so that a check may skip the pipeline: the same
// source, root and tool (tool names the running binary, see
// ToolIdentity), and every recorded file with its recorded bytes. It
// returns what it read on the way (see Keyed), for the check that runs
// when the stamp does not hold to start from.
func Holds(root, tool string) (bool, *Read) {
	read := &Read{}
	_, ok := current(root, tool, read)
	return ok, read
}

// Written reports whether the stamp vouches for the tree at root as a
// regen would leave it, and how many outputs it holds: as Holds, with
// every output on disk (a check stamps a missing local output as
// absent, which a regen would write). A regen it vouches for has
// nothing to do.
func Written(root, tool string) (int, bool) {
	s, ok := current(root, tool, nil)
	if !ok {
		return 0, false
	}
	for _, f := range s.Outputs {
		if f.Sum == "" {
			return 0, false
		}
	}
	return len(s.Outputs), true
}

// current returns the stamp of the last run if it vouches for the tree
// at root as it is now (see Holds), telling read (if not nil) what it
// read.
//
// A check of an unchanged tree reads the stamp and the fingerprints of
// the files, not the files (see Fingerprint). When the stamp holds but
// some file had to be read, it is written again with the fingerprints
// found now, so that the next check need not (where the system gives
// fingerprints: a stamp that took none, Since 0, will take none).
func current(root, tool string, read *Read) (Stamp, bool) {
	s, absRoot, sourceTrusted, ok := keyed(root, tool, read)
	if !ok {
		return s, false
	}
	ok, trusted := verify(absRoot, s)
	if ok && s.Since != 0 && !(trusted && sourceTrusted) {
		write(Path(absRoot), absRoot, s.clone(), &s, nil) // a stamp that cannot be written only costs the next check its shortcut
	}
	return s, ok
}

// Keyed reports whether the stamp of the last run was made for the
// source as it is now, the root and the tool, without looking at the
// outputs: a regen for which it is false has work to do. It returns
// what it read on the way, for that work to start from.
func Keyed(root, tool string) (bool, *Read) {
	read := &Read{}
	_, _, _, ok := keyed(root, tool, read)
	return ok, read
}

// Read is what Keyed read: the stamp of the last run, and the source
// where the stamp's fingerprints could not vouch for it.
type Read struct {
	// Source is the source as Keyed read it, or nil.
	Source *schema.Source
	last   *Last
}

// Last is the stamp Keyed read, as ReadLast gives it.
func (r *Read) Last() *Last { return r.last }

// keyed reads the stamp of the project at root and reports whether its
// key is that of the source as it is now, with the absolute root and
// whether the source's fingerprints said so (sourceTrusted); read, if
// not nil, is told what it read.
func keyed(root, tool string, read *Read) (s Stamp, absRoot string, sourceTrusted, ok bool) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return s, "", false, false
	}
	file := Path(absRoot)
	if file == "" {
		return s, "", false, false
	}
	data, ok := readStamp(file)
	if !ok || s.UnmarshalText(data) != nil {
		return s, "", false, false
	}
	if read != nil {
		read.last = lastOf(absRoot, s)
	}
	digest, sourceTrusted := s.sourceDigest(absRoot, read)
	if digest == "" || s.Key != Key(absRoot, digest, tool) {
		return s, "", false, false
	}
	return s, absRoot, sourceTrusted, true
}

// Save records that the tree is up to date with what a run built: its
// changes as a write made them (written) or as a comparison found them,
// the other files its rules read, and its source. A stamp that cannot
// be written only costs the next check its shortcut.
func Save(res *generators.Result, tool string, written bool, last *Last) {
	p := res.Platform
	file := Path(p.Root)
	key := Key(p.Root, Digest(p.Source), tool)
	if file == "" || key == "" {
		return
	}
	s := Of(key, res.Changes, written)
	for _, in := range res.Inputs {
		f := File{Path: in.Path}
		if in.Exists {
			f = FileOf(in.Path, in.Data)
		}
		s.Inputs = append(s.Inputs, f)
	}
	for _, name := range p.Source.Names {
		sum := p.Source.Sum(name)
		s.Sources = append(s.Sources, File{Path: path.Join(schema.SourceDir, name), Sum: hex.EncodeToString(sum[:]), Size: len(p.Source.Data[name])})
	}
	var prev *Stamp
	var held map[string]Fingerprint
	if last != nil {
		prev, held = &last.stamp, last.held
	} else if data, ok := readStamp(file); ok {
		prev = new(Stamp)
		if prev.UnmarshalText(data) != nil {
			prev = nil
		}
	}
	write(file, p.Root, s, prev, held) // a stamp that cannot be written is no stamp
}

// readStamp reads the stamp file in one buffer of its size; a file
// that is not a regular one, or changes size meanwhile, is no stamp.
func readStamp(file string) ([]byte, bool) {
	fi, err := os.Lstat(file)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxStamp {
		return nil, false
	}
	data, _, ok := readRegular(file, make([]byte, fi.Size()+1))
	return data, ok && int64(len(data)) == fi.Size()
}

// maxStamp bounds the stamp read: about a hundred times the stamp of
// 10,000 services.
const maxStamp = 256 << 20

// clone is a copy of s whose file lists are its own.
func (s Stamp) clone() Stamp {
	s.Outputs, s.Inputs, s.Sources = slices.Clone(s.Outputs), slices.Clone(s.Inputs), slices.Clone(s.Sources)
	s.Dirs = slices.Clone(s.Dirs)
	return s
}

// sourceDigest is the digest of the source as it is now: from the
// stamp's hashes of its files while their fingerprints and that of
// their directory hold (trusted), else read from disk; "" when it
// cannot be known.
func (s Stamp) sourceDigest(absRoot string, read *Read) (digest string, trusted bool) {
	if d, ok := s.recordedSourceDigest(absRoot); ok {
		return d, true
	}
	src, d, err := readDigest(absRoot)
	if err != nil {
		return "", false
	}
	if read != nil {
		read.Source = src
	}
	return d, false
}

// recordedSourceDigest is the digest of the stamp's source files, if no
// file of the source directory changed since the stamp read them and
// no CUE module appeared around it.
func (s Stamp) recordedSourceDigest(absRoot string) (string, bool) {
	if len(s.Sources) == 0 || !s.SourceDir.TrustedBefore(s.Since) {
		return "", false
	}
	dir := abs(absRoot, schema.SourceDir)
	if fp, err := lstat(dir); err != nil || fp != s.SourceDir {
		return "", false
	}
	names := make([]string, len(s.Sources))
	sums := make([][sha256.Size]byte, len(s.Sources))
	for i, f := range s.Sources {
		name, ok := strings.CutPrefix(f.Path, schema.SourceDir+"/")
		if !ok || strings.Contains(name, "/") || !f.Stat.TrustedBefore(s.Since) {
			return "", false
		}
		if n, err := hex.Decode(sums[i][:], []byte(f.Sum)); err != nil || n != sha256.Size {
			return "", false
		}
		if fp, err := lstat(filepath.Join(dir, name)); err != nil || fp != f.Stat || !isRegular(fp) {
			return "", false
		}
		names[i] = name
	}
	if inModule(dir) {
		return "", false
	}
	return digestOf(names, sums), true
}

// Last is the stamp of the last run at a root, read once for a run
// that writes: it tells the writer which outputs it need not read (see
// Known), and is the stamp Save builds the next one on, reusing the
// fingerprints Known has just seen hold rather than taking them again.
type Last struct {
	root  string // absolute
	stamp Stamp
	// trusted are the outputs whose fingerprints the stamp trusts.
	trusted map[string]File
	mu      sync.Mutex
	// held are the outputs Known found with their recorded fingerprint
	// in this run.
	held map[string]Fingerprint
}

// ReadLast reads the stamp of the last run at root; nil where there is
// no stamp or the system gives no fingerprints.
func ReadLast(root string) *Last {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return nil
	}
	file := Path(absRoot)
	if file == "" {
		return nil
	}
	data, ok := readStamp(file)
	var s Stamp
	if !ok || s.UnmarshalText(data) != nil {
		return nil
	}
	return lastOf(absRoot, s)
}

// lastOf is the Last of a stamp read at absRoot; nil for a stamp that
// took no fingerprints.
func lastOf(absRoot string, s Stamp) *Last {
	if s.Since == 0 {
		return nil
	}
	l := &Last{root: absRoot, stamp: s, held: map[string]Fingerprint{}}
	l.trusted = make(map[string]File, len(l.stamp.Outputs))
	for _, f := range l.stamp.Outputs {
		if f.Sum != "" && cleanRelative(f.Path) && f.Stat.TrustedBefore(l.stamp.Since) {
			l.trusted[f.Path] = f
		}
	}
	return l
}

// Known tells what the stamp knows of the output at rel without reading
// it, whatever source or binary the stamp was made for: for an output
// whose fingerprint it trusts (see Fingerprint) and which the file
// system still gives, the sum of its recorded bytes and its permission
// bits. It may be called from several goroutines; Save reads what it
// saw once the run is over.
func (l *Last) Known(rel string) (sum string, perm fs.FileMode, ok bool) {
	f, ok := l.trusted[rel]
	if !ok {
		return "", 0, false
	}
	fp, err := lstat(abs(l.root, rel))
	if err != nil || fp != f.Stat || !isRegular(fp) {
		return "", 0, false
	}
	l.mu.Lock()
	l.held[rel] = fp
	l.mu.Unlock()
	return f.Sum, fs.FileMode(fp.Mode) & fs.ModePerm, true
}
