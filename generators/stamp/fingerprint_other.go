//go:build !linux

package stamp

import (
	"errors"
	"os"
)

// Elsewhere than Linux the stamp takes no fingerprints (the fields and
// their clocks differ from system to system) and every check reads
// every file.

var errNoFingerprint = errors.New("no fingerprints on this system")

// lstat reports whether name exists, with an unknown fingerprint.
func lstat(name string) (Fingerprint, error) {
	_, err := os.Lstat(name)
	if err == nil {
		err = errNoFingerprint
	}
	return Fingerprint{}, err
}

func fstat(int) (Fingerprint, error) { return Fingerprint{}, errNoFingerprint }

func isRegular(Fingerprint) bool { return false }
func isDir(Fingerprint) bool     { return false }

// A statter takes fingerprints as lstat does.
type statter struct{}

func (*statter) lstat(name string) (Fingerprint, error) { return lstat(name) }
func (*statter) Close()                                 {}
