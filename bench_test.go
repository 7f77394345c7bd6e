//go:build linux || darwin

package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"portschema/generators/stamp"
	"portschema/schema"
	"portschema/schema/synthetic"
)

// benchSizes are the platform sizes of the command benchmarks: 10×
// steps, so that time per size shows whether the tool stays linear.
var benchSizes = []int{100, 1000, 10000}

// benchRoot writes a synthetic platform of n services, with a copy of
// the definitions so that `cue` can evaluate the same source.
func benchRoot(b *testing.B, n int) string {
	b.Helper()
	root := b.TempDir()
	if err := synthetic.Write(root, n); err != nil {
		b.Fatal(err)
	}
	defs := filepath.Join(root, schema.SourceDir, schema.DefinitionsFile)
	if err := os.WriteFile(defs, schema.Definitions, 0o644); err != nil {
		b.Fatal(err)
	}
	return root
}

// BenchmarkCheck times `check` in-process on a tree regen just wrote:
// "unchanged" as a user runs it (the stamp of the last run lets it skip
// evaluation), "full" with the stamp cache off.
func BenchmarkCheck(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			root := benchRoot(b, n)
			b.Setenv(stamp.CacheEnv, b.TempDir())
			if code := run([]string{"-C", root, "regen"}, io.Discard, io.Discard, nil); code != exitOK {
				b.Fatalf("regen: exit %d", code)
			}
			for _, mode := range []string{"unchanged", "full"} {
				b.Run(mode, func(b *testing.B) {
					if mode == "full" {
						b.Setenv(stamp.CacheEnv, stamp.CacheOff)
					}
					for b.Loop() {
						if code := run([]string{"-C", root, "check"}, io.Discard, io.Discard, nil); code != exitOK {
							b.Fatalf("check: exit %d", code)
						}
					}
				})
			}
		})
	}
}

// BenchmarkClusterVersusCompose runs the built tool's regen, from a
// clean out/, on the same platform with its edge host a compose host
// and then a Kubernetes cluster running the same services (a quarter
// of them), interleaved, and reports the medians of both: wall time and
// peak memory, and the cluster's ratios to compose.
func BenchmarkClusterVersusCompose(b *testing.B) {
	tool, measure := buildTool(b), buildMeasure(b)
	trash := b.TempDir()
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("services=%d", n), func(b *testing.B) {
			roots := [2]string{b.TempDir(), b.TempDir()}
			for i, layout := range []synthetic.Layout{synthetic.ComposeEdge, synthetic.ClusterEdge} {
				if err := synthetic.WriteFor(roots[i], n, layout); err != nil {
					b.Fatal(err)
				}
			}
			env := []string{stamp.CacheEnv + "=" + stamp.CacheOff}
			var costs [2][]procCost
			i := 0
			for b.Loop() {
				for k := range 2 {
					j := (i + k) % 2 // alternate which goes first
					clearOut(b, roots[j], trash)
					costs[j] = append(costs[j], runProcess(b, measure, roots[j], env, tool, "regen"))
				}
				i++
			}
			c, k := median(costs[0]), median(costs[1])
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(c.wall.Seconds(), "compose-s")
			b.ReportMetric(k.wall.Seconds(), "cluster-s")
			b.ReportMetric(k.wall.Seconds()/c.wall.Seconds(), "cluster/compose")
			b.ReportMetric(float64(c.maxRSS)/(1<<20), "compose-MB")
			b.ReportMetric(float64(k.maxRSS)/(1<<20), "cluster-MB")
			b.ReportMetric(float64(k.maxRSS)/float64(c.maxRSS), "cluster/compose-mem")
		})
	}
}

// buildTool builds the command as a user runs it, with its own main
// (garbage collector settings included).
func buildTool(b *testing.B) string {
	b.Helper()
	exe := filepath.Join(b.TempDir(), "portschema")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	gocmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.Command(gocmd, "build", "-o", exe, ".").CombinedOutput(); err != nil {
		b.Fatalf("building the tool: %v\n%s", err, out)
	}
	return exe
}

// procCost is what one process cost.
type procCost struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
}

// measureSource is a tiny program that runs a command and prints its
// cost as JSON. The peak memory of a process on Linux starts from that
// of the process that spawned it (the benchmark, over a gigabyte after
// the in-process benchmarks); spawned from this small program instead,
// a command's peak is its own.
const measureSource = `package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if _, exited := err.(*exec.ExitError); err != nil && !(exited && os.Getenv("PORTSCHEMA_BENCH_ANY_EXIT") != "") {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	var maxRSS int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSS = int64(ru.Maxrss)
	}
	json.NewEncoder(os.Stdout).Encode([]int64{int64(wall), int64(cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()), maxRSS})
}
`

// buildMeasure builds the measuring program.
func buildMeasure(b *testing.B) string {
	b.Helper()
	dir := b.TempDir()
	for name, data := range map[string]string{"go.mod": "module measure\n\ngo 1.22\n", "main.go": measureSource} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	exe := filepath.Join(dir, "measure")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", exe, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building the measuring program: %v\n%s", err, out)
	}
	return exe
}

// runProcess runs a command in dir through the measuring program, with
// its output discarded, and returns its cost; a failing command fails
// the benchmark.
func runProcess(b *testing.B, measure, dir string, env []string, name string, args ...string) procCost {
	b.Helper()
	cmd := exec.Command(measure, append([]string{name}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	stderr := &tail{}
	cmd.Stderr = stderr
	out, err := cmd.Output()
	var cost []int64
	if err == nil {
		err = json.Unmarshal(out, &cost)
	}
	if err != nil || len(cost) != 3 {
		b.Fatalf("%s %v: %v\n%s", filepath.Base(name), args, err, stderr.buf)
	}
	u := procCost{wall: time.Duration(cost[0]), cpu: time.Duration(cost[1]), maxRSS: cost[2]}
	if runtime.GOOS == "linux" {
		u.maxRSS *= 1024 // kilobytes there, bytes on macOS
	}
	return u
}

// tail keeps the last few kilobytes written to it.
type tail struct{ buf []byte }

func (t *tail) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > 4096 {
		t.buf = t.buf[len(t.buf)-4096:]
	}
	return len(p), nil
}

// median takes the median of each measure separately.
func median(us []procCost) procCost {
	pick := func(f func(procCost) int64) int64 {
		vs := make([]int64, len(us))
		for i, u := range us {
			vs[i] = f(u)
		}
		slices.Sort(vs)
		return vs[len(vs)/2]
	}
	return procCost{
		wall:   time.Duration(pick(func(u procCost) int64 { return int64(u.wall) })),
		cpu:    time.Duration(pick(func(u procCost) int64 { return int64(u.cpu) })),
		maxRSS: pick(func(u procCost) int64 { return u.maxRSS }),
	}
}
