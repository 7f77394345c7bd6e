package rendered

import (
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"portschema/schema/memo"
)

// renderer counts the renders it makes.
type renderer struct{ calls int }

func (r *renderer) of(text string) func() ([]byte, error) {
	return func() ([]byte, error) {
		r.calls++
		return []byte(text), nil
	}
}

// A run renders what the last run did not; the next takes it from the
// memo, and renders again only what changed.
func TestRendersAreKeptByDigest(t *testing.T) {
	t.Setenv(memo.CacheEnv, t.TempDir())
	a, b := digestOf("data a"), digestOf("data b")
	var r renderer
	c := Open("test output")
	for d, text := range map[Digest]string{a: "render a", b: "render b"} {
		if got, _ := c.Render(d, r.of(text)); string(got) != text {
			t.Fatalf("render %q, want %q", got, text)
		}
	}
	c.Close()

	c = Open("test output")
	got, _ := c.Render(a, r.of("not called"))
	changed := digestOf("data b, changed")
	got2, _ := c.Render(changed, r.of("render b, changed"))
	c.Close()
	if string(got) != "render a" || string(got2) != "render b, changed" || r.calls != 3 {
		t.Errorf("second run: %q, %q after %d renders; want the kept render a and one new render", got, got2, r.calls)
	}
	// A kept render cannot grow into the next one's bytes.
	c = Open("test output")
	first, _ := c.Render(a, r.of("not called"))
	_ = append(first, "XXXXXXXX"...)
	second, _ := c.Render(changed, r.of("not called"))
	if string(second) != "render b, changed" || r.calls != 3 {
		t.Errorf("third run: %q after %d renders", second, r.calls)
	}
	// Another output keeps its own.
	other := Open("other output")
	other.Render(a, r.of("other a"))
	if r.calls != 4 {
		t.Error("an output took another's render")
	}
}

// A corrupt entry, or none, costs renders, never bytes: an entry cut or
// altered anywhere is read as nothing or as fewer renders.
func TestCorruptEntriesOnlyCostRenders(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(memo.CacheEnv, dir)
	d := digestOf("data")
	c := Open("test output")
	c.Render(d, func() ([]byte, error) { return []byte("render"), nil })
	c.Close()
	var entries []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && len(e.Name()) == 64 {
			entries = append(entries, p)
		}
		return nil
	})
	if len(entries) != 1 {
		t.Fatalf("%d entries", len(entries))
	}
	data, _ := os.ReadFile(entries[0])
	for i := range data {
		bad := append([]byte{}, data...)
		bad[i] ^= 0x01
		os.WriteFile(entries[0], bad, 0o644)
		var r renderer
		got, _ := Open("test output").Render(d, r.of("render"))
		if string(got) != "render" || r.calls != 1 {
			t.Fatalf("byte %d altered: %q after %d renders", i, got, r.calls)
		}
	}
	// Malformed entries (as the memo would hand them) decode to what
	// they hold whole.
	for _, entry := range [][]byte{nil, []byte("short"), append(d[:], 0xff), append(append(d[:], 5), "abc"...)} {
		if got := decode(entry); len(got) != 0 {
			t.Errorf("decode(%q) = %v", entry, got)
		}
	}
	// A failed render is not kept.
	c = Open("failing output")
	if _, err := c.Render(d, func() ([]byte, error) { return nil, errors.New("no") }); err == nil {
		t.Error("the render's error is lost")
	}
	if c.fresh || len(c.now) != 0 {
		t.Error("a failed render is kept")
	}
}

// With the memo off, every render runs and nothing is kept.
func TestMemoOffRendersEverything(t *testing.T) {
	t.Setenv(memo.CacheEnv, memo.CacheOff)
	var r renderer
	for range 2 {
		c := Open("test output")
		c.Render(digestOf(""), r.of("x"))
		c.Close()
	}
	if r.calls != 2 {
		t.Errorf("%d renders, want 2", r.calls)
	}
}

// digestOf is a digest to keep renders under, in these tests.
func digestOf(data string) Digest { return sha256.Sum256([]byte(data)) }
