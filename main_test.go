package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/rogpeppe/go-internal/testscript"

	"portschema/generators"
	"portschema/generators/compose"
	"portschema/generators/compose/composeconfig"
	"portschema/generators/output"
	"portschema/schema"
)

// TestMain lets the CLI scenarios run the portschema command in-process.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"portschema": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, nil)) },
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
		Cmds:                scriptCmds,
		Setup: func(env *testscript.Env) error {
			// REPO is this repository, for scenarios that run what it
			// ships beside the tool (the git hook in .github/hooks).
			wd, err := os.Getwd()
			env.Setenv("REPO", wd)
			return err
		},
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// scriptCmds are the scenario commands beyond testscript's own.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"composeconfig": composeSame,
	// perm PATH MODE fails unless the file's permission bits are MODE
	// (octal); chmod's counterpart.
	"perm": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 2 {
			ts.Fatalf("usage: perm PATH MODE")
		}
		fi, err := os.Stat(ts.MkAbs(args[0]))
		ts.Check(err)
		if got := fmt.Sprintf("%04o", fi.Mode().Perm()); (got == args[1]) == neg {
			ts.Fatalf("%s has mode %s, want %s%s", args[0], got, map[bool]string{true: "other than "}[neg], args[1])
		}
	},
	// snapshot DIR records the bytes of every file below DIR.
	"snapshot": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: snapshot DIR")
		}
		snap := treeDigest(ts, ts.MkAbs(args[0]))
		ts.Check(os.WriteFile(ts.MkAbs(".snapshot"), []byte(snap), 0o644))
	},
	// unchanged DIR fails unless every file below DIR has the bytes it
	// had at the last snapshot: no output is half written or changed.
	"unchanged": func(ts *testscript.TestScript, neg bool, args []string) {
		if len(args) != 1 {
			ts.Fatalf("usage: unchanged DIR")
		}
		want, err := os.ReadFile(ts.MkAbs(".snapshot"))
		ts.Check(err)
		got := treeDigest(ts, ts.MkAbs(args[0]))
		if (got == string(want)) == neg {
			ts.Fatalf("tree %s: changed = %v\nbefore:\n%s\nafter:\n%s", args[0], got != string(want), want, got)
		}
	},
}

// composeSame is the scenario command
//
//	composeconfig [-env F]... [-inenv F]... [-outenv F]... [-differs SVC.ASPECT]... IN[,IN...] OUT[,OUT...]
//
// It loads the input files and the output files each as one project,
// the way `docker compose config` does, interpolated from the dotenv
// files (-env for both, -inenv and -outenv for one side, as the .env
// beside each), and fails unless they differ in exactly the aspects
// named by -differs (see composeconfig.Compare; project.name for the
// project's name).
func composeSame(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("composeconfig does not take !")
	}
	inEnv, outEnv := map[string]string{}, map[string]string{}
	var differs []string
	for len(args) > 2 {
		flag, value := args[0], args[1]
		args = args[2:]
		switch flag {
		case "-env", "-inenv", "-outenv":
			data, err := os.ReadFile(ts.MkAbs(value))
			ts.Check(err)
			vars, err := dotenv.UnmarshalBytesWithLookup(data, nil)
			ts.Check(err)
			if flag != "-outenv" {
				maps.Copy(inEnv, vars)
			}
			if flag != "-inenv" {
				maps.Copy(outEnv, vars)
			}
		case "-differs":
			differs = append(differs, value)
		default:
			ts.Fatalf("usage: composeconfig [-env F] [-inenv F] [-outenv F] [-differs SVC.ASPECT] IN[,IN] OUT[,OUT]")
		}
	}
	if len(args) != 2 {
		ts.Fatalf("usage: composeconfig [-env F] [-inenv F] [-outenv F] [-differs SVC.ASPECT] IN[,IN] OUT[,OUT]")
	}
	load := func(list string, env map[string]string) *types.Project {
		var files []string
		for _, f := range strings.Split(list, ",") {
			files = append(files, ts.MkAbs(f))
		}
		p, err := composeconfig.Load(files, env)
		if err != nil {
			ts.Fatalf("docker compose would not load %s: %v", list, err)
		}
		return p
	}
	diffs := composeconfig.Compare(load(args[0], inEnv), load(args[1], outEnv), compose.LabelPrefix)
	var got []string
	for _, d := range diffs {
		got = append(got, d.Key())
		if !slices.Contains(differs, d.Key()) {
			ts.Logf("unexpected difference %s", d)
		} else {
			ts.Logf("expected difference %s", d)
		}
	}
	slices.Sort(differs)
	if !slices.Equal(got, differs) {
		ts.Fatalf("differences %v, want exactly %v", got, differs)
	}
}

// treeDigest lists every regular file below dir with a hash of its bytes.
func treeDigest(ts *testscript.TestScript, dir string) string {
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".lock") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "%x %s\n", sha256.Sum256(data), filepath.ToSlash(rel))
		return nil
	})
	ts.Check(err)
	return b.String()
}

// TestOutIsFresh regenerates this project's own outputs in memory and
// fails if a committed file in out/ is stale, missing or orphaned.
func TestOutIsFresh(t *testing.T) {
	p, err := schema.Load(".")
	if err != nil {
		t.Fatalf("the project's own source does not load:\n%v", err)
	}
	files, err := generators.Run(p)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := output.NewTree(".").Plan(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Kind != output.Unchanged && !(c.Kind == output.Missing && c.Local) {
			t.Errorf("%s is %s: run `make regen` and commit the result", c.Path, c.Kind)
		}
	}
}
