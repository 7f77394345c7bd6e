//go:build unix

package readfile

import (
	"os"
	"syscall"
)

// open opens name for reading without blocking: opening a FIFO with no
// writer returns at once, and read then refuses it as not regular. With
// noFollow a final symbolic link fails the open (ELOOP).
func open(name string, noFollow bool) (*os.File, error) {
	flag := os.O_RDONLY | syscall.O_NONBLOCK
	if noFollow {
		flag |= syscall.O_NOFOLLOW
	}
	f, err := os.OpenFile(name, flag, 0)
	if err != nil {
		if noFollow && isLoop(err) {
			return nil, &os.PathError{Op: "open", Path: name, Err: errSymlink}
		}
		return nil, err
	}
	return f, nil
}

func isLoop(err error) bool {
	pe, ok := err.(*os.PathError)
	return ok && pe.Err == syscall.ELOOP
}
