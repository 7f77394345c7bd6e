package compose

import (
	"path/filepath"
	"strings"
	"testing"

	"portschema/generators/output/golden"
)

// TestLabGolden pins the lab's files byte for byte, so that a change of
// layout (key order, quoting, spelling) shows in review as a diff of
// these files.
func TestLabGolden(t *testing.T) {
	for path, data := range generate(t, loadPlatform(t, labRoot)) {
		golden.Check(t, filepath.Join(labRoot, strings.ReplaceAll(path, "/", "_")+".golden"), data)
	}
}
