// Package stamp is the check stamp: what lets `portschema check` on an
// unchanged tree answer without evaluating the source. regen, and every
// check that finds the tree up to date, record what they generated
// under a key made of the source's digest, the definitions, the project
// root and the tool's own identity. A later check that computes the same
// key and finds every output (and every other input) with the recorded
// bytes is done; anything else falls back to the full check.
//
// Reading every output would cost a check of 10,000 services more than
// everything else it does, so a stamp also keeps each file's
// fingerprint (see Fingerprint) and takes an unchanged one for the
// recorded bytes, as git takes its index's word for unchanged files.
//
// Stamps live in the user's cache directory, not in out/: the key names
// the binary, which differs between machines, and everything in out/
// must be the same bytes wherever it is generated.
package stamp

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

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
// caller falls back to the full check. Files whose fingerprint is the
// one recorded, and trusted (see Fingerprint), are not read again.
type Stamp struct {
	Key string
	// Since is the time, on the file system's clock, at which the stamp
	// started taking fingerprints; 0 trusts none.
	Since int64
	// Outputs are the generated files, the manifest included.
	Outputs []File
	// Inputs are files other than the source that the run read (alert
	// rule files), relative to the root; the key covers the source.
	Inputs []File
	// Sources are the files of the source (schema.SourceDir/NAME), in
	// the order the digest takes them, and SourceDir the fingerprint of
	// their directory: while it holds, no file was added, removed or
	// renamed there.
	Sources   []File
	SourceDir Fingerprint
	// Dirs are the directories below out/ and those the outputs and
	// inputs lie in, with their fingerprints (unknown for one that was
	// absent). While they hold, no entry appeared or went in out/ since
	// a run found no stray there; a stamp without them has the tree
	// walked.
	Dirs []Dir
}

// File is one file of a stamp.
type File struct {
	Path string
	// Sum is the hex SHA-256 of the file's bytes; "" means the file was
	// absent (a local output a fresh clone lacks, an input not there).
	Sum string
	// Size is the file's length, so that it is read in one call.
	Size int
	// Stat is the file's fingerprint when it had these bytes, if known.
	Stat Fingerprint
}

// Dir is one directory of a stamp.
type Dir struct {
	Path string
	Stat Fingerprint
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
			s.Outputs = append(s.Outputs, File{Path: c.Path, Sum: c.SumOfNew(), Size: len(c.New)})
		}
	}
	return s
}

const stampMagic = "portschema stamp 2"

// MarshalText writes the stamp one item a line: "since <ns>", "srcdir
// <fingerprint>", then "<tag> <sum> <size> <fingerprint> <path>" for
// each file (tag out, in or src; "- 0" for an absent file, "-" for an
// unknown fingerprint) and "dir <fingerprint> <path>" for each
// directory.
func (s Stamp) MarshalText() ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nkey %s\nsince %d\nsrcdir %s\n", stampMagic, s.Key, s.Since, s.SourceDir)
	for _, group := range []struct {
		tag   string
		files []File
	}{{"out", s.Outputs}, {"in", s.Inputs}, {"src", s.Sources}} {
		for _, f := range group.files {
			if strings.ContainsAny(f.Path, "\n\r") {
				return nil, fmt.Errorf("stamp: path %q has a line break", f.Path)
			}
			sum := f.Sum
			if sum == "" {
				sum = "-"
			}
			fmt.Fprintf(&b, "%s %s %d %s %s\n", group.tag, sum, f.Size, f.Stat, f.Path)
		}
	}
	for _, d := range s.Dirs {
		if strings.ContainsAny(d.Path, "\n\r") {
			return nil, fmt.Errorf("stamp: path %q has a line break", d.Path)
		}
		fmt.Fprintf(&b, "dir %s %s\n", d.Stat, d.Path)
	}
	return b.Bytes(), nil
}

// UnmarshalText reads what MarshalText wrote; anything else is an error.
func (s *Stamp) UnmarshalText(data []byte) error {
	*s = Stamp{}
	text := string(data)
	line := func() (string, bool) {
		l, rest, ok := strings.Cut(text, "\n")
		text = rest
		return l, ok
	}
	head := [4]string{}
	for i := range head {
		l, ok := line()
		if !ok {
			return errors.New("stamp: not a stamp of this version")
		}
		head[i] = l
	}
	var err error
	key, okKey := strings.CutPrefix(head[1], "key ")
	since, okSince := strings.CutPrefix(head[2], "since ")
	srcdir, okDir := strings.CutPrefix(head[3], "srcdir ")
	if head[0] != stampMagic || !okKey || !okSince || !okDir {
		return errors.New("stamp: not a stamp of this version")
	}
	s.Key = key
	if s.Since, err = strconv.ParseInt(since, 10, 64); err != nil {
		return fmt.Errorf("stamp: bad time %q", since)
	}
	if s.SourceDir, err = parseFingerprint(srcdir); err != nil {
		return err
	}
	lines := strings.Count(text, "\n")
	s.Outputs = make([]File, 0, lines)
	for text != "" {
		l, ok := line()
		if !ok {
			return errors.New("stamp: truncated")
		}
		if err := s.parseLine(l); err != nil {
			return err
		}
	}
	return nil
}

// badLine is the error for a line that is not a stamp's.
type badLine string

func (l badLine) Error() string { return fmt.Sprintf("stamp: bad line %q", string(l)) }

// parseLine reads one file or directory line into s.
func (s *Stamp) parseLine(l string) error {
	bad := badLine(l)
	if rest, ok := strings.CutPrefix(l, "dir "); ok {
		fp, p, ok := strings.Cut(rest, " ")
		stat, err := parseFingerprint(fp)
		if !ok || p == "" || err != nil {
			return bad
		}
		s.Dirs = append(s.Dirs, Dir{Path: p, Stat: stat})
		return nil
	}
	var fields [4]string
	rest := l
	for i := range fields {
		var ok bool
		if fields[i], rest, ok = strings.Cut(rest, " "); !ok {
			return bad
		}
	}
	tag, sum, p := fields[0], fields[1], rest
	size, err := strconv.Atoi(fields[2])
	if err != nil || size < 0 || p == "" {
		return bad
	}
	stat, err := parseFingerprint(fields[3])
	if err != nil {
		return bad
	}
	if sum == "-" {
		sum = ""
	}
	f := File{Path: p, Sum: sum, Size: size, Stat: stat}
	switch tag {
	case "out":
		s.Outputs = append(s.Outputs, f)
	case "in":
		s.Inputs = append(s.Inputs, f)
	case "src":
		s.Sources = append(s.Sources, f)
	default:
		return bad
	}
	return nil
}
