package main

import (
	"bytes"
	"regexp"
	"testing"
)

// This project's own source prints no warning it has not acknowledged:
// a new warning would be the only line vet prints, not one among many.
func TestOwnSourceHasNoUnacknowledgedWarning(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"vet"}, &stdout, &stderr, nil); code != exitOK {
		t.Fatalf("vet exited %d:\n%s", code, stderr.String())
	}
	summary := regexp.MustCompile(`^vet: \d+ services on \d+ hosts in \d+ ranges; 0 warnings \(\d+ acknowledged; vet -v lists them\)\n$`)
	if !summary.Match(stderr.Bytes()) {
		t.Errorf("vet printed more than its summary, or warnings:\n%s", stderr.String())
	}
}
