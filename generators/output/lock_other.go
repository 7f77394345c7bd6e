//go:build !unix

package output

// noFollow is not available here; the path check before the open still
// keeps the lock inside the root.
const noFollow = 0

func lockError(err error) error { return err }
