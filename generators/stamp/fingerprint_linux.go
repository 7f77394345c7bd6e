//go:build linux

package stamp

import (
	"path/filepath"

	"golang.org/x/sys/unix"
)

// lstat is the fingerprint of the file at name, not through a final
// symbolic link.
func lstat(name string) (Fingerprint, error) {
	var st unix.Stat_t
	if err := ignoringEINTR(func() error { return unix.Lstat(name, &st) }); err != nil {
		return Fingerprint{}, err
	}
	return fingerprintOf(&st), nil
}

// fstat is the fingerprint of an open file.
func fstat(fd int) (Fingerprint, error) {
	var st unix.Stat_t
	if err := ignoringEINTR(func() error { return unix.Fstat(fd, &st) }); err != nil {
		return Fingerprint{}, err
	}
	return fingerprintOf(&st), nil
}

// A statter takes the fingerprints of many files as lstat does, opening
// the directory of consecutive files in the same one once, so that the
// kernel resolves only the last name of each (a check of an unchanged
// tree is mostly these calls). Close releases the directory.
type statter struct {
	dir  string
	fd   int
	open bool
}

func (s *statter) lstat(name string) (Fingerprint, error) {
	dir, base := filepath.Split(name)
	if !s.open || dir != s.dir {
		s.Close()
		fd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return lstat(name)
		}
		s.dir, s.fd, s.open = dir, fd, true
	}
	var st unix.Stat_t
	if err := ignoringEINTR(func() error { return unix.Fstatat(s.fd, base, &st, unix.AT_SYMLINK_NOFOLLOW) }); err != nil {
		return Fingerprint{}, err
	}
	return fingerprintOf(&st), nil
}

func (s *statter) Close() {
	if s.open {
		unix.Close(s.fd)
	}
	*s = statter{}
}

func ignoringEINTR(call func() error) error {
	for {
		if err := call(); err != unix.EINTR {
			return err
		}
	}
}

func fingerprintOf(st *unix.Stat_t) Fingerprint {
	return Fingerprint{Dev: uint64(st.Dev), Ino: uint64(st.Ino), Mode: uint32(st.Mode), Size: int64(st.Size),
		Mtime: st.Mtim.Nano(), Ctime: st.Ctim.Nano()}
}

// isRegular and isDir read the type in a fingerprint's mode.
func isRegular(f Fingerprint) bool { return f.Mode&unix.S_IFMT == unix.S_IFREG }
func isDir(f Fingerprint) bool     { return f.Mode&unix.S_IFMT == unix.S_IFDIR }
