//go:build linux

package stamp

import "syscall"

// lstat is the fingerprint of the file at name, not through a final
// symbolic link.
func lstat(name string) (Fingerprint, error) {
	var st syscall.Stat_t
	for {
		err := syscall.Lstat(name, &st)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return Fingerprint{}, err
		}
		return fingerprintOf(&st), nil
	}
}

// fstat is the fingerprint of an open file.
func fstat(fd int) (Fingerprint, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return Fingerprint{}, err
	}
	return fingerprintOf(&st), nil
}

func fingerprintOf(st *syscall.Stat_t) Fingerprint {
	return Fingerprint{Dev: uint64(st.Dev), Ino: uint64(st.Ino), Mode: uint32(st.Mode), Size: int64(st.Size),
		Mtime: st.Mtim.Nano(), Ctime: st.Ctim.Nano()}
}

// isRegular and isDir read the type in a fingerprint's mode.
func isRegular(f Fingerprint) bool { return f.Mode&syscall.S_IFMT == syscall.S_IFREG }
func isDir(f Fingerprint) bool     { return f.Mode&syscall.S_IFMT == syscall.S_IFDIR }
