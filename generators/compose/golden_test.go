package compose

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestLabGolden pins the lab's files byte for byte, so that a change of
// layout (key order, quoting, spelling) shows in review as a diff of
// these files.
func TestLabGolden(t *testing.T) {
	for path, data := range generate(t, loadPlatform(t, labRoot)) {
		golden := filepath.Join(labRoot, strings.ReplaceAll(path, "/", "_")+".golden")
		if *update {
			if err := os.WriteFile(golden, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (go test -update writes it)", err)
		}
		if string(want) != string(data) {
			t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", path, golden, data)
		}
	}
}
