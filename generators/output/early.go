package output

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// writer is a write of the tree in progress. It holds the root's lock
// from begin to close, so files can be staged (written to their
// temporary files) while the rest are still being generated: creating
// thousands of files is mostly the file system's work, which then runs
// beside the generators' instead of after it. commit decides, exactly
// as Write does, what is written; staging early only saves it work.
type writer struct {
	tree   *Tree
	unlock func()

	queue   chan []File
	mu      sync.Mutex // guards stopped and the closing of queue
	stopped bool
	done    chan struct{}
	// early are the files staged so far, by path; found are the
	// outputs read to decide it, by path, and checker the path checks
	// made then. Only the staging goroutine uses them until done is
	// closed; commit then takes them over.
	early   map[string]staged
	found   map[string]found
	checker *pathChecker
}

// staged is a temporary file holding the new contents of an output.
type staged struct {
	temp string
	data []byte
}

// begin locks the root for a write. The caller must close the writer.
func (t *Tree) begin() (*writer, error) {
	unlock, err := t.lock()
	if err != nil {
		return nil, err
	}
	w := &writer{tree: t, unlock: unlock, queue: make(chan []File, 16), done: make(chan struct{}),
		early: map[string]staged{}, found: map[string]found{}, checker: &pathChecker{tree: t}}
	go w.stageQueued()
	return w, nil
}

// stage hands over files whose contents are final, to be staged in the
// background. It may be called from several goroutines; once commit or
// close has begun, it does nothing.
func (w *writer) stage(files []File) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.stopped {
		w.queue <- files
	}
}

// stageQueued stages what stage hands over, one file after another (the
// file system serialises creates in a directory anyway). It only stages
// files commit would write: a path that passes the checks, whose file
// is missing or generated and different. Anything it cannot do it
// leaves to commit, which reports it.
func (w *writer) stageQueued() {
	defer close(w.done)
	for files := range w.queue {
		var batch []string
		for _, f := range files {
			if f.Path == ManifestPath || checkLexically(f.Path) != nil {
				continue
			}
			if _, dup := w.found[f.Path]; dup {
				continue
			}
			if sum, perm, ok := w.tree.knownToHold(f.Path, f.Data); ok && w.checker.checkRegular(f.Path, perm) == nil {
				w.found[f.Path] = found{data: f.Data, sum: sum} // unchanged, not read
				continue
			}
			if w.checker.check(f.Path) != nil {
				continue
			}
			old, err := w.tree.read(f.Path)
			missing := errors.Is(err, fs.ErrNotExist)
			if err == nil || missing {
				w.found[f.Path] = found{data: old, err: err}
			}
			if !missing && (err != nil || !HasHeader(old) || bytes.Equal(old, f.Data)) {
				continue
			}
			dir := filepath.Dir(w.tree.abs(f.Path))
			if os.MkdirAll(dir, 0o755) != nil {
				continue
			}
			if temp, err := w.tree.writeTemp(dir, f.Data); err == nil {
				w.early[f.Path] = staged{temp: temp, data: f.Data}
				batch = append(batch, temp)
			}
		}
		// Flushing them to disk now, while generators still run, leaves
		// commit's sync little to wait for. commit syncs every file it
		// renames again, so a failure here changes nothing.
		syncFiles(batch)
	}
}

// finishStaging stops the staging goroutine and waits for it.
func (w *writer) finishStaging() {
	w.mu.Lock()
	if !w.stopped {
		w.stopped = true
		close(w.queue)
	}
	w.mu.Unlock()
	<-w.done
}

// commit makes the disk match files, as Write does, taking the files
// staged early where their contents are what is written, and comparing
// with the outputs as staging read them: each output is read once in a
// run.
func (w *writer) commit(files []File) ([]Change, error) {
	w.finishStaging()
	return w.tree.commit(files, w.early, w.checker, w.found)
}

// close removes the files staged early that commit did not use (all of
// them, without a commit) and releases the lock.
func (w *writer) close() {
	w.finishStaging()
	for path, s := range w.early {
		os.Remove(s.temp)
		delete(w.early, path)
	}
	w.unlock()
}
