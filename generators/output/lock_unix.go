//go:build unix

package output

import (
	"errors"
	"syscall"
)

// noFollow makes an open fail on a final symbolic link.
const noFollow = syscall.O_NOFOLLOW

// lockError words the failure to open the lock file through a symbolic
// link.
func lockError(err error) error {
	if errors.Is(err, syscall.ELOOP) {
		return errors.New("it is a symbolic link; portschema does not follow one for its lock: remove it")
	}
	return err
}
