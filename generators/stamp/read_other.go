//go:build !unix

package stamp

import (
	"io"
	"os"
)

// readRegular reads a regular file, not through a final symbolic link,
// into buf; a file that does not fit is a failure. It takes no
// fingerprint.
func readRegular(name string, buf []byte) ([]byte, Fingerprint, bool) {
	fi, err := os.Lstat(name)
	if err != nil || !fi.Mode().IsRegular() {
		return nil, Fingerprint{}, false
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, Fingerprint{}, false
	}
	defer f.Close()
	n, err := io.ReadFull(f, buf)
	if err != io.ErrUnexpectedEOF && err != io.EOF && err != nil {
		return nil, Fingerprint{}, false
	}
	return buf[:n], Fingerprint{}, true
}
