package stamp

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"path/filepath"

	"portschema/schema/memo"
)

// CacheEnv names the variable that says where stamps are kept;
// CacheOff as its value turns them off. The memo shares both.
const (
	CacheEnv = memo.CacheEnv
	CacheOff = memo.CacheOff
)

// Path is where the stamp of a project root is kept, or "" when
// stamps are off or there is no cache directory.
func Path(absRoot string) string {
	dir := memo.Dir()
	if dir == "" {
		return ""
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

// ToolIdentity names the running binary (see memo.ToolIdentity).
func ToolIdentity() string { return memo.ToolIdentity() }
