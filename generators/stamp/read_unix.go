//go:build unix

package stamp

import "syscall"

// readRegular reads a file into buf in one call, as a check of a
// changed tree does for thousands of files: a few system calls each,
// none of the os package's bookkeeping. It fails for a symbolic link
// (O_NOFOLLOW), never blocks on a FIFO (O_NONBLOCK), and fails for a
// directory (EISDIR). A short read is a failure too; the caller then
// takes the slow, certain path. The fingerprint is the open file's,
// taken before it is read (unknown where fingerprints are not kept):
// any write after it changes the file's ctime.
func readRegular(name string, buf []byte) ([]byte, Fingerprint, bool) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, Fingerprint{}, false
	}
	defer syscall.Close(fd)
	fp, _ := fstat(fd)
	var n int
	for {
		n, err = syscall.Read(fd, buf)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil || n < 0 {
		return nil, Fingerprint{}, false
	}
	if n == 0 {
		// An empty file, or a FIFO with no writer: only the first is one.
		var st syscall.Stat_t
		if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG {
			return nil, Fingerprint{}, false
		}
	}
	return buf[:n], fp, true
}
