package memo

import (
	"runtime"
	"strings"
	"testing"
)

func TestBuildID(t *testing.T) {
	head := []byte("\x00junk\xff Go build ID: \"abc/def\"\n \xffmore")
	if got := rawBuildID(head); got != "abc/def" {
		t.Errorf("rawBuildID = %q", got)
	}
	if got := rawBuildID([]byte("no id here")); got != "" {
		t.Errorf("rawBuildID of no ID = %q", got)
	}
	if id := ToolIdentity(); runtime.GOOS == "linux" && !strings.HasPrefix(id, "buildid ") {
		t.Errorf("the test binary's identity is %q, want its build ID", id)
	}
}
