package output

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rogpeppe/go-internal/lockedfile"
)

// waitNotice is how long a run waits for the lock before it says so.
const waitNotice = 500 * time.Millisecond

// Lock takes the root's lock, as a write does (see lock), for a run
// that must see the outputs as no write is changing them.
func (t *Tree) Lock() (unlock func(), err error) { return t.lock() }

// lock takes the root's lock, LockPath. The lock file is the tool's
// own: its directory must lie inside the root (out/ may not be a
// symbolic link leading elsewhere) and the file is opened without
// following a symbolic link, so the lock never creates or truncates a
// file outside the root. If another run holds it for long, t.Waiting
// is told, once.
func (t *Tree) lock() (unlock func(), err error) {
	if err := (&pathChecker{tree: t}).check(LockPath); err != nil {
		return nil, fmt.Errorf("locking %s: %w", LockPath, err)
	}
	name := filepath.Join(t.Root, filepath.FromSlash(LockPath))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return nil, err
	}
	type result struct {
		f   *lockedfile.File
		err error
	}
	done := make(chan result, 1)
	go func() {
		f, err := lockedfile.OpenFile(name, os.O_RDWR|os.O_CREATE|noFollow, 0o644)
		done <- result{f, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(waitNotice):
		if t.Waiting != nil {
			t.Waiting(LockPath)
		}
		r = <-done
	}
	if r.err != nil {
		return nil, fmt.Errorf("locking %s: %w", LockPath, lockError(r.err))
	}
	return func() { r.f.Close() }, nil
}
