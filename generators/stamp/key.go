package stamp

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/binary"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// CacheEnv names the variable that says where stamps are kept;
// CacheOff as its value turns them off.
const (
	CacheEnv = "PORTSCHEMA_CACHE"
	CacheOff = "off"
)

// Path is where the stamp of a project root is kept, or "" when
// stamps are off or there is no cache directory.
func Path(absRoot string) string {
	dir := os.Getenv(CacheEnv)
	if dir == CacheOff {
		return ""
	}
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(base, "portschema")
	}
	sum := sha256.Sum256([]byte(absRoot))
	return filepath.Join(dir, "check-"+hex.EncodeToString(sum[:12]))
}

// Key combines what the outputs are a function of. It is "" when
// one part is unknown, and then matches nothing.
func Key(absRoot, sourceDigest, tool string) string {
	if sourceDigest == "" || tool == "" {
		return ""
	}
	h := sha256.New()
	for _, part := range []string{"portschema check 1", tool, absRoot, sourceDigest} {
		h.Write(binary.AppendUvarint(nil, uint64(len(part))))
		h.Write([]byte(part))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeAtomic replaces a file through a rename, so that a reader
// never sees half a stamp; errors are dropped with the stamp.
func writeAtomic(name string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".stamp-*")
	if err != nil {
		return
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
}

// ToolIdentity names the running binary: its Go build ID, which the
// linker derives from the binary's contents (so `go run` of the same
// code gives the same one, and any change in code, dependencies,
// embedded definitions or templates gives another), or, for a binary
// built without one, a hash of the whole file. "" if neither is known.
func ToolIdentity() string {
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
