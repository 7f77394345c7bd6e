package output

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// syncFiles makes the written files durable with one syncfs per
// directory they are in (usually one file system, so the first call
// does the work): one flush for all of them instead of one each.
func syncFiles(paths []string) error {
	done := map[string]bool{}
	for _, p := range paths {
		dir := filepath.Dir(p)
		if p == "" || done[dir] {
			continue
		}
		done[dir] = true
		d, err := os.Open(dir)
		if err != nil {
			return err
		}
		err = unix.Syncfs(int(d.Fd()))
		d.Close()
		if err != nil {
			return &os.PathError{Op: "syncfs", Path: dir, Err: err}
		}
	}
	return nil
}
