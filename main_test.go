package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the CLI scenarios run the portschema command in-process.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"portschema": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs every CLI scenario in testdata/script. Set
// UPDATE_SCRIPTS=1 to rewrite the expected output in the .txtar files.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		UpdateScripts:       os.Getenv("UPDATE_SCRIPTS") == "1",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
	})
}
