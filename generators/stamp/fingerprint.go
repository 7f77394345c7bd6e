package stamp

import (
	"fmt"
	"strconv"
	"strings"
)

// A Fingerprint is what the file system says of a file without reading
// it: which file it is (device, inode), its type and mode, its size,
// and when its bytes (mtime) and its inode (ctime) last changed, in
// nanoseconds. A stamp keeps the fingerprint a file had when the stamp
// read it, so that a later check whose file still has that fingerprint
// can take the recorded hash instead of reading the file again, as git
// does with its index.
//
// Writing a file always sets its ctime to the current time, which no
// program can set back, so any write after the stamp read the file
// gives another fingerprint: unless it falls in the same tick of the
// file system's clock as the change the stamp saw. A fingerprint is
// therefore only trusted when both times are strictly older than the
// stamp's own start (Stamp.Since, read from the same clock): a file
// changed in that tick is read again by every check (git's rule for
// "racily clean" entries).
//
// The zero Fingerprint is unknown and matches nothing: on systems where
// the fields are not known, every file is read.
type Fingerprint struct {
	Dev, Ino     uint64
	Mode         uint32
	Size         int64
	Mtime, Ctime int64
}

// Known reports whether f was taken from a file: every file has a type
// in its mode.
func (f Fingerprint) Known() bool { return f.Mode != 0 }

// TrustedBefore reports whether f can stand for the file's bytes in a
// stamp that started at since: it is known, and neither time is in the
// tick the stamp started in, or later.
func (f Fingerprint) TrustedBefore(since int64) bool {
	return f.Known() && f.Mtime < since && f.Ctime < since
}

// String is the fingerprint as a stamp writes it: its six numbers
// joined by colons, or "-" when unknown.
func (f Fingerprint) String() string {
	if !f.Known() {
		return "-"
	}
	return fmt.Sprintf("%d:%d:%d:%d:%d:%d", f.Dev, f.Ino, f.Mode, f.Size, f.Mtime, f.Ctime)
}

// parseFingerprint reads what String wrote.
func parseFingerprint(s string) (Fingerprint, error) {
	if s == "-" {
		return Fingerprint{}, nil
	}
	bad := badFingerprint(s)
	var n [6]uint64 // device, inode and mode
	var t [6]int64  // size and times, which may be negative for times
	rest := s
	for i := range n {
		field, next, found := strings.Cut(rest, ":")
		if found == (i == len(n)-1) {
			return Fingerprint{}, bad
		}
		var err error
		if i < 3 {
			n[i], err = strconv.ParseUint(field, 10, 64)
		} else {
			t[i], err = strconv.ParseInt(field, 10, 64)
		}
		if err != nil {
			return Fingerprint{}, bad
		}
		rest = next
	}
	f := Fingerprint{Dev: n[0], Ino: n[1], Mode: uint32(n[2]), Size: t[3], Mtime: t[4], Ctime: t[5]}
	if n[2] > 1<<32-1 || !f.Known() {
		return Fingerprint{}, bad
	}
	return f, nil
}

// badFingerprint is the error for what is not a fingerprint.
type badFingerprint string

func (s badFingerprint) Error() string { return fmt.Sprintf("stamp: bad fingerprint %q", string(s)) }
