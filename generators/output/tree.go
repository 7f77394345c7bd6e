package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"portschema/schema/readfile"
)

// ManifestPath is where the tool records the files it owns, relative to
// the project root. Files it generated before and no longer produces are
// found through it and removed.
const ManifestPath = "out/.portschema-manifest"

// LockPath serialises runs on one root: a second regen waits for the
// first instead of interleaving its writes.
const LockPath = "out/.portschema.lock"

// Change is how one path differs between the generated set and the disk.
type Change struct {
	Path string
	Kind ChangeKind
	// Old and New are the contents on disk and the generated contents;
	// Old is nil for a missing file, New for an orphan.
	Old, New []byte
	// Local and Private are copied from the File.
	Local, Private bool

	filled Filled
	// sum is New's SumOfNew where the write already had it: an output
	// the last run's record vouched for.
	sum string
}

// SumOfNew is the hex SHA-256 of New, as the check stamp records it.
func (c Change) SumOfNew() string {
	if c.sum != "" {
		return c.sum
	}
	h := sha256.Sum256(c.New)
	return hex.EncodeToString(h[:])
}

// Shown returns Old and New as a diff may print them: with every value
// a person filled in hidden.
func (c Change) Shown() (old, new []byte) {
	if c.filled == nil {
		return c.Old, c.New
	}
	return mask(c.filled, c.Old), mask(c.filled, c.New)
}

func mask(f Filled, data []byte) []byte {
	if data == nil {
		return nil
	}
	return f.Mask(data)
}

// ChangeKind classifies a Change.
type ChangeKind int

const (
	// Unchanged files keep their bytes and mtime.
	Unchanged ChangeKind = iota
	// Missing files are generated but absent on disk.
	Missing
	// Stale files differ from what the source generates.
	Stale
	// Orphaned files were generated before but no longer are.
	Orphaned
)

func (k ChangeKind) String() string {
	return [...]string{"unchanged", "missing", "stale", "orphaned"}[k]
}

// Tree is a project root that generated files are compared with and
// written to.
type Tree struct {
	Root string
	// writeTemp writes data to a new temporary file in dir and returns
	// its path; tests replace it to simulate a full disk.
	writeTemp func(dir string, data []byte) (string, error)
	// Waiting, if not nil, is told when a write waits for the lock
	// (named by its path) that another run holds.
	Waiting func(lock string)
	// Known, if not nil, tells what is known of an output on disk
	// without reading it: the hex SHA-256 of its bytes and its
	// permission bits, where a record of the last run still stands for
	// the file, a regular one (see the stamp's fingerprints). An output
	// known to hold the bytes generated now is unchanged and is not
	// read; any other is read as always.
	Known func(rel string) (sum string, perm fs.FileMode, ok bool)
}

// knownToHold reports whether the output at rel is known (see Known)
// to hold data, and if so data's sum and the file's permission bits.
func (t *Tree) knownToHold(rel string, data []byte) (sum string, perm fs.FileMode, ok bool) {
	if t.Known == nil {
		return "", 0, false
	}
	sum, perm, ok = t.Known(rel)
	if !ok {
		return "", 0, false
	}
	h := sha256.Sum256(data)
	return sum, perm, sum == hex.EncodeToString(h[:])
}

// NewTree returns the tree rooted at root.
func NewTree(root string) *Tree {
	return &Tree{Root: root, writeTemp: writeTemp}
}

// Plan validates the generated files (paths inside the root, each
// produced once, nothing without the generated header in the way) and
// compares them with the disk. It writes nothing. The manifest is added
// to files as one more generated file.
func (t *Tree) Plan(files []File) ([]Change, error) {
	return t.plan(files, &pathChecker{tree: t}, nil)
}

// plan is Plan with the path checks and the reads a write already made
// in this run (see writer.stageQueued): an output found there is
// compared with the bytes read then rather than read again.
func (t *Tree) plan(files []File, checker *pathChecker, found map[string]found) ([]Change, error) {
	files, err := t.withManifest(files, checker)
	if err != nil {
		return nil, err
	}
	produced := map[string]bool{}
	var changes []Change
	for _, f := range files {
		old, sum, err := t.readFound(f.Path, found, f.Data)
		c := Change{Path: f.Path, Old: old, New: f.Data, Local: f.Local, Private: f.Private, filled: f.Filled}
		switch {
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
			c.Kind, c.Old = Missing, nil
		case err != nil:
			return nil, err
		case !HasHeader(old):
			return nil, fmt.Errorf("%s exists and lacks the generated header %q; portschema never overwrites a file it did not write: move it away or delete it", f.Path, HeaderText)
		default:
			if f.Filled != nil {
				c.New = f.Filled.Keep(old, f.Data)
			}
			c.Kind = Stale
			if bytes.Equal(old, c.New) {
				c.Kind, c.sum = Unchanged, sum // the record's sum of old, if it gave one
			}
		}
		changes = append(changes, c)
		produced[f.Path] = true
	}
	owned, err := t.readManifest(checker.check)
	if err != nil {
		return nil, err
	}
	for _, p := range owned {
		if produced[p] {
			continue
		}
		old, err := t.read(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if HasHeader(old) {
			changes = append(changes, Change{Path: p, Kind: Orphaned, Old: old})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes, nil
}

// Write makes the disk match the generated files, in two phases. First
// every new or changed file is written to a temporary file beside its
// destination; if any of that fails (a full disk, a read-only
// directory), the temporary files are removed and no output has
// changed. Then each is renamed over its destination, so every file is
// always either its old or its new version; orphans are removed; the
// manifest goes last, so that until then the old one still names every
// file a previous run owned. Unchanged files are not touched. A lock on
// the root keeps two runs from interleaving. Nothing is written unless
// every file passed Plan's checks.
func (t *Tree) Write(files []File) ([]Change, error) {
	w, err := t.begin()
	if err != nil {
		return nil, err
	}
	defer w.close()
	return w.commit(files)
}

// commit is Write's work once the lock is held; early holds files
// already staged (see writer.stage), by path.
// found holds the outputs read while staging and checker the paths
// checked then.
func (t *Tree) commit(files []File, early map[string]staged, checker *pathChecker, found map[string]found) ([]Change, error) {
	changes, err := t.plan(files, checker, found)
	if err != nil {
		return nil, err
	}
	sort.SliceStable(changes, func(i, j int) bool {
		return changes[i].Path != ManifestPath && changes[j].Path == ManifestPath
	})
	temps, err := t.stage(changes, early)
	if err != nil {
		return nil, err
	}
	for i, c := range changes {
		switch {
		case temps[i] != "":
			if err := os.Rename(temps[i], t.abs(c.Path)); err != nil {
				removeAll(temps[i:])
				return nil, fmt.Errorf("writing %s: %w", c.Path, err)
			}
		case c.Kind == Unchanged && c.Private && checker.mayBeShared(c.Path):
			tighten(t.abs(c.Path))
		case c.Kind == Orphaned:
			if err := os.Remove(t.abs(c.Path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				removeAll(temps[i:])
				return nil, err
			}
		}
	}
	t.removeStaleTemps(files)
	return changes, nil
}

// removeStaleTemps removes the temporary files left in the outputs'
// directories by a run that was killed before its renames. No other run
// writes while this one holds the lock, so any left now is stale.
func (t *Tree) removeStaleTemps(files []File) {
	dirs := map[string]bool{}
	for _, f := range files {
		dirs[filepath.Dir(t.abs(f.Path))] = true
	}
	for dir := range dirs {
		stale, _ := filepath.Glob(filepath.Join(dir, tempPattern))
		removeAll(stale)
	}
}

// stage writes every new or changed file to a temporary file beside its
// destination, syncs them, and returns their paths ("" for changes with
// nothing to write). A file staged early with the same contents is
// taken as it is. On failure it removes what it wrote.
func (t *Tree) stage(changes []Change, early map[string]staged) ([]string, error) {
	temps := make([]string, len(changes))
	for i, c := range changes {
		if c.Kind != Missing && c.Kind != Stale {
			continue
		}
		var err error
		if e, ok := early[c.Path]; ok && bytes.Equal(e.data, c.New) {
			temps[i] = e.temp
			delete(early, c.Path)
		} else {
			dir := filepath.Dir(t.abs(c.Path))
			err = os.MkdirAll(dir, 0o755)
			if err == nil {
				temps[i], err = t.writeTemp(dir, c.New)
			}
		}
		if err == nil {
			err = t.keepMode(temps[i], c)
		}
		if err != nil {
			removeAll(temps)
			return nil, fmt.Errorf("writing %s: %w", c.Path, err)
		}
	}
	// The data is on disk before any rename makes it an output.
	if err := syncFiles(temps); err != nil {
		removeAll(temps)
		return nil, fmt.Errorf("writing outputs: %w", err)
	}
	return temps, nil
}

// keepMode gives a staged file the mode its output should have: the
// mode of the file it replaces (a file made 0600 stays so), 0644 for a
// new one, and never more than its owner's for a Private file.
func (t *Tree) keepMode(temp string, c Change) error {
	mode := fs.FileMode(0o644)
	if c.Kind == Stale {
		if fi, err := os.Stat(t.abs(c.Path)); err == nil {
			mode = fi.Mode().Perm()
		}
	}
	if c.Private {
		mode &^= 0o077
	}
	if mode == 0o644 {
		return nil // as writeTemp left it
	}
	return os.Chmod(temp, mode)
}

// tighten takes away what group and others may do with an unchanged
// Private file, written before it named secrets or made by hand. Its
// bytes and mtime stay; a failure leaves the file as it was.
func tighten(name string) {
	if fi, err := os.Stat(name); err == nil && fi.Mode().Perm()&0o077 != 0 {
		os.Chmod(name, fi.Mode().Perm()&^0o077)
	}
}

func removeAll(paths []string) {
	for _, p := range paths {
		if p != "" {
			os.Remove(p)
		}
	}
}

// tempPattern names the temporary files of a write.
const tempPattern = ".portschema-*.tmp"

// writeTemp writes a temporary file next to its destination, so that
// the rename is atomic. It does not sync: stage syncs every staged file
// at once before the first rename (syncing each file as it is written
// costs a disk flush per output, seconds for thousands of them).
func writeTemp(dir string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, tempPattern)
	if err != nil {
		return "", err
	}
	name := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(name, 0o644)
	}
	if err != nil {
		os.Remove(name)
		return "", err
	}
	return name, nil
}

// withManifest checks every path and appends the manifest naming them.
func (t *Tree) withManifest(files []File, checker *pathChecker) ([]File, error) {
	if err := checker.check(ManifestPath); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var paths []string
	for _, f := range files {
		if err := checker.check(f.Path); err != nil {
			return nil, err
		}
		if seen[f.Path] {
			return nil, fmt.Errorf("output %s is produced twice", f.Path)
		}
		seen[f.Path] = true
		paths = append(paths, f.Path)
	}
	if seen[ManifestPath] {
		return nil, fmt.Errorf("output %s is reserved for the manifest", ManifestPath)
	}
	sort.Strings(paths)
	var b strings.Builder
	b.WriteString(Header(HashComment))
	b.WriteString("# The files portschema owns; regen removes those it no longer produces.\n")
	for _, p := range paths {
		b.WriteString(p + "\n")
	}
	return append(files[:len(files):len(files)], File{Path: ManifestPath, Data: []byte(b.String())}), nil
}

// readManifest lists the paths the previous run owned, those check
// accepts.
func (t *Tree) readManifest(check func(rel string) error) ([]string, error) {
	data, err := t.read(ManifestPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		// A hand-edited manifest must not make regen delete files
		// outside the root.
		if check(line) == nil {
			out = append(out, line)
		}
	}
	return out, nil
}

// pathChecker refuses paths that are absolute, leave the root through
// "..", or pass through a symbolic link that leads outside the root. It
// lives for one run (a Plan, or a write from its first staged file to
// its commit, under the lock): it remembers the directories it
// resolved, as thousands of outputs share a few, but not beyond what it
// saw on disk during that run.
type pathChecker struct {
	tree     *Tree
	root     string            // the root with symbolic links resolved
	resolved map[string]string // path -> path with symbolic links resolved
	// perms are the permission bits of the regular files found on the
	// way, by path.
	perms map[string]fs.FileMode
}

// mayBeShared reports whether the output at rel may be readable by
// group or others: false only when the check found it a regular file
// without those bits.
func (c *pathChecker) mayBeShared(rel string) bool {
	perm, ok := c.perms[filepath.Join(c.root, filepath.FromSlash(rel))]
	return !ok || perm&0o077 != 0
}

func (c *pathChecker) check(rel string) error {
	if err := c.start(rel); err != nil {
		return err
	}
	// The file, or its deepest existing ancestor: a symlink anywhere on
	// the way must stay inside the root.
	resolved, err := c.resolve(filepath.Join(c.root, filepath.FromSlash(rel)))
	return c.inside(rel, resolved, err)
}

// checkRegular is check for an output just found to be a regular file
// with the permission bits perm (see Tree.Known): only its directory is
// looked at, the file itself being no link.
func (c *pathChecker) checkRegular(rel string, perm fs.FileMode) error {
	if err := c.start(rel); err != nil {
		return err
	}
	p := filepath.Join(c.root, filepath.FromSlash(rel))
	dir, err := c.resolve(filepath.Dir(p))
	if err == nil {
		c.resolved[p], c.perms[p] = filepath.Join(dir, filepath.Base(p)), perm
	}
	return c.inside(rel, c.resolved[p], err)
}

// start checks rel lexically and finds the root, once.
func (c *pathChecker) start(rel string) error {
	if err := checkLexically(rel); err != nil {
		return err
	}
	if c.root == "" {
		root, err := filepath.Abs(c.tree.Root)
		if err == nil {
			root, err = filepath.EvalSymlinks(root)
		}
		if err != nil {
			return err
		}
		c.root, c.resolved, c.perms = root, map[string]string{root: root}, map[string]fs.FileMode{}
	}
	return nil
}

// inside refuses an output whose path resolved outside the root.
func (c *pathChecker) inside(rel, resolved string, err error) error {
	if err != nil {
		return fmt.Errorf("output path %q: %w", rel, err)
	}
	if resolved != c.root && !strings.HasPrefix(resolved, c.root+string(filepath.Separator)) {
		return fmt.Errorf("output path %q leads outside the project root through a symbolic link (to %s)", rel, resolved)
	}
	return nil
}

// checkLexically refuses the paths that are absolute or leave the root
// through "..", as written: what a path checker refuses before it looks
// at the file system.
func checkLexically(rel string) error {
	if rel == "" || path.IsAbs(rel) || filepath.IsAbs(rel) || strings.Contains(rel, "\\") || path.Clean(rel) != rel {
		return fmt.Errorf("output path %q must be a clean relative path inside the project root", rel)
	}
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return fmt.Errorf("output path %q leaves the project root", rel)
	}
	return nil
}

// resolve evaluates the symbolic links of p, or of its deepest existing
// ancestor if p does not exist. A file where a directory should be
// (ENOTDIR) counts as not existing: the write reports it, with the path
// it blocks.
func (c *pathChecker) resolve(p string) (string, error) {
	if r, ok := c.resolved[p]; ok {
		return r, nil
	}
	fi, err := os.Lstat(p)
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		var target string
		if target, err = filepath.EvalSymlinks(p); err == nil {
			c.resolved[p] = target
			return target, nil
		}
	}
	switch {
	case err == nil:
		if fi.Mode().IsRegular() {
			c.perms[p] = fi.Mode().Perm()
		}
		parent, err := c.resolve(filepath.Dir(p))
		if err != nil {
			return "", err
		}
		r := filepath.Join(parent, filepath.Base(p))
		c.resolved[p] = r
		return r, nil
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		parent := filepath.Dir(p)
		if parent == p {
			return p, nil
		}
		return c.resolve(parent)
	}
	return "", err
}

// found is an output as a write read it while staging: its contents,
// or err, fs.ErrNotExist for a file that was not there.
type found struct {
	data []byte
	err  error
	// sum is data's sum where a record vouched for it (see Known).
	sum string
}

// readFound is read, taking the output from found (which may be nil)
// if it is there, or generated itself if the output is known to hold
// it (see Known); sum is the record's sum of what it returns, where a
// record vouched for it.
func (t *Tree) readFound(rel string, found map[string]found, generated []byte) (data []byte, sum string, err error) {
	if f, ok := found[rel]; ok {
		return f.data, f.sum, f.err
	}
	if rel != ManifestPath {
		if sum, _, ok := t.knownToHold(rel, generated); ok {
			return generated, sum, nil
		}
	}
	data, err = t.read(rel)
	return data, "", err
}

func (t *Tree) abs(rel string) string { return filepath.Join(t.Root, filepath.FromSlash(rel)) }

// read reads an output as it is on disk: a regular file, bounded, so a
// FIFO or a device at an output path is an error rather than a hang.
// The manifest is the tool's own file and is not read through a
// symbolic link.
// Errors name the path relative to the root, as the user knows it.
func (t *Tree) read(rel string) ([]byte, error) {
	read := readfile.Regular
	if rel == ManifestPath {
		read = readfile.NoFollow
	}
	data, err := read(t.abs(rel))
	var pe *fs.PathError
	if errors.As(err, &pe) {
		pe.Path = rel
	}
	return data, err
}
