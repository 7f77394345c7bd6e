// Package memo keeps the results of pure, costly steps of a run (what a
// part of the source evaluated to, compose-go's verdict on a compose
// document) in the user's cache directory, beside the check stamps,
// under a key made of exactly the bytes the step read and the identity
// of the binary that ran it. A later run that would read the same bytes
// with the same binary takes the result instead of doing the work, so
// that a changed service costs the evaluation of its own part only.
//
// A value is sealed with a key derived from the bytes the step read,
// which is not written anywhere: what a source evaluated to, secrets it
// holds included, can only be read back by a run that holds the same
// source.
//
// An entry is only ever a shortcut: one that is missing, unreadable,
// truncated, corrupt, written for another key or by another binary is
// a miss, and the step runs as if there were no cache. Entries are
// written through a rename, so concurrent runs see a whole entry or
// none, and never replace one with different bytes (the same key means
// the same result).
package memo

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"os"
	"path/filepath"
	"time"
)

// CacheEnv names the variable that says where the cache is kept;
// CacheOff as its value turns it off. The check stamps share both.
const (
	CacheEnv = "PORTSCHEMA_CACHE"
	CacheOff = "off"
)

// Dir is the cache directory: $PORTSCHEMA_CACHE, or portschema in the
// user's cache directory; "" when the cache is off or there is none.
func Dir() string {
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
	return dir
}

// A Store holds the entries of one binary in one directory. The zero
// Store (or one without a tool) keeps nothing: every Get misses and
// every Put is dropped.
type Store struct {
	dir  string
	tool string
}

// Open returns the store of the binary named tool (see ToolIdentity) in
// the cache directory (see Dir).
func Open(tool string) Store { return At(Dir(), tool) }

// At returns the store of the binary named tool in dir.
func At(dir, tool string) Store {
	if dir == "" || tool == "" {
		return Store{}
	}
	return Store{dir: filepath.Join(dir, "memo"), tool: tool}
}

// On reports whether the store keeps anything.
func (s Store) On() bool { return s.dir != "" }

// A Key names what a step read. Build it with NewKey and Add every
// byte the step's result depends on, in a fixed order. Both halves are
// derived, one way, from the digest of those bytes: id names the entry,
// seal encrypts its value. The seal is never written, so an entry can be
// read only by a run that read the same bytes: a value that holds a
// secret the source wrote (an evaluated part does) is never in the
// cache in the clear.
type Key struct{ id, seal [32]byte }

// KeyBuilder hashes the parts of a key as they are added: a key can be
// made of every block of a large host, and holding them in one buffer
// would copy them again each time it grows.
type KeyBuilder struct {
	digest hash.Hash
	length [binary.MaxVarintLen64]byte
}

// NewKey starts a key for a step; step names the step and the version
// of its result's format, so that steps never share entries.
func (s Store) NewKey(step string) *KeyBuilder {
	b := &KeyBuilder{digest: sha256.New()}
	b.Add([]byte("portschema memo 1"))
	b.Add([]byte(s.tool))
	b.Add([]byte(step))
	return b
}

// Add appends one part; its length goes first, so that no two
// sequences of parts give the same stream.
func (b *KeyBuilder) Add(part []byte) *KeyBuilder {
	b.digest.Write(binary.AppendUvarint(b.length[:0], uint64(len(part))))
	b.digest.Write(part)
	return b
}

// AddString is Add of a string.
func (b *KeyBuilder) AddString(part string) *KeyBuilder {
	b.digest.Write(binary.AppendUvarint(b.length[:0], uint64(len(part))))
	io.WriteString(b.digest, part)
	return b
}

// Key is the SHA-256 of every part added.
func (b *KeyBuilder) Key() Key {
	var digest [sha256.Size]byte
	b.digest.Sum(digest[:0])
	return Key{
		id:   sha256.Sum256(append([]byte("entry name\x00"), digest[:]...)),
		seal: sha256.Sum256(append([]byte("entry seal\x00"), digest[:]...)),
	}
}

// Seal is value sealed as an entry of k is, for a step that keeps the
// values of several keys in one entry: each can be read only by a run
// that read its own bytes.
func (k Key) Seal(value []byte) ([]byte, error) { return encode(k, value) }

// Unseal is the value sealed under k (see Seal); false for one sealed
// under another key, or damaged. It opens sealed in place.
func (k Key) Unseal(sealed []byte) ([]byte, bool) {
	value, err := decode(k, sealed)
	return value, err == nil
}

// ID is the name of the entry; it says nothing of the value.
func (k Key) ID() [32]byte { return k.id }

func (k Key) String() string { return hex.EncodeToString(k.id[:]) }

// An entry is the magic line, the key's id, a nonce and the value
// sealed with AES-256-GCM under the key's seal, the id as additional
// data: a corrupt, truncated or foreign entry fails to open.
const magic = "portschema memo entry 2\n"

func (s Store) path(k Key) string {
	name := k.String()
	return filepath.Join(s.dir, name[:2], name)
}

// Get returns the value stored under k, or false.
func (s Store) Get(k Key) ([]byte, bool) {
	if !s.On() {
		return nil, false
	}
	name := s.path(k)
	data, modified, err := readEntry(name)
	if err != nil {
		return nil, false
	}
	value, err := decode(k, data)
	if err != nil {
		return nil, false
	}
	s.used(name, modified)
	return value, true
}

// readEntry reads an entry whole, with its modification time.
func readEntry(name string) ([]byte, time.Time, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	// One byte more than the size, so that a file that grew since is
	// read to its end rather than cut.
	data := make([]byte, 0, fi.Size()+1)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, fi.ModTime(), nil
		}
		if err != nil {
			return nil, time.Time{}, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}

// decode opens an entry with its key.
func decode(k Key, data []byte) ([]byte, error) {
	rest, ok := bytes.CutPrefix(data, []byte(magic))
	aead, err := sealer(k)
	if err != nil {
		return nil, err
	}
	if !ok || len(rest) < len(k.id)+aead.NonceSize() || !bytes.Equal(rest[:len(k.id)], k.id[:]) {
		return nil, errors.New("not an entry of this key")
	}
	nonce, sealed := rest[len(k.id):len(k.id)+aead.NonceSize()], rest[len(k.id)+aead.NonceSize():]
	return aead.Open(sealed[:0], nonce, sealed, k.id[:]) // in place: the entry's buffer is ours
}

// encode seals value for an entry of k.
func encode(k Key, value []byte) ([]byte, error) {
	aead, err := sealer(k)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	buf := append(append([]byte(magic), k.id[:]...), nonce...)
	return aead.Seal(buf, nonce, value, k.id[:]), nil
}

func sealer(k Key) (cipher.AEAD, error) {
	block, err := aes.NewCipher(k.seal[:])
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Put stores value under k; a value that cannot be stored only costs a
// later run the shortcut.
func (s Store) Put(k Key, value []byte) {
	if !s.On() {
		return
	}
	name := s.path(k)
	buf, err := encode(k, value)
	if err != nil {
		return
	}
	if WriteAtomic(name, buf) != nil {
		return
	}
	s.trim(time.Now())
}

// WriteAtomic replaces the file name through a temporary file beside it
// and a rename, so that a reader never sees half an entry (or half a
// stamp); the temporary file is removed when anything fails.
func WriteAtomic(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".entry-*")
	if err != nil {
		return err
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
	return err
}

// JoinIDs is the ids of keys, for a value that lists keys.
func JoinIDs(keys []Key) []byte {
	out := make([]byte, 0, len(keys)*len(Key{}.id))
	for _, k := range keys {
		out = append(out, k.id[:]...)
	}
	return out
}

// SplitIDs reads what JoinIDs wrote; a value of another length lists
// nothing.
func SplitIDs(data []byte) [][32]byte {
	n := len(Key{}.id)
	if len(data)%n != 0 {
		return nil
	}
	ids := make([][32]byte, 0, len(data)/n)
	for i := 0; i < len(data); i += n {
		ids = append(ids, [32]byte(data[i:i+n]))
	}
	return ids
}
