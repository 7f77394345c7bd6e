//go:build !unix

package readfile

import "os"

// open opens name for reading after checking that it is a regular file
// (a FIFO could block the open itself); with noFollow a final symbolic
// link is refused.
func open(name string, noFollow bool) (*os.File, error) {
	stat := os.Stat
	if noFollow {
		stat = os.Lstat
	}
	fi, err := stat(name)
	if err != nil {
		return nil, err
	}
	if fi.Mode()&os.ModeSymlink != 0 {
		return nil, &os.PathError{Op: "open", Path: name, Err: errSymlink}
	}
	if !fi.Mode().IsRegular() {
		return nil, &os.PathError{Op: "read", Path: name, Err: notRegular(fi.Mode())}
	}
	return os.Open(name)
}
