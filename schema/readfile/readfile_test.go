//go:build unix

package readfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
)

func TestRegularReadsAFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f")
	os.WriteFile(name, []byte("hello"), 0o644)
	data, err := Regular(name)
	if err != nil || string(data) != "hello" {
		t.Fatalf("Regular = %q, %v", data, err)
	}
}

// A file that grew, or shrank, since it was measured is read whole.
func TestReadAllPastTheSizeItStartsWith(t *testing.T) {
	text := strings.Repeat("0123456789", 1000)
	for _, size := range []int64{0, 1, 9999, 10000, 10001, 20000} {
		data, err := readAll(iotest.OneByteReader(strings.NewReader(text)), size)
		if err != nil || string(data) != text {
			t.Errorf("size %d: got %d bytes, %v", size, len(data), err)
		}
	}
}

func TestRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for _, tc := range []struct{ path, kind string }{
		{fifo, "a FIFO"},
		{"/dev/zero", "a device"},
		{dir, "a directory"},
	} {
		done := make(chan error, 1)
		go func() { _, err := Regular(tc.path); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), tc.kind) || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("Regular(%s) = %v, want not a regular file (%s) naming the path", tc.path, err, tc.kind)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Regular(%s) hangs", tc.path)
		}
	}
}

func TestRefusesALargeFile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "big")
	os.WriteFile(name, make([]byte, 2<<20+1), 0o644)
	_, err := Limited(name, 2<<20)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "larger than 2 MB") {
		t.Fatalf("Limited = %v, want larger than 2 MB", err)
	}
	if _, err := Limited(name, 3<<20); err != nil {
		t.Fatalf("a file under the limit: %v", err)
	}
}

func TestNoFollowRefusesASymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	os.WriteFile(target, []byte("x"), 0o644)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Skip(err)
	}
	if _, err := NoFollow(link); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("NoFollow(link) = %v, want a refusal", err)
	}
	if data, err := Regular(link); err != nil || string(data) != "x" {
		t.Fatalf("Regular(link) = %q, %v", data, err)
	}
}
