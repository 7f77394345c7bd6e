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
	var f Fingerprint
	if s == "-" {
		return f, nil
	}
	parts := strings.Split(s, ":")
	if len(parts) != 6 {
		return f, fmt.Errorf("stamp: bad fingerprint %q", s)
	}
	var err error
	uint := func(s string, bits int) uint64 {
		n, e := strconv.ParseUint(s, 10, bits)
		if e != nil {
			err = e
		}
		return n
	}
	int := func(s string) int64 {
		n, e := strconv.ParseInt(s, 10, 64)
		if e != nil {
			err = e
		}
		return n
	}
	f = Fingerprint{Dev: uint(parts[0], 64), Ino: uint(parts[1], 64), Mode: uint32(uint(parts[2], 32)),
		Size: int(parts[3]), Mtime: int(parts[4]), Ctime: int(parts[5])}
	if err != nil || !f.Known() {
		return Fingerprint{}, fmt.Errorf("stamp: bad fingerprint %q", s)
	}
	return f, nil
}
