package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"portschema/generators/stamp"
	"portschema/schema"
	"portschema/schema/synthetic"
)

// For random sequences of edits to a source large enough to be
// evaluated in parts, and to one of a few dozen services (two parts
// of a few chunks each), a regen that takes what it can from the cache
// (the stamp, the parts' evaluations, compose-go's verdicts) leaves
// exactly the tree a full regen leaves, and reports exactly the same
// problems. Edits break the source as often as not (taken ports,
// values compose refuses, needs of a removed service), change what
// every service is evaluated with (a host, the domain, a range), and go
// back to earlier states, whose entries the cache still holds.
func TestIncrementalRegenIsFullRegen(t *testing.T) {
	runs := []struct {
		seed     uint64
		services int
	}{{1, 64}, {2, 64}, {3, 64}, {4, 20}}
	steps := 12
	if testing.Short() {
		runs, steps = runs[:1], 6
	}
	for _, run := range runs {
		seed := run.seed
		t.Run(fmt.Sprintf("seed=%d,services=%d", seed, run.services), func(t *testing.T) {
			root := t.TempDir()
			if err := synthetic.Write(root, run.services); err != nil {
				t.Fatal(err)
			}
			cache := t.TempDir()
			rng := rand.New(rand.NewPCG(seed, 0))
			var history []map[string][]byte
			for step := range steps {
				history = append(history, readSourceFiles(t, root))
				what := randomEdit(t, rng, root, history)
				t.Setenv(stamp.CacheEnv, cache)
				incCode, incOut, incErr := regenOnce(root)
				incTree := treeOf(t, root)
				t.Setenv(stamp.CacheEnv, stamp.CacheOff)
				fullCode, fullOut, fullErr := regenOnce(root)
				if fullCode != incCode {
					t.Fatalf("step %d (%s): the incremental regen exits %d, the full one %d\n%s\n%s", step, what, incCode, fullCode, incErr, fullErr)
				}
				if incCode != exitOK {
					if incErr != fullErr {
						t.Fatalf("step %d (%s): the incremental regen reports\n%s\nthe full one\n%s", step, what, incErr, fullErr)
					}
					continue
				}
				if fullOut != "" || !strings.Contains(fullErr, " 0 written, 0 updated, 0 removed,") {
					t.Fatalf("step %d (%s): a full regen after the incremental one changed the tree:\n%s%s\nincremental:\n%s%s", step, what, fullOut, fullErr, incOut, incErr)
				}
				if got := treeOf(t, root); got != incTree {
					t.Fatalf("step %d (%s): the trees differ", step, what)
				}
			}
		})
	}
}

func regenOnce(root string) (int, string, string) {
	var out, errs bytes.Buffer
	code := run([]string{"-C", root, "regen"}, &out, &errs, nil)
	return code, out.String(), errs.String()
}

// treeOf lists every file below root but the source, with its bytes.
func treeOf(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if strings.HasPrefix(rel, schema.SourceDir+string(filepath.Separator)) {
			return nil
		}
		data, err := os.ReadFile(path)
		fmt.Fprintf(&b, "%s\n%s\n", rel, data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func readSourceFiles(t *testing.T, root string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	names, _ := filepath.Glob(filepath.Join(root, schema.SourceDir, "*.cue"))
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(name)] = data
	}
	return files
}

// editOutsideServices changes what every service is evaluated with (a
// host's address, the domain, a range's purpose), so that nothing the
// cache holds of the services may be taken.
func editOutsideServices(t *testing.T, rng *rand.Rand, dir string) string {
	t.Helper()
	edits := []struct{ file, re, with, what string }{
		{"hosts.cue", `address: "10\.0\.0\.1"`, fmt.Sprintf(`address: "10.0.0.%d"`, 1+rng.IntN(200)), "host core moves"},
		{"platform.cue", `domain: "[^"]*"`, fmt.Sprintf(`domain: "bench%d.example.com"`, rng.IntN(100)), "the domain changes"},
		{"ranges.cue", `purpose: "Exporters"`, `purpose: "Exporters of every kind"`, "a range's purpose changes"},
	}
	e := edits[rng.IntN(len(edits))]
	file := filepath.Join(dir, e.file)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, regexp.MustCompile(e.re).ReplaceAll(data, []byte(e.with)), 0o644); err != nil {
		t.Fatal(err)
	}
	return e.what
}

// serviceBlock matches one service as synthetic writes it.
var serviceBlock = regexp.MustCompile(`(?s)\nservices: "([^"]+)": \{\n.*?\n\}\n`)

// randomEdit changes the source at root and says how.
func randomEdit(t *testing.T, rng *rand.Rand, root string, history []map[string][]byte) string {
	t.Helper()
	dir := filepath.Join(root, schema.SourceDir)
	if rng.IntN(6) == 0 && len(history) > 1 {
		i := rng.IntN(len(history) - 1)
		old, _ := filepath.Glob(filepath.Join(dir, "*.cue"))
		for _, name := range old {
			os.Remove(name)
		}
		for name, data := range history[i] {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return fmt.Sprintf("back to the source before step %d", i)
	}
	if rng.IntN(4) == 0 {
		return editOutsideServices(t, rng, dir)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "services_*.cue"))
	file := names[rng.IntN(len(names))]
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	blocks := serviceBlock.FindAllSubmatchIndex(data, -1)
	if len(blocks) == 0 {
		return "nothing (no service left in " + filepath.Base(file) + ")"
	}
	m := blocks[rng.IntN(len(blocks))]
	block, name := string(data[m[0]:m[1]]), string(data[m[2]:m[3]])
	replace := func(re, with string) string {
		return regexp.MustCompile(re).ReplaceAllString(block, with)
	}
	var edited, what string
	switch rng.IntN(7) {
	case 0:
		port := 10000 + rng.IntN(400)
		edited, what = replace(`port:        \d+`, fmt.Sprintf("port:        %d", port)), fmt.Sprintf("%s moves to port %d", name, port)
	case 1:
		text := fmt.Sprintf("Changed at random, %d", rng.IntN(1000))
		edited, what = replace(`description: "[^"]*"`, fmt.Sprintf("description: %q", text)), name+" is described anew"
	case 2:
		limit := []string{"128m", "512m", "a lot"}[rng.IntN(3)]
		edited, what = replace(`mem_limit: "[^"]*"`, fmt.Sprintf("mem_limit: %q", limit)), name+"'s mem_limit is "+limit
	case 3:
		restart := []string{"always", "no", "sometimes"}[rng.IntN(3)]
		edited, what = replace(`restart:   "[^"]*"`, fmt.Sprintf("restart:   %q", restart)), name+" restarts "+restart
	case 4:
		edited, what = "\n", name+" is removed"
	case 5:
		copyName := fmt.Sprintf("%s-copy%d", name, rng.IntN(100))
		port := 10000 + rng.IntN(400)
		twin := strings.Replace(block, `"`+name+`"`, `"`+copyName+`"`, 1)
		twin = regexp.MustCompile(`port:        \d+`).ReplaceAllString(twin, fmt.Sprintf("port:        %d", port))
		edited, what = block+twin, fmt.Sprintf("%s is copied as %s on port %d", name, copyName, port)
	default:
		edited, what = replace(`(LOG_LEVEL|TZ|NODE_ENV|QUEUE|POSTGRES_DB): "[^"]*"`, `$1: "edited"`), name+"'s environment changes"
	}
	out := append(append(append([]byte{}, data[:m[0]]...), edited...), data[m[1]:]...)
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return what
}
