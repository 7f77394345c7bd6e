package memo

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"io"
	"os"
	"runtime"
	"sync"
)

// ToolIdentity names the running binary: its Go build ID, which the
// linker derives from the binary's contents (so `go run` of the same
// code gives the same one, and any change in code, dependencies,
// embedded definitions or templates gives another), or, for a binary
// built without one, a hash of the whole file. "" if neither is known.
// It is read once per process.
var ToolIdentity = sync.OnceValue(toolIdentity)

func toolIdentity() string {
	exe := "/proc/self/exe" // the running file, even if replaced since
	if runtime.GOOS != "linux" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return ""
		}
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	if id := elfBuildID(f); id != "" {
		return "buildid " + id
	}
	head := make([]byte, 64<<10)
	n, _ := f.ReadAt(head, 0)
	if id := rawBuildID(head[:n]); id != "" {
		return "buildid " + id
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, 1<<62)); err != nil {
		return ""
	}
	return "sha256 " + hex.EncodeToString(h.Sum(nil))
}

// elfBuildID reads the build ID note the Go linker writes into ELF
// binaries.
func elfBuildID(r io.ReaderAt) string {
	ef, err := elf.NewFile(r)
	if err != nil {
		return ""
	}
	sec := ef.Section(".note.go.buildid")
	if sec == nil {
		return ""
	}
	note, err := sec.Data()
	if err != nil || len(note) < 16 {
		return ""
	}
	// namesz, descsz, type, then the name "Go\x00\x00" and the ID.
	order := ef.ByteOrder
	namesz, descsz := order.Uint32(note), order.Uint32(note[4:])
	if namesz != 4 || string(note[12:16]) != "Go\x00\x00" || uint64(len(note)) < 16+uint64(descsz) {
		return ""
	}
	return string(note[16 : 16+descsz])
}

// rawBuildID finds the build ID the Go linker writes near the start of
// the text of non-ELF binaries.
func rawBuildID(head []byte) string {
	const prefix, suffix = "\xff Go build ID: \"", "\"\n \xff"
	i := bytes.Index(head, []byte(prefix))
	if i < 0 {
		return ""
	}
	rest := head[i+len(prefix):]
	j := bytes.Index(rest, []byte(suffix))
	if j <= 0 {
		return ""
	}
	return string(rest[:j])
}
