//go:build linux || darwin

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"portschema/generators/stamp"
	"portschema/schema"
	"portschema/schema/synthetic"
)

// versusSizes are the sizes of the generated sources BenchmarkVersusCue
// times, in both shapes: a real platform's 50 and 100 services, and
// 10× steps beyond.
var versusSizes = []int{50, 100, 1000, 10000}

// versusSource is one source BenchmarkVersusCue times: a project root
// whose schema/ holds the source and a copy of the definitions, so that
// `cue export` there evaluates the same thing.
type versusSource struct {
	name string
	// write writes the source into root; scratch is a directory of its
	// own for whatever it needs on the way.
	write func(b *testing.B, tool, measure, root, scratch string)
}

// versusSources are this project's own platform, and sources of every
// size as schema/synthetic writes them and as `import` writes them from
// the hand-written files (compose, tunnel, port document) a synthetic
// platform's regen produced: the same platforms, in the shape an
// adopting user's source has (a file per range, explicit values).
func versusSources() []versusSource {
	sources := []versusSource{{"fixture", func(b *testing.B, _, _, root, _ string) { copyOwnSource(b, root) }}}
	for _, n := range versusSizes {
		sources = append(sources, versusSource{fmt.Sprintf("synthetic-%d", n), func(b *testing.B, _, _, root, _ string) {
			if err := synthetic.Write(root, n); err != nil {
				b.Fatal(err)
			}
		}})
	}
	for _, n := range versusSizes {
		sources = append(sources, versusSource{fmt.Sprintf("imported-%d", n), func(b *testing.B, tool, measure, root, scratch string) {
			importSynthetic(b, tool, measure, root, scratch, n)
		}})
	}
	return sources
}

// copyOwnSource copies this repository's source (and the files beside
// it that the source names) into root.
func copyOwnSource(b *testing.B, root string) {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join(schema.SourceDir, "*"))
	dir := filepath.Join(root, schema.SourceDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	for _, f := range files {
		if fi, err := os.Stat(f); err != nil || !fi.Mode().IsRegular() || strings.HasSuffix(f, ".go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// importSynthetic writes into root the source `import` makes of the
// files a synthetic platform of n services generates, in from.
func importSynthetic(b *testing.B, tool, measure, root, from string, n int) {
	b.Helper()
	if err := synthetic.Write(from, n); err != nil {
		b.Fatal(err)
	}
	off := []string{stamp.CacheEnv + "=" + stamp.CacheOff}
	runProcess(b, measure, from, off, tool, "regen")
	args := []string{"import", "--doc", "out/PORT_SCHEMA.md", "-o", filepath.Join(root, schema.SourceDir)}
	for _, pattern := range []string{"docker-compose.*.yml", "cloudflared-*.yml"} {
		files, _ := filepath.Glob(filepath.Join(from, "out", pattern))
		flag := "--compose"
		if strings.HasPrefix(pattern, "cloudflared") {
			flag = "--cloudflared"
		}
		for _, f := range files {
			args = append(args, flag, filepath.Join("out", filepath.Base(f)))
		}
	}
	runProcess(b, measure, from, off, tool, args...)
}

// BenchmarkVersusCue runs the built tool and `cue export` of the same
// source as separate processes and reports medians and the ratios to
// cue: wall time, CPU time (user+system, which load from other
// processes inflates far less) and peak memory (max RSS). Every command
// runs next to a `cue export`, alternating which goes first, so that a
// busy machine slows both alike. For each source:
//
//   - cold: regen from a clean out/, with the cache off;
//   - nothing changed: regen of the tree the last regen with the cache
//     wrote and stamped, with the cache, and check of it (the cold regen
//     before, without the cache, rewrote every file and left no stamp);
//   - one change: regen, vet and check, each right after a change to one
//     service's description, with the cache of the runs before (check
//     then finds the tree stale).
//
// A table at the end compares every source. It is skipped when no `cue`
// is on PATH.
func BenchmarkVersusCue(b *testing.B) {
	cue, err := exec.LookPath("cue")
	if err != nil {
		b.Skip("no cue on PATH; go install cuelang.org/go/cmd/cue@v0.17.1")
	}
	tool, measure := buildTool(b), buildMeasure(b)
	// Every tree, the trash of cold runs (see clearOut) among them, is
	// removed once every source is measured: a source's cold runs would
	// otherwise create their outputs right after the trees of the source
	// before were deleted, and pay the file system for it (see clearOut).
	trees := b.TempDir()
	trash := newDir(b, trees, "trash")
	var rows []versusRow
	defer func() { fmt.Print(versusTable(rows)) }()
	for _, src := range versusSources() {
		b.Run(src.name, func(b *testing.B) {
			root := newDir(b, trees, src.name)
			src.write(b, tool, measure, root, newDir(b, trees, src.name+"-scratch"))
			defs := filepath.Join(root, schema.SourceDir, schema.DefinitionsFile)
			if err := os.WriteFile(defs, schema.Definitions, 0o644); err != nil {
				b.Fatal(err)
			}
			cache := []string{stamp.CacheEnv + "=" + newDir(b, trees, src.name+"-cache")}
			off := []string{stamp.CacheEnv + "=" + stamp.CacheOff}
			ed := newEditor(b, root)
			cmd := func(env []string, args ...string) procCost {
				return runProcess(b, measure, root, env, tool, args...)
			}
			cueRun := func() procCost {
				return runProcess(b, measure, filepath.Join(root, schema.SourceDir), nil, cue, "export")
			}
			runs := map[string][]procCost{}
			pair := func(i int, name string, f func() procCost) {
				if i%2 == 0 {
					runs["cue"] = append(runs["cue"], cueRun())
					runs[name] = append(runs[name], f())
				} else {
					runs[name] = append(runs[name], f())
					runs["cue"] = append(runs["cue"], cueRun())
				}
			}
			cmd(cache, "regen") // the cache of the runs before
			i := 0
			for b.Loop() {
				pair(i, "cold", func() procCost { clearOut(b, root, trash); return cmd(off, "regen") })
				cmd(cache, "regen") // the tree as a regen with the cache leaves it, stamped
				pair(i, "nochange", func() procCost { return cmd(cache, "regen") })
				pair(i, "nochange-check", func() procCost { return cmd(cache, "check") })
				pair(i, "change-regen", func() procCost { ed.edit(); return cmd(cache, "regen") })
				pair(i, "change-vet", func() procCost { ed.edit(); return cmd(cache, "vet") })
				pair(i, "change-check", func() procCost { ed.edit(); return cmdMayFail(b, measure, root, cache, tool, "check") })
				cmd(cache, "regen")
				i++
			}
			row := versusRow{name: src.name, cost: map[string]procCost{}}
			for name, us := range runs {
				row.cost[name] = median(us)
			}
			rows = append(rows, row)
			c, r := row.cost["cue"], row.cost["cold"]
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(r.wall.Seconds()/c.wall.Seconds(), "cold/cue")
			b.ReportMetric(r.cpu.Seconds()/c.cpu.Seconds(), "cold/cue-cpu")
			b.ReportMetric(float64(r.maxRSS)/float64(c.maxRSS), "cold/cue-mem")
			b.ReportMetric(row.cost["change-regen"].cpu.Seconds()/c.cpu.Seconds(), "change/cue-cpu")
			b.ReportMetric(row.cost["nochange"].cpu.Seconds()/c.cpu.Seconds(), "nochange/cue-cpu")
		})
	}
}

// newDir makes a new directory in parent.
func newDir(b *testing.B, parent, prefix string) string {
	b.Helper()
	dir, err := os.MkdirTemp(parent, prefix+"-")
	if err != nil {
		b.Fatal(err)
	}
	return dir
}

// cmdMayFail is runProcess for a command whose exit status does not
// matter (a check of a stale tree exits 1).
func cmdMayFail(b *testing.B, measure, root string, env []string, tool string, args ...string) procCost {
	b.Helper()
	return runProcess(b, measure, root, append(env, "PORTSCHEMA_BENCH_ANY_EXIT=1"), tool, args...)
}

// editor changes one service of a source at a time: the first
// description of its middle services file, a new text each time.
type editor struct {
	b    *testing.B
	file string
	n    int
}

var descriptionField = regexp.MustCompile(`description: *"[^"]*"`)

func newEditor(b *testing.B, root string) *editor {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join(root, schema.SourceDir, "services*.cue"))
	var candidates []string
	ed := &editor{b: b}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if descriptionField.Match(data) {
			candidates = append(candidates, f)
		}
	}
	if len(candidates) == 0 {
		b.Fatal("no description to edit in the source")
	}
	sort.Strings(candidates)
	ed.file = candidates[len(candidates)/2]
	return ed
}

func (ed *editor) edit() {
	data, err := os.ReadFile(ed.file)
	if err != nil {
		ed.b.Fatal(err)
	}
	ed.n++
	loc := descriptionField.FindIndex(data)
	out := fmt.Appendf(append([]byte{}, data[:loc[0]]...), "description: \"edited %d\"", ed.n)
	if err := os.WriteFile(ed.file, append(out, data[loc[1]:]...), 0o644); err != nil {
		ed.b.Fatal(err)
	}
}

// versusRow is the medians of one source.
type versusRow struct {
	name string
	cost map[string]procCost
}

// versusTable renders every source's medians as ratios to cue export:
// wall, CPU and peak memory for a cold regen, CPU (and wall) for the
// runs with the cache.
func versusTable(rows []versusRow) string {
	var b strings.Builder
	b.WriteString("source           cue-s cue-cpu cue-MB | cold: wall  cpu  mem | nothing changed: regen check | one change: regen  vet check (CPU ratios; wall in brackets)\n")
	for _, r := range rows {
		c := r.cost["cue"]
		cpu := func(k string) float64 { return r.cost[k].cpu.Seconds() / c.cpu.Seconds() }
		wall := func(k string) float64 { return r.cost[k].wall.Seconds() / c.wall.Seconds() }
		cold := r.cost["cold"]
		fmt.Fprintf(&b, "%-15s %6.2f %7.2f %6.0f | %10.2f %4.2f %4.2f | %22.3f %5.3f | %17.2f %4.2f %5.2f (%.2f %.2f %.2f)\n",
			r.name, c.wall.Seconds(), c.cpu.Seconds(), float64(c.maxRSS)/(1<<20),
			wall("cold"), cpu("cold"), float64(cold.maxRSS)/float64(c.maxRSS),
			cpu("nochange"), cpu("nochange-check"),
			cpu("change-regen"), cpu("change-vet"), cpu("change-check"),
			wall("change-regen"), wall("change-vet"), wall("change-check"))
	}
	return b.String()
}

// clearOut empties root's out/ for a regen from a clean tree by moving
// it into trash rather than deleting it. On ext4 without a journal,
// every file created soon after thousands were deleted costs the inode
// allocator a scan past the recently freed inodes: deleting out/ just
// before the run tripled regen's write time, a cost of the harness,
// not of regen, which a fresh clone never pays.
func clearOut(b *testing.B, root, trash string) {
	b.Helper()
	aside, err := os.MkdirTemp(trash, "out-")
	if err != nil {
		b.Fatal(err)
	}
	err = os.Rename(filepath.Join(root, "out"), filepath.Join(aside, "out"))
	if err != nil && !os.IsNotExist(err) {
		b.Fatal(err)
	}
}
