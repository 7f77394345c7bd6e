// Command portschema turns one CUE source of truth about a self-hosted
// platform (port ranges, hosts, services) into every config file that
// used to be copied by hand: docker compose files, the Prometheus scrape
// config, cloudflared tunnel ingress, per-service .env files and the
// PORT_SCHEMA.md port table.
//
// Usage:
//
//	portschema [-C DIR] <command> [flags]
//
// Commands:
//
//	regen    write every output from DIR/schema; unchanged files are not touched
//	check    write nothing; report stale, missing and orphaned outputs with a diff
//	vet      check the source and print errors and warnings
//	import   write a CUE source from hand-written compose, tunnel, Prometheus and doc files
//	audit    cross-check hand-written files and report their inconsistencies
//
// DIR is the project root (default "."): the source is DIR/schema/*.cue
// and output paths are relative to DIR.
//
// Exit status: 0 fine, 1 findings (invalid source, stale output, drift),
// 2 usage or I/O error. NO_COLOR is honoured; with GITHUB_ACTIONS=true
// errors are also printed as workflow annotations.
//
// regen, and a check that finds the tree up to date, leave a stamp in the
// user's cache directory: the hashes of the outputs, under a key made of
// the source, the definitions, the root and this binary. A check that
// finds the same key and the same outputs answers from it without
// evaluating anything; any difference means the full check.
// PORTSCHEMA_CACHE=DIR keeps stamps in DIR instead; PORTSCHEMA_CACHE=off
// turns them off.
//
// Only this file prints; every other package returns values and errors.
package main

//go:generate go run . regen

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/rogpeppe/go-internal/diff"

	"portschema/generators"
	"portschema/generators/alerts"
	"portschema/generators/output"
	"portschema/generators/prometheus"
	"portschema/schema"
	"portschema/schema/audit"
	"portschema/schema/importer"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

func main() {
	budgetMemory = true
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: portschema [-C DIR] <command> [flags]

commands:
  regen    write every output from DIR/schema; unchanged files are not touched
  check    write nothing; report stale, missing and orphaned outputs
  vet      check the source; print errors and warnings
  import   [--compose F]... [--cloudflared F]... [--prometheus F] [--doc F] -o DIR [--force]
           write a CUE source (DIR, usually ROOT/schema) from hand-written files
  audit    [--compose F]... [--cloudflared F]... [--prometheus F] [--doc F] [--json]
           cross-check hand-written files; exit 1 when they disagree

DIR is the project root (default "."): the source is DIR/schema/*.cue.
`

// run is the whole command line, returning the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	global := flag.NewFlagSet("portschema", flag.ContinueOnError)
	global.SetOutput(stderr)
	global.Usage = func() { fmt.Fprint(stderr, usage) }
	dir := global.String("C", ".", "project root")
	if err := global.Parse(args); err != nil {
		return exitUsage
	}
	if global.NArg() == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	cmd, rest := global.Arg(0), global.Args()[1:]
	commands := map[string]func(*cli, []string) int{
		"regen":  (*cli).regen,
		"check":  (*cli).check,
		"vet":    (*cli).vet,
		"import": (*cli).importFiles,
		"audit":  (*cli).audit,
	}
	f, ok := commands[cmd]
	if !ok {
		if cmd == "help" || cmd == "-h" {
			fmt.Fprint(stdout, usage)
			return exitOK
		}
		fmt.Fprintf(stderr, "portschema: unknown command %q\n%s", cmd, usage)
		return exitUsage
	}
	c := newCLI(*dir, stdout, stderr)
	return f(c, rest)
}

// cli carries what every command prints with.
type cli struct {
	root           string
	stdout, stderr io.Writer
	color          bool
	github         bool
	// display is the root as the user reaches it from the working
	// directory, so printed paths can be opened as they are.
	display string
	// tool names the running binary in check stamps (stamp.go); nil
	// means output.ToolIdentity. Tests stand in a rebuilt tool with it.
	tool func() string
}

func newCLI(root string, stdout, stderr io.Writer) *cli {
	c := &cli{root: root, stdout: stdout, stderr: stderr, display: root}
	if abs, err := filepath.Abs(root); err == nil && !filepath.IsAbs(root) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, abs); err == nil {
				c.display = rel
			}
		}
	}
	c.github = os.Getenv("GITHUB_ACTIONS") == "true"
	if f, ok := stderr.(*os.File); ok && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb" {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			c.color = true
		}
	}
	return c
}

// flags parses a command's flags; -C may also follow the command.
func (c *cli) flags(name string, args []string) (*flag.FlagSet, bool) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	dir := fs.String("C", "", "project root")
	if err := fs.Parse(args); err != nil {
		return nil, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "portschema %s: unexpected argument %q\n", name, fs.Arg(0))
		return nil, false
	}
	if *dir != "" {
		*c = *newCLI(*dir, c.stdout, c.stderr)
	}
	return fs, true
}

// load reads and validates the source; it returns an exit code when the
// command cannot go on.
func (c *cli) load() (*schema.Platform, int) {
	setMemoryBudget(c.root)
	p, err := schema.Load(c.root)
	if err != nil {
		return nil, c.report(err)
	}
	return p, exitOK
}

// generate runs every generator.
func (c *cli) generate(p *schema.Platform) ([]output.File, int) {
	files, err := generators.Run(p)
	if err != nil {
		return nil, c.report(err)
	}
	return files, exitOK
}

// report prints an error of the pipeline and returns its exit code:
// problems in the source are findings (1), anything else is an I/O
// error (2).
func (c *cli) report(err error) int {
	var ds schema.Diagnostics
	if errors.As(err, &ds) {
		c.printDiagnostics(ds)
		c.failf("%d %s in the source", len(ds), plural(len(ds), "error", "errors"))
		return exitFindings
	}
	c.failf("%v", err)
	return exitUsage
}

// build loads the source and runs every generator: the pipeline regen
// and check share, with its two endings (write, compare) left to them.
func (c *cli) build() (*schema.Platform, []output.File, int) {
	p, code := c.load()
	if p == nil {
		return nil, nil, code
	}
	files, code := c.generate(p)
	return p, files, code
}

func (c *cli) regen(args []string) int {
	if _, ok := c.flags("regen", args); !ok {
		return exitUsage
	}
	p, code := c.load()
	if p == nil {
		return code
	}
	w, err := output.NewTree(c.root).Begin()
	if err != nil {
		c.failf("%v", err)
		return exitUsage
	}
	defer w.Close()
	files, err := generators.RunStaging(p, w.Stage)
	if err != nil {
		return c.report(err)
	}
	changes, err := w.Commit(files)
	if err != nil {
		c.failf("%v", err)
		return exitUsage
	}
	c.saveStamp(p, changes, true)
	counts := map[output.ChangeKind]int{}
	for _, ch := range changes {
		counts[ch.Kind]++
		switch ch.Kind {
		case output.Missing:
			fmt.Fprintf(c.stdout, "wrote   %s\n", c.path(ch.Path))
		case output.Stale:
			fmt.Fprintf(c.stdout, "updated %s\n", c.path(ch.Path))
		case output.Orphaned:
			fmt.Fprintf(c.stdout, "removed %s\n", c.path(ch.Path))
		}
	}
	fmt.Fprintf(c.stderr, "regen: %d written, %d updated, %d removed, %d unchanged\n",
		counts[output.Missing], counts[output.Stale], counts[output.Orphaned], counts[output.Unchanged])
	return exitOK
}

func (c *cli) check(args []string) int {
	if _, ok := c.flags("check", args); !ok {
		return exitUsage
	}
	if c.stampHolds() {
		return exitOK // nothing changed since a run found the tree up to date
	}
	p, files, code := c.build()
	if code != exitOK {
		return code
	}
	changes, err := output.NewTree(c.root).Plan(files)
	if err != nil {
		c.failf("%v", err)
		return exitUsage
	}
	bad := 0
	for _, ch := range changes {
		if ch.Kind == output.Unchanged || (ch.Kind == output.Missing && ch.Local) {
			continue
		}
		bad++
		name := c.path(ch.Path)
		switch ch.Kind {
		case output.Missing:
			fmt.Fprintf(c.stdout, "%s: missing\n", name)
		case output.Orphaned:
			fmt.Fprintf(c.stdout, "%s: orphaned (no longer generated)\n", name)
		case output.Stale:
			fmt.Fprintf(c.stdout, "%s: stale\n", name)
		}
		c.annotate(ch.Path, 0, 0, fmt.Sprintf("%s is %s; run portschema regen", ch.Path, ch.Kind))
		c.stdout.Write(diff.Diff(name+" (on disk)", ch.Old, name+" (generated)", ch.New))
	}
	if bad > 0 {
		fix := "portschema regen"
		if c.display != "." {
			fix = "portschema -C " + c.display + " regen"
		}
		c.failf("%d generated %s out of date; run `%s` (or `make regen`) and commit the result",
			bad, plural(bad, "file is", "files are"), fix)
		return exitFindings
	}
	c.saveStamp(p, changes, false)
	return exitOK
}

func (c *cli) vet(args []string) int {
	if _, ok := c.flags("vet", args); !ok {
		return exitUsage
	}
	p, code := c.load()
	if p == nil {
		return code
	}
	if _, code := c.generate(p); code != exitOK {
		c.printDiagnostics(p.Warnings)
		return code
	}
	// Alert rules the source names must select jobs that exist.
	alerts, err := prometheus.CheckAlerts(p, func(path string) ([]byte, error) {
		return os.ReadFile(filepath.Join(c.root, filepath.FromSlash(path)))
	})
	if err != nil {
		c.failf("%v", err)
		return exitUsage
	}
	ds := append(append(append(schema.Diagnostics{}, p.Warnings...), alerts...), generatorWarnings(p)...).Sort()
	c.printDiagnostics(ds)
	errs := 0
	for _, d := range ds {
		if d.Severity == schema.Error {
			errs++
		}
	}
	warns := len(ds) - errs
	if errs > 0 {
		c.failf("%d %s in the source", errs, plural(errs, "error", "errors"))
		return exitFindings
	}
	fmt.Fprintf(c.stderr, "vet: %d services on %d hosts in %d ranges; %d %s\n",
		len(p.Services), len(p.Hosts), len(p.Ranges), warns, plural(warns, "warning", "warnings"))
	return exitOK
}

// generatorWarnings are the warnings of the outputs' own checks; their
// errors already failed the run.
func generatorWarnings(p *schema.Platform) schema.Diagnostics {
	var out schema.Diagnostics
	for _, d := range alerts.Check(p) {
		if d.Severity == schema.Warning {
			out = append(out, d)
		}
	}
	return out
}

// handwrittenFlags are the inputs import and audit read.
type handwrittenFlags struct {
	compose, cloudflared stringList
	prometheus, doc      string
}

func (h *handwrittenFlags) register(fs *flag.FlagSet) {
	fs.Var(&h.compose, "compose", "a docker compose file (repeatable)")
	fs.Var(&h.cloudflared, "cloudflared", "a cloudflared config file (repeatable)")
	fs.StringVar(&h.prometheus, "prometheus", "", "a Prometheus config file")
	fs.StringVar(&h.doc, "doc", "", "a Markdown port document")
}

func (h *handwrittenFlags) empty() bool {
	return len(h.compose) == 0 && len(h.cloudflared) == 0 && h.prometheus == "" && h.doc == ""
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func (c *cli) importFiles(args []string) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var in handwrittenFlags
	in.register(fs)
	dir := fs.String("o", "", "directory to write the source into (usually ROOT/schema)")
	force := fs.Bool("force", false, "write into a directory that already holds files")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *dir == "" || in.empty() || fs.NArg() > 0 {
		fmt.Fprintln(c.stderr, "usage: portschema import [--compose F]... [--cloudflared F]... [--prometheus F] [--doc F] -o DIR [--force]")
		return exitUsage
	}
	report, err := importer.Import(importer.Inputs{Compose: in.compose, Cloudflared: in.cloudflared,
		Prometheus: in.prometheus, Doc: in.doc, Force: *force}, *dir)
	if err != nil {
		c.failf("import: %v", err)
		return exitUsage
	}
	for _, f := range report.Findings {
		fmt.Fprintln(c.stderr, f)
	}
	for _, f := range report.Files {
		fmt.Fprintf(c.stdout, "wrote   %s\n", f)
	}
	fmt.Fprintf(c.stderr, "import: %d files written, %d %s to review (each also a comment in the source); next: portschema -C %s regen\n",
		len(report.Files), len(report.Findings), plural(len(report.Findings), "decision", "decisions"), filepath.Dir(filepath.Clean(*dir)))
	return exitOK
}

func (c *cli) audit(args []string) int {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var in handwrittenFlags
	in.register(fs)
	asJSON := fs.Bool("json", false, "print the findings as JSON")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if in.empty() || fs.NArg() > 0 {
		fmt.Fprintln(c.stderr, "usage: portschema audit [--compose F]... [--cloudflared F]... [--prometheus F] [--doc F] [--json]")
		return exitUsage
	}
	findings, err := audit.Audit(audit.Inputs{Compose: in.compose, Cloudflared: in.cloudflared, Prometheus: in.prometheus, Doc: in.doc})
	if err != nil {
		c.failf("audit: %v", err)
		return exitUsage
	}
	format := audit.Human
	if *asJSON {
		format = audit.JSON
	}
	if err := audit.Write(c.stdout, findings, format); err != nil {
		c.failf("audit: %v", err)
		return exitUsage
	}
	for _, f := range findings {
		if len(f.Locations) > 0 {
			c.annotate(f.Locations[0].File, f.Locations[0].Line, 0, string(f.Kind)+": "+f.Message)
		}
	}
	if len(findings) > 0 {
		return exitFindings
	}
	return exitOK
}

// printDiagnostics prints each diagnostic at a path the user can open
// from the working directory, and as a GitHub annotation where asked.
func (c *cli) printDiagnostics(ds schema.Diagnostics) {
	for _, d := range ds {
		d.Pos = c.rebase(d.Pos)
		for i := range d.Related {
			d.Related[i] = c.rebase(d.Related[i])
		}
		line := d.String()
		if c.color {
			line = c.colorize(d, line)
		}
		fmt.Fprintln(c.stderr, line)
		if d.Severity == schema.Error {
			c.annotate(d.Pos.File, d.Pos.Line, d.Pos.Col, d.Message)
		}
	}
}

func (c *cli) colorize(d schema.Diagnostic, line string) string {
	pos := d.Pos.String()
	if pos == "" {
		return line
	}
	code := "31" // red
	if d.Severity == schema.Warning {
		code = "33" // yellow
	}
	return "\x1b[1m" + pos + "\x1b[0m" + "\x1b[" + code + "m" + strings.TrimPrefix(line, pos) + "\x1b[0m"
}

// annotate prints a GitHub Actions error annotation.
func (c *cli) annotate(file string, line, col int, msg string) {
	if !c.github {
		return
	}
	props := "file=" + escapeProperty(file)
	if line > 0 {
		props += fmt.Sprintf(",line=%d,col=%d", line, col)
	}
	fmt.Fprintf(c.stdout, "::error %s::%s\n", props, escapeData(msg))
}

// escapeData and escapeProperty follow the workflow command rules.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// rebase turns a root-relative position into one relative to the
// working directory.
func (c *cli) rebase(p schema.Pos) schema.Pos {
	if p.File != "" {
		p.File = c.path(p.File)
	}
	return p
}

func (c *cli) path(rel string) string {
	if c.display == "." || filepath.IsAbs(rel) {
		return rel
	}
	return filepath.ToSlash(filepath.Join(c.display, rel))
}

// failf prints the one-line summary of a failed command.
func (c *cli) failf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if c.color {
		msg = "\x1b[31m" + msg + "\x1b[0m"
	}
	fmt.Fprintln(c.stderr, "portschema: "+msg)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// stampHolds reports whether the stamp of the last run vouches for the
// tree as it is now, so that check may skip evaluation.
func (c *cli) stampHolds() bool {
	absRoot, err := filepath.Abs(c.root)
	if err != nil {
		return false
	}
	file := output.StampPath(absRoot)
	if file == "" {
		return false
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	var s output.Stamp
	if s.UnmarshalText(data) != nil {
		return false
	}
	digest, err := schema.SourceDigest(absRoot)
	if err != nil || s.Key != output.StampKey(absRoot, digest, c.toolID()) {
		return false
	}
	return output.NewTree(absRoot).Verify(s)
}

// saveStamp records that the tree is up to date with what p generates:
// changes as regen wrote them (written) or as check found them. A
// stamp that cannot be written only costs the next check its shortcut.
func (c *cli) saveStamp(p *schema.Platform, changes []output.Change, written bool) {
	file := output.StampPath(p.Root)
	key := output.StampKey(p.Root, p.SourceDigest, c.toolID())
	if file == "" || key == "" {
		return
	}
	s := output.StampOf(key, changes, written)
	for _, rel := range p.Outputs.AlertRules {
		f := output.StampedFile{Path: rel}
		if data, err := os.ReadFile(filepath.Join(p.Root, filepath.FromSlash(rel))); err == nil {
			f = output.StampFile(rel, data)
		}
		s.Inputs = append(s.Inputs, f)
	}
	data, err := s.MarshalText()
	if err != nil {
		return
	}
	output.WriteAtomic(file, data)
}

// toolID is the identity of the tool that runs.
func (c *cli) toolID() string {
	if c.tool != nil {
		return c.tool()
	}
	return output.ToolIdentity()
}

// The garbage collector's policy is the command's, kept out of the
// schema package so that other users of the model keep Go's default.
//
// By default Go collects whenever the heap has doubled. A run
// allocates many times its live heap (CUE's evaluation of every part of
// the source, compose-go's loader, the outputs), nearly all of it dead
// young, so collecting by growth traces the same small live heap over
// and over. Instead the command gives itself a memory budget in
// proportion to the source and collects only when the heap reaches it:
// few collections, and a peak bounded by the budget. The budget is well
// under what `cue export` needs for the same source (about 275 bytes per
// byte of source at 1,000 and 10,000 services) and over twice the live
// heap a run holds at its fullest (about 70 bytes per byte); a source
// that needs more makes the collector work harder, never fail.
// GOGC or GOMEMLIMIT in the environment take precedence.

// budgetMemory is set by main: tests calling run keep Go's default.
var budgetMemory bool

// Memory budget: budgetBase plus budgetPerByte per byte of source.
const (
	budgetBase    = 32 << 20
	budgetPerByte = 160
)

// setMemoryBudget sets the collector's budget for the source at root.
func setMemoryBudget(root string) {
	if !budgetMemory || os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	size := int64(len(schema.Definitions))
	files, _ := filepath.Glob(filepath.Join(root, schema.SourceDir, "*.cue"))
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			size += fi.Size()
		}
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(budgetBase + budgetPerByte*size)
}
