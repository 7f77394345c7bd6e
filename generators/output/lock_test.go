package output

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/lockedfile"
)

// TestAWaitingWriteSaysSo: a write that finds the lock held tells its
// caller it waits, then writes once the lock is released.
func TestAWaitingWriteSaysSo(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "out"), 0o755)
	held, err := lockedfile.OpenFile(filepath.Join(root, LockPath), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	told := make(chan string, 1)
	tree := NewTree(root)
	tree.Waiting = func(lock string) { told <- lock }
	done := make(chan error, 1)
	go func() {
		_, err := tree.Write([]File{gen("out/a.yml", "a: 1\n")})
		done <- err
	}()
	select {
	case lock := <-told:
		if lock != LockPath {
			t.Errorf("told of %q, want %q", lock, LockPath)
		}
	case err := <-done:
		t.Fatalf("the write did not wait for the lock (err %v)", err)
	case <-time.After(10 * time.Second):
		t.Fatal("the waiting write says nothing")
	}
	held.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestTheLockStaysInsideTheRoot: a lock file that is a symbolic link,
// or an out/ that leads outside the root, is refused before anything is
// created there.
func TestTheLockStaysInsideTheRoot(t *testing.T) {
	outside := t.TempDir()
	target := filepath.Join(outside, "created-by-lock")

	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "out"), 0o755)
	if err := os.Symlink(target, filepath.Join(root, LockPath)); err != nil {
		t.Skip(err)
	}
	_, err := NewTree(root).Write([]File{gen("out/a.yml", "a: 1\n")})
	if err == nil || !strings.Contains(err.Error(), LockPath) {
		t.Errorf("a lock through a symbolic link: err = %v", err)
	}

	root = t.TempDir()
	os.Symlink(outside, filepath.Join(root, "out"))
	_, err = NewTree(root).Write([]File{gen("out/a.yml", "a: 1\n")})
	if err == nil || !strings.Contains(err.Error(), "outside the project root") {
		t.Errorf("out/ leading outside: err = %v", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("files were created outside the root: %v", entries)
	}
}
