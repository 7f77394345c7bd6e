package memo

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func key(s Store, parts ...string) Key {
	b := s.NewKey("test step")
	for _, p := range parts {
		b.AddString(p)
	}
	return b.Key()
}

func TestPutThenGet(t *testing.T) {
	s := At(t.TempDir(), "tool A")
	k := key(s, "a", "b")
	if _, ok := s.Get(k); ok {
		t.Fatal("an empty store has an entry")
	}
	s.Put(k, []byte("value"))
	if got, ok := s.Get(k); !ok || string(got) != "value" {
		t.Fatalf("Get = %q, %v", got, ok)
	}
	// The parts are delimited: moving a byte from one to the next is
	// another key.
	if key(s, "ab", "") == key(s, "a", "b") || key(s, "a", "b") == key(s, "a", "b", "") {
		t.Error("different parts give the same key")
	}
}

// Add and AddString hash the same stream, and a key is the digest of
// every part behind its length, whatever the size of the parts.
func TestKeyIsDigestOfLengthPrefixedParts(t *testing.T) {
	s := At(t.TempDir(), "tool A")
	big := bytes.Repeat([]byte("0123456789"), 100_000)
	parts := [][]byte{[]byte("x"), {}, big, []byte("tail")}
	byBytes, byString := s.NewKey("step"), s.NewKey("step")
	var stream []byte
	for _, p := range append([][]byte{[]byte("portschema memo 1"), []byte("tool A"), []byte("step")}, parts...) {
		stream = binary.AppendUvarint(stream, uint64(len(p)))
		stream = append(stream, p...)
	}
	for _, p := range parts {
		byBytes.Add(p)
		byString.AddString(string(p))
	}
	digest := sha256.Sum256(stream)
	want := sha256.Sum256(append([]byte("entry name\x00"), digest[:]...))
	if a, b := byBytes.Key(), byString.Key(); a != b || a.ID() != want {
		t.Errorf("keys differ: Add %x, AddString %x, want %x", a.ID(), b.ID(), want)
	}
}

// An entry is a shortcut only: whatever is in the file under a key's
// name, Get returns the value stored under that key by that binary, or
// misses.
func TestBadEntriesMiss(t *testing.T) {
	dir := t.TempDir()
	s := At(dir, "tool A")
	k := key(s, "source")
	s.Put(k, []byte("the value"))
	good, err := os.ReadFile(s.path(k))
	if err != nil {
		t.Fatal(err)
	}
	other := At(dir, "tool B")
	ko := key(other, "source")
	other.Put(ko, []byte("another binary's value"))
	foreign, err := os.ReadFile(other.path(ko))
	if err != nil {
		t.Fatal(err)
	}
	if k == ko {
		t.Fatal("two binaries share a key")
	}
	flipped := bytes.Clone(good)
	flipped[len(flipped)-1] ^= 1
	cases := map[string][]byte{
		"empty":                   {},
		"truncated in the header": good[:len(magic)+10],
		"truncated in the value":  good[:len(good)-2],
		"a flipped byte":          flipped,
		"another version":         append([]byte("portschema memo entry 0\n"), good[len(magic):]...),
		"another binary's entry":  foreign,
		"a value appended":        append(bytes.Clone(good), "more"...),
		"not an entry at all":     []byte("garbage"),
	}
	for name, data := range cases {
		if err := os.WriteFile(s.path(k), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if got, ok := s.Get(k); ok {
			t.Errorf("%s: Get = %q, want a miss", name, got)
		}
	}
	if err := os.WriteFile(s.path(k), good, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, ok := s.Get(k); !ok || string(got) != "the value" {
		t.Errorf("the good entry again: Get = %q, %v", got, ok)
	}
}

func TestOffKeepsNothing(t *testing.T) {
	t.Setenv(CacheEnv, CacheOff)
	s := Open("tool A")
	if s.On() {
		t.Fatal("the store is on with the cache off")
	}
	k := key(s, "x")
	s.Put(k, []byte("v"))
	if _, ok := s.Get(k); ok {
		t.Error("a store that is off returned a value")
	}
	if At(t.TempDir(), "").On() {
		t.Error("a store without a binary's identity is on")
	}
}

// Runs side by side write and read the same entries: a reader sees the
// whole value or nothing, never a part.
func TestConcurrentRuns(t *testing.T) {
	dir := t.TempDir()
	value := bytes.Repeat([]byte("0123456789"), 50000)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			s := At(dir, "tool A")
			for i := range 20 {
				k := key(s, fmt.Sprint(i%4))
				if got, ok := s.Get(k); ok && !bytes.Equal(got, value) {
					t.Errorf("worker %d: a partial or foreign value of %d bytes", w, len(got))
				}
				s.Put(k, value)
			}
		})
	}
	wg.Wait()
	left, _ := filepath.Glob(filepath.Join(dir, "memo", "*", ".entry-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// Entries nobody used for days go at the next daily trim; used ones and
// recent ones stay.
func TestTrim(t *testing.T) {
	s := At(t.TempDir(), "tool A")
	old, used, fresh := key(s, "old"), key(s, "used"), key(s, "fresh")
	for _, k := range []Key{old, used, fresh} {
		s.Put(k, []byte("v"))
	}
	long := time.Now().Add(-2 * unusedFor)
	for _, k := range []Key{old, used} {
		os.Chtimes(s.path(k), long, long)
	}
	if _, ok := s.Get(used); !ok {
		t.Fatal("no entry")
	}
	s.trim(time.Now()) // trimmed less than a day ago by the first Put
	if _, err := os.Stat(s.path(old)); err != nil {
		t.Fatal("a trim ran again within a day")
	}
	s.trim(time.Now().Add(trimEvery + time.Minute))
	if _, err := os.Stat(s.path(old)); err == nil {
		t.Error("an entry unused for days was kept")
	}
	for _, k := range []Key{used, fresh} {
		if _, ok := s.Get(k); !ok {
			t.Error("a used or recent entry was removed")
		}
	}
}

func TestIDLists(t *testing.T) {
	s := At(t.TempDir(), "tool A")
	keys := []Key{key(s, "1"), key(s, "2")}
	got := SplitIDs(JoinIDs(keys))
	if len(got) != 2 || got[0] != keys[0].ID() || got[1] != keys[1].ID() {
		t.Errorf("SplitIDs(JoinIDs) = %v", got)
	}
	if SplitIDs([]byte("short")) != nil {
		t.Error("a value of another length lists ids")
	}
}

// A value is sealed with what only a run that read the same bytes can
// derive: the entry holds neither the value nor anything to open it
// with.
func TestEntriesAreSealed(t *testing.T) {
	dir := t.TempDir()
	s := At(dir, "tool A")
	secret := "password=Cn4ryS3cr3t"
	k := key(s, "a source that holds "+secret)
	s.Put(k, []byte(`{"env": {"PASSWORD": "`+secret+`"}}`))
	data, err := os.ReadFile(s.path(k))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("Cn4ryS3cr3t")) || bytes.Contains(data, k.seal[:]) {
		t.Error("the entry holds the value or its seal in the clear")
	}
	if got, ok := s.Get(k); !ok || !bytes.Contains(got, []byte(secret)) {
		t.Errorf("Get = %q, %v", got, ok)
	}
}
