package memo

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Entries are content-addressed, so every edit of a source leaves new
// ones behind; the store is kept small as Go's build cache is: an entry
// a run uses has its modification time refreshed (at most once an
// hour), and once a day a run that writes removes the entries nobody
// used for five days.
const (
	refreshAfter = time.Hour
	trimEvery    = 24 * time.Hour
	unusedFor    = 5 * 24 * time.Hour
)

// trimFile records when the store was last trimmed.
const trimFile = "trimmed"

// used refreshes the time of an entry a run took, last modified then.
func (s Store) used(name string, modified time.Time) {
	if now := time.Now(); now.Sub(modified) > refreshAfter {
		os.Chtimes(name, now, now)
	}
}

// trim removes the entries unused for unusedFor, if the last trim is
// trimEvery old. Errors only leave entries behind.
func (s Store) trim(now time.Time) {
	mark := filepath.Join(s.dir, trimFile)
	if fi, err := os.Stat(mark); err == nil && now.Sub(fi.ModTime()) < trimEvery {
		return
	}
	if err := os.WriteFile(mark, nil, 0o644); err != nil {
		return
	}
	os.Chtimes(mark, now, now)
	filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == trimFile {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		// Temporary files of a write that died are as good as unused.
		if now.Sub(fi.ModTime()) > unusedFor || (strings.HasPrefix(d.Name(), ".entry-") && now.Sub(fi.ModTime()) > time.Hour) {
			os.Remove(path)
		}
		return nil
	})
}
