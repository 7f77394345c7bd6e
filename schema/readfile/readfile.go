// Package readfile reads the files portschema is given (the source, the
// hand-written files import and audit read, the outputs it compares)
// with the two guards a path named by a user needs: it refuses what is
// not a regular file, so a FIFO cannot make a run hang and /dev/zero
// cannot make it grow until the kernel kills it, and it refuses a file
// larger than a limit, with an error that says so.
package readfile

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxBytes is the largest file read: well above any legitimate source,
// compose file (a 20,000-service compose file is about 2.3 MB) or
// generated output, and far below what would exhaust memory.
const MaxBytes = 256 << 20

// ErrNotRegular is wrapped by the error for a path that names a FIFO, a
// device, a socket or a directory.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by the error for a file larger than the limit.
var ErrTooLarge = errors.New("file too large")

// Regular reads the regular file at name, following symbolic links, up
// to MaxBytes. Errors name the path.
func Regular(name string) ([]byte, error) {
	return read(name, false, MaxBytes)
}

// NoFollow reads the regular file at name as Regular does, but fails if
// name itself is a symbolic link: for files the tool owns, whose path
// must not be redirected.
func NoFollow(name string) ([]byte, error) {
	return read(name, true, MaxBytes)
}

// Limited is Regular with a limit of max bytes.
func Limited(name string, max int64) ([]byte, error) {
	return read(name, false, max)
}

func read(name string, noFollow bool, max int64) ([]byte, error) {
	f, err := open(name, noFollow)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &os.PathError{Op: "read", Path: name, Err: notRegular(fi.Mode())}
	}
	if fi.Size() > max {
		return nil, &os.PathError{Op: "read", Path: name, Err: tooLarge(max)}
	}
	// The file may grow while it is read: never read past the limit.
	// The buffer starts at the size the file has, as os.ReadFile's does,
	// one byte more to see the end without growing it.
	data, err := readAll(io.LimitReader(f, max+1), fi.Size()+1)
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, &os.PathError{Op: "read", Path: name, Err: tooLarge(max)}
	}
	return data, nil
}

// notRegular says what the path is instead of a regular file.
func notRegular(m os.FileMode) error {
	kind := "a special file"
	switch {
	case m.IsDir():
		kind = "a directory"
	case m&os.ModeNamedPipe != 0:
		kind = "a FIFO"
	case m&os.ModeDevice != 0:
		kind = "a device"
	case m&os.ModeSocket != 0:
		kind = "a socket"
	}
	return fmt.Errorf("%w (it is %s)", ErrNotRegular, kind)
}

func tooLarge(max int64) error {
	return fmt.Errorf("%w: larger than %s", ErrTooLarge, size(max))
}

// size renders a limit in the unit a person reads it in.
func size(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// errSymlink is the error for a symbolic link where NoFollow reads.
var errSymlink = errors.New("a symbolic link, which portschema does not follow here")

// readAll is io.ReadAll with a buffer of size bytes to start with.
func readAll(r io.Reader, size int64) ([]byte, error) {
	data := make([]byte, 0, size)
	for {
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return data, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}
