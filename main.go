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
// the source, the definitions, the root and this binary. A check or a
// regen that finds the same key and the same outputs answers from it
// without evaluating anything; any difference means the full run, which
// takes from the same cache what each part of the source evaluated to and
// compose-go's verdict on each service, keyed by the bytes they read (see
// package memo). PORTSCHEMA_CACHE=DIR keeps the cache in DIR instead;
// PORTSCHEMA_CACHE=off turns it off.
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
	"portschema/generators/output"
	"portschema/generators/stamp"
	"portschema/schema"
	"portschema/schema/adoption/audit"
	"portschema/schema/adoption/handwritten"
	"portschema/schema/adoption/importer"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, setMemoryBudget))
}

const usage = `usage: portschema [-C DIR] <command> [flags]

commands:
  regen    write every output from DIR/schema; unchanged files are not touched
  check    write nothing; report stale, missing and orphaned outputs
  vet      [-v] check the source; print errors and unacknowledged warnings
           (-v also lists the acknowledged ones, with their reasons)
  import   [--compose F[,F...]]... [--env-file F]... [--cloudflared F]... [--prometheus F] [--doc F] [--env F]... [--alerts F]... [--logs F]...
           -o DIR [--force]
           write a CUE source (DIR, usually ROOT/schema) from hand-written files
  audit    [--compose F[,F...]]... [--env-file F]... [--cloudflared F]... [--prometheus F] [--doc F] [--env F]... [--alerts F]... [--logs F]...
           [--json] [--min-confidence certain|likely]
           cross-check hand-written files; exit 1 when they disagree

DIR is the project root (default "."): the source is DIR/schema/*.cue.
`

// run is the whole command line, returning the exit code. budget, if
// not nil, is called with the project root before the pipeline runs,
// to set the collector's policy (main passes setMemoryBudget; tests
// keep Go's default).
func run(args []string, stdout, stderr io.Writer, budget func(root string)) int {
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
	c.budget = budget
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
	// tool names the running binary in check stamps; nil means
	// stamp.ToolIdentity. Tests stand in a rebuilt tool with it.
	tool func() string
	// budget is run's: the collector's policy for a root, or nil.
	budget func(root string)
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
	if name == "vet" {
		fs.Bool("v", false, "also list the warnings the source acknowledges, with their reasons")
	}
	if err := fs.Parse(args); err != nil {
		return nil, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "portschema %s: unexpected argument %q\n", name, fs.Arg(0))
		return nil, false
	}
	if *dir != "" {
		budget, tool := c.budget, c.tool
		*c = *newCLI(*dir, c.stdout, c.stderr)
		c.budget, c.tool = budget, tool
	}
	return fs, true
}

// build runs the pipeline (generators.Build) with an ending; it returns
// an exit code when the command cannot go on.
func (c *cli) build(ending output.Ending) (*generators.Result, int) {
	if c.budget != nil {
		c.budget(c.root)
	}
	res, err := generators.Build(c.root, ending)
	if err != nil {
		return nil, c.report(err)
	}
	return res, exitOK
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

func (c *cli) regen(args []string) int {
	if _, ok := c.flags("regen", args); !ok {
		return exitUsage
	}
	if n, ok := stamp.Written(c.root, c.toolID()); ok {
		// The tree is what this source makes: nothing to write.
		fmt.Fprintf(c.stderr, "regen: 0 written, 0 updated, 0 removed, %d unchanged\n", n)
		return exitOK
	}
	res, code := c.build(output.Write)
	if res == nil {
		return code
	}
	stamp.Save(res, c.toolID(), true)
	counts := map[output.ChangeKind]int{}
	for _, ch := range res.Changes {
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
	if stamp.Holds(c.root, c.toolID()) {
		return exitOK // nothing changed since a run found the tree up to date
	}
	res, code := c.build(output.Compare)
	if res == nil {
		return code
	}
	bad := 0
	for _, ch := range res.Changes {
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
	stamp.Save(res, c.toolID(), false)
	return exitOK
}

func (c *cli) vet(args []string) int {
	fs, ok := c.flags("vet", args)
	if !ok {
		return exitUsage
	}
	verbose := fs.Lookup("v").Value.(flag.Getter).Get().(bool)
	res, code := c.build(output.Discard)
	if res == nil {
		return code
	}
	c.printDiagnostics(res.Warnings)
	if verbose {
		c.printDiagnostics(res.Acknowledged)
	}
	p, warns, acked := res.Platform, len(res.Warnings), len(res.Acknowledged)
	fmt.Fprintf(c.stderr, "vet: %d services on %d hosts in %d ranges; %d %s",
		len(p.Services), len(p.Hosts), len(p.Ranges), warns, plural(warns, "warning", "warnings"))
	switch {
	case acked > 0 && verbose:
		fmt.Fprintf(c.stderr, " (%d acknowledged)", acked)
	case acked > 0:
		fmt.Fprintf(c.stderr, " (%d acknowledged; vet -v lists them)", acked)
	}
	fmt.Fprintln(c.stderr)
	return exitOK
}

// handwrittenFlags are the inputs import and audit read.
type handwrittenFlags struct {
	compose, cloudflared, envFiles, env, alerts, logs stringList
	prometheus, doc                                   string
}

func (h *handwrittenFlags) register(fs *flag.FlagSet) {
	fs.Var(&h.compose, "compose", "a docker compose project: one file, or files merged as one, comma-separated (repeatable)")
	fs.Var(&h.envFiles, "env-file", "a dotenv file compose reads variables and COMPOSE_PROJECT_NAME from, as docker compose --env-file (repeatable)")
	fs.Var(&h.cloudflared, "cloudflared", "a cloudflared config file (repeatable)")
	fs.StringVar(&h.prometheus, "prometheus", "", "a Prometheus config file")
	fs.StringVar(&h.doc, "doc", "", "a Markdown port document")
	fs.Var(&h.env, "env", "a dotenv file: a host's .env or a service's own (repeatable)")
	fs.Var(&h.alerts, "alerts", "a Prometheus alerting rule file (repeatable)")
	fs.Var(&h.logs, "logs", "a log-shipping config, such as promtail's (repeatable)")
	fs.Var(&h.logs, "promtail", "a promtail config (the same as --logs)")
}

func (h *handwrittenFlags) inputs() handwritten.Inputs {
	// A file compose reads variables from is also a dotenv file to
	// cross-check.
	env := append(append([]string{}, h.envFiles...), h.env...)
	return handwritten.Inputs{Compose: h.compose, EnvFiles: h.envFiles, Cloudflared: h.cloudflared, Prometheus: h.prometheus, Doc: h.doc,
		Env: env, Alerts: h.alerts, Logs: h.logs}
}

func (h *handwrittenFlags) empty() bool {
	return len(h.compose) == 0 && len(h.cloudflared) == 0 && h.prometheus == "" && h.doc == "" &&
		len(h.env) == 0 && len(h.alerts) == 0 && len(h.logs) == 0
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
		fmt.Fprintln(c.stderr, "usage: portschema import [--compose F[,F...]]... [--env-file F]... [--cloudflared F]... [--prometheus F] [--doc F] [--env F]... [--alerts F]... [--logs F]... -o DIR [--force]")
		return exitUsage
	}
	report, err := importer.Import(in.inputs(), *dir, *force)
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
	minConfidence := fs.String("min-confidence", string(audit.Likely), "report only findings at least this sure: certain or likely")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	least, ok := audit.ParseConfidence(*minConfidence)
	if !ok {
		fmt.Fprintf(c.stderr, "audit: --min-confidence is %q; it takes certain or likely\n", *minConfidence)
		return exitUsage
	}
	if in.empty() || fs.NArg() > 0 {
		fmt.Fprintln(c.stderr, "usage: portschema audit [--compose F[,F...]]... [--env-file F]... [--cloudflared F]... [--prometheus F] [--doc F] [--env F]... [--alerts F]... [--logs F]... [--json] [--min-confidence certain|likely]")
		return exitUsage
	}
	findings, err := audit.Audit(in.inputs())
	if err != nil {
		c.failf("audit: %v", err)
		return exitUsage
	}
	findings = findings.AtLeast(least)
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

// toolID is the identity of the tool that runs.
func (c *cli) toolID() string {
	if c.tool != nil {
		return c.tool()
	}
	return stamp.ToolIdentity()
}

// The garbage collector's policy is the command's: main hands it to run,
// which sets it for the root before the pipeline runs, so that other
// users of the model and the pipeline (tests among them) keep Go's
// default.
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

// Memory budget: budgetBase plus budgetPerByte per byte of source,
// comment lines left out.
const (
	budgetBase    = 32 << 20
	budgetPerByte = 160
)

// setMemoryBudget sets the collector's budget for the source at root;
// main passes it to run.
func setMemoryBudget(root string) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	size := int64(len(schema.Definitions))
	files, _ := filepath.Glob(filepath.Join(root, schema.SourceDir, "*.cue"))
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil {
			size += int64(codeBytes(data))
		}
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(budgetBase + budgetPerByte*size)
}

// codeBytes is the length of a source file without its comment lines,
// which evaluation does not keep: a source `import` wrote is half
// comments, and a budget that counted them would exceed `cue export`'s
// peak.
func codeBytes(data []byte) int {
	n := 0
	for line := range strings.Lines(string(data)) {
		if !strings.HasPrefix(strings.TrimLeft(line, " \t"), "//") {
			n += len(line)
		}
	}
	return n
}
