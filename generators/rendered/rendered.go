// Package rendered keeps, in the memo (see package memo), the bytes an
// output was rendered to, by the digest of what it was rendered from: a
// template's data, or a document. Rendering is the costly half of most
// outputs (a template walks its data through reflection, a compose
// document is written key by key), and a change to one service leaves
// the data of most outputs as it was: a run takes their bytes from the
// memo instead of rendering them again.
//
// A digest covers everything a render reads but the code that renders
// (the templates are in the binary, whose identity keys the memo), so
// bytes found under a digest are the render's. Each output keeps one
// entry, keyed by its name, holding the renders of the last run that
// rendered it; a missing, corrupt or foreign entry only costs renders.
package rendered

import (
	"bytes"
	"encoding/binary"
	"slices"
	"sync"

	"portschema/schema/memo"
)

// Cache is the renders of one output (one generator's files of a kind)
// kept from the last run, and those of this run. Its methods are safe
// for concurrent use.
type Cache struct {
	store memo.Store
	key   memo.Key
	mu    sync.Mutex
	last  map[Digest][]byte // the entry as read
	now   map[Digest][]byte // the renders this run used
	fresh bool              // some render was not in last
}

// Digest is what a render is kept under (see Of, and Digester).
type Digest [32]byte

// Open reads the renders of the output called name; with the memo off,
// the cache keeps nothing.
func Open(name string) *Cache {
	c := &Cache{store: memo.Open(memo.ToolIdentity()), last: map[Digest][]byte{}, now: map[Digest][]byte{}}
	if !c.store.On() {
		return c
	}
	c.key = c.store.NewKey("renders").AddString(name).Key()
	if data, ok := c.store.Get(c.key); ok {
		c.last = decode(data)
	}
	return c
}

// Render returns the bytes kept under d, or render's, which it keeps.
func (c *Cache) Render(d Digest, render func() ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	data, ok := c.last[d]
	if ok {
		c.now[d] = data
	}
	c.mu.Unlock()
	if ok {
		return data, nil
	}
	data, err := render()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.now[d], c.fresh = data, true
	c.mu.Unlock()
	return data, nil
}

// Close keeps this run's renders in the memo, when they are not those
// it read: a render is new, or one the last run kept was not used.
func (c *Cache) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.store.On() || !c.fresh && len(c.now) == len(c.last) {
		return
	}
	c.store.Put(c.key, encode(c.now))
}

// encode is an entry: each render's digest and length, then its bytes,
// in the order of the digests.
func encode(renders map[Digest][]byte) []byte {
	digests := make([]Digest, 0, len(renders))
	size := 0
	for d, data := range renders {
		digests = append(digests, d)
		size += len(d) + binary.MaxVarintLen64 + len(data)
	}
	slices.SortFunc(digests, func(a, b Digest) int { return bytes.Compare(a[:], b[:]) })
	out := make([]byte, 0, size)
	for _, d := range digests {
		out = append(out, d[:]...)
		out = binary.AppendUvarint(out, uint64(len(renders[d])))
		out = append(out, renders[d]...)
	}
	return out
}

// decode reads an entry; what follows a malformed part is dropped. Each
// render's bytes are a slice of data that cannot grow into the next.
func decode(data []byte) map[Digest][]byte {
	out := map[Digest][]byte{}
	for len(data) > len(Digest{}) {
		d := Digest(data[:len(Digest{})])
		n, size := binary.Uvarint(data[len(d):])
		start := len(d) + size
		if size <= 0 || n > uint64(len(data)-start) {
			break
		}
		end := start + int(n)
		out[d] = data[start:end:end]
		data = data[end:]
	}
	return out
}
