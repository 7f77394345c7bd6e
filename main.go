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
//	check    write nothing; report stale, missing, orphaned and stray outputs
//	vet      check the source and print errors and warnings
//	ports    list the ports in use and each range's free ports (--next: the first free one)
//	explain  say what the platform derives from one service
//	diff     the platform-level change since a git revision (--markdown for a pull request)
//	import   write a CUE source from hand-written compose, tunnel, Prometheus and doc files
//	audit    cross-check hand-written files and report their inconsistencies
//
// `portschema help CMD` and `portschema CMD --help` explain a command;
// `portschema --version` prints the module version and VCS revision.
// DIR is the project root (default "."): the source is DIR/schema/*.cue
// and output paths are relative to DIR. -C may also follow the command.
//
// Exit status: 0 fine (and asked-for help), 1 findings (invalid source,
// stale output, drift), 2 usage or I/O error. NO_COLOR is honoured. With
// GITHUB_ACTIONS=true, errors and warnings are also printed as workflow
// annotations; check writes a step summary to GITHUB_STEP_SUMMARY.
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
	"bytes"
	"encoding/json"
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
	"portschema/schema/review/explain"
	"portschema/schema/review/inventory"
	"portschema/schema/review/platformdiff"
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

// command is one subcommand: its flags in one line, what it does in
// one line for the usage list, the text `portschema help CMD` prints,
// and what runs it.
type command struct {
	name, synopsis, summary, help string
	run                           func(*cli, []string) int
}

// commands lists the subcommands in the order the usage shows them.
func commands() []command {
	return []command{
		{"regen", "[-C DIR]", "write every output from DIR/schema; unchanged files are not touched", helpRegen, (*cli).regen},
		{"check", "[-C DIR]", "write nothing; report stale, missing, orphaned and stray outputs", helpCheck, (*cli).check},
		{"vet", "[-C DIR] [-v]", "check the source; print errors and unacknowledged warnings", helpVet, (*cli).vet},
		{"ports", "[-C DIR] [--host H] [--range R] [--next] [--json]", "list the ports in use and each range's free ports", helpPorts, (*cli).ports},
		{"explain", "[-C DIR] SERVICE", "say what the platform derives from one service", helpExplain, (*cli).explain},
		{"diff", "[-C DIR] [--markdown] [REV]", "the platform-level change since a git revision", helpDiff, (*cli).diff},
		{"import", "[--compose F[,F...]]... [--env-file F]... [--cloudflared F]... [--prometheus F] [--doc F]... [--env F]... [--alerts F]... [--logs F]... -o DIR [--force]",
			"write a CUE source from hand-written files", helpImport, (*cli).importFiles},
		{"audit", "[--compose F[,F...]]... [--env-file F]... [--cloudflared F]... [--prometheus F] [--doc F]... [--env F]... [--alerts F]... [--logs F]... [--json] [--min-confidence certain|likely]",
			"cross-check hand-written files; exit 1 when they disagree", helpAudit, (*cli).audit},
	}
}

func lookupCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// usage is the overview `portschema help` prints.
func usage() string {
	var b strings.Builder
	b.WriteString("usage: portschema [-C DIR] <command> [flags]\n       portschema help <command>\n       portschema --version\n\ncommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-8s %s\n", c.name, c.summary)
	}
	b.WriteString("\nDIR is the project root (default \".\"): the source is DIR/schema/*.cue.\n")
	b.WriteString("Exit status: 0 fine, 1 findings, 2 usage or I/O error.\n")
	return b.String()
}

// run is the whole command line, returning the exit code. budget, if
// not nil, is called with the project's source, read, before the
// pipeline runs, to set the collector's policy (main passes
// setMemoryBudget; tests keep Go's default).
func run(args []string, stdout, stderr io.Writer, budget func(*schema.Source)) int {
	global := flag.NewFlagSet("portschema", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	dir := global.String("C", ".", "project root")
	version := global.Bool("version", false, "print the version")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage())
			return exitOK
		}
		fmt.Fprintf(stderr, "portschema: %v\n%s", err, usage())
		return exitUsage
	}
	if *version {
		bi, _ := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, versionLine(bi))
		return exitOK
	}
	if global.NArg() == 0 {
		fmt.Fprint(stderr, usage())
		return exitUsage
	}
	name, rest := global.Arg(0), global.Args()[1:]
	if name == "help" {
		return help(rest, stdout, stderr)
	}
	cmd, ok := lookupCommand(name)
	if !ok {
		fmt.Fprintf(stderr, "portschema: unknown command %q%s\n%s", name, schema.DidYouMean(name, commandNames()), usage())
		return exitUsage
	}
	c := newCLI(*dir, stdout, stderr)
	c.budget = budget
	return cmd.run(c, rest)
}

// help prints the overview, or one command's help; asked-for help is
// not an error.
func help(args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		fmt.Fprint(stdout, usage())
		return exitOK
	case 1:
		if cmd, ok := lookupCommand(args[0]); ok {
			fmt.Fprint(stdout, commandHelp(cmd))
			return exitOK
		}
		fmt.Fprintf(stderr, "portschema help: unknown command %q%s\n", args[0], schema.DidYouMean(args[0], commandNames()))
	default:
		fmt.Fprintln(stderr, "usage: portschema help <command>")
	}
	return exitUsage
}

func commandNames() []string {
	var out []string
	for _, c := range commands() {
		out = append(out, c.name)
	}
	return out
}

// commandHelp is the text of `portschema help CMD` and `CMD --help`.
func commandHelp(cmd command) string {
	return "usage: portschema " + cmd.name + " " + cmd.synopsis + "\n\n" + strings.TrimLeft(cmd.help, "\n")
}

// versionLine says which portschema this is: the module version and the
// VCS revision it was built from, as the Go toolchain recorded them.
func versionLine(bi *debug.BuildInfo) string {
	if bi == nil {
		return "portschema (no build information)"
	}
	line := "portschema " + bi.Main.Version
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	if rev := settings["vcs.revision"]; rev != "" {
		line += ", revision " + rev
		if t := settings["vcs.time"]; t != "" {
			line += " (" + t + ")"
		}
		if settings["vcs.modified"] == "true" {
			line += ", with uncommitted changes"
		}
	}
	return line + ", " + bi.GoVersion
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
	// budget is run's: the collector's policy for a source, or nil.
	budget func(*schema.Source)
	// read is what regen's shortcut read (the last stamp, and the
	// source if it had to), for the build to start from; nil when no
	// shortcut looked.
	read *stamp.Read
	// last is the stamp of the last run, as build read it for a write.
	last *stamp.Last
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

// parse parses a command's flags, with -C (which may also follow the
// command) and -h/--help, and returns its positional arguments; flags
// may come before or after them. ok is false when the command is not
// to run: code is then 0 for asked-for help, 2 for a usage error.
func (c *cli) parse(name string, fs *flag.FlagSet, args []string, min, max int) (pos []string, code int, ok bool) {
	fs.SetOutput(io.Discard)
	dir := new(string)
	if cmd, _ := lookupCommand(name); strings.Contains(cmd.synopsis, "-C DIR") {
		dir = fs.String("C", "", "project root")
	}
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			cmd, _ := lookupCommand(name)
			fmt.Fprint(c.stdout, commandHelp(cmd))
			return nil, exitOK, false
		}
		if err != nil {
			return nil, c.usageError(name, err.Error()), false
		}
		if fs.NArg() == 0 {
			break
		}
		pos, args = append(pos, fs.Arg(0)), fs.Args()[1:]
	}
	switch {
	case len(pos) > max:
		return nil, c.usageError(name, fmt.Sprintf("unexpected argument %q", pos[max])), false
	case len(pos) < min:
		return nil, c.usageError(name, "missing argument"), false
	}
	if *dir != "" {
		budget, tool := c.budget, c.tool
		*c = *newCLI(*dir, c.stdout, c.stderr)
		c.budget, c.tool = budget, tool
	}
	return pos, exitOK, true
}

// usageError prints a command-line mistake with the command's usage.
func (c *cli) usageError(name, msg string) int {
	cmd, _ := lookupCommand(name)
	fmt.Fprintf(c.stderr, "portschema %s: %s\nusage: portschema %s %s\n", name, msg, name, cmd.synopsis)
	return exitUsage
}

// build runs the pipeline (generators.Build) with an ending; it returns
// an exit code when the command cannot go on.
func (c *cli) build(ending output.Ending) (*generators.Result, int) {
	hooks := generators.Hooks{Waiting: c.waiting}
	if c.read != nil {
		hooks.Source = c.read.Source
	}
	if hooks.Source == nil {
		src, err := schema.ReadSource(c.root)
		if err != nil {
			return nil, c.report(err)
		}
		hooks.Source = src
	}
	c.setBudget(hooks.Source)
	c.last = nil
	if ending != output.Discard {
		if c.read != nil {
			c.last = c.read.Last()
		} else {
			c.last = stamp.ReadLast(c.root)
		}
		if c.last != nil {
			hooks.Known = c.last.Known
		}
	}
	res, err := generators.BuildWith(c.root, ending, hooks)
	if err != nil {
		return nil, c.report(err)
	}
	return res, exitOK
}

// setBudget sets the collector's budget for src (nil: the base alone),
// where run was given a policy.
func (c *cli) setBudget(src *schema.Source) {
	if c.budget != nil {
		c.budget(src)
	}
}

// upToDate is regen's shortcut: it reports whether the stamp vouches
// for the tree as a regen would leave it, with the number of outputs;
// then there is nothing to write. Once the stamp is known to be of the
// source as it is, it looks at the outputs under the lock a write would
// take, so that it never vouches for a tree another run is writing;
// done is also set, with an exit code, when that lock cannot be taken.
func (c *cli) upToDate() (n int, done bool, code int) {
	c.setBudget(nil) // the base, until the source is read (see setMemoryBudget)
	abs, err := filepath.Abs(c.root)
	if err != nil {
		return 0, false, exitOK
	}
	keyed, read := stamp.Keyed(abs, c.toolID())
	if !keyed {
		c.read = read
		return 0, false, exitOK // the full run, which says what is wrong
	}
	tree := output.NewTree(abs)
	tree.Waiting = c.waiting
	unlock, err := tree.Lock()
	if err != nil {
		return 0, true, c.report(err)
	}
	defer unlock()
	n, ok := stamp.Written(c.root, c.toolID())
	return n, ok, exitOK
}

// waiting tells the user that a run waits for another's lock.
func (c *cli) waiting(lock string) {
	fmt.Fprintf(c.stderr, "portschema: waiting for another run on this root to finish (it holds %s)\n", filepath.Join(c.display, lock))
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
	if _, code, ok := c.parse("regen", flag.NewFlagSet("regen", flag.ContinueOnError), args, 0, 0); !ok {
		return code
	}
	if n, done, code := c.upToDate(); done {
		if code == exitOK {
			fmt.Fprintf(c.stderr, "regen: 0 written, 0 updated, 0 removed, %d unchanged\n", n)
		}
		return code
	}
	res, code := c.build(output.Write)
	if res == nil {
		return code
	}
	stamp.Save(res, c.toolID(), true, c.last)
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
	if _, code, ok := c.parse("check", flag.NewFlagSet("check", flag.ContinueOnError), args, 0, 0); !ok {
		return code
	}
	// Under GitHub Actions the full check runs, for its annotations and
	// summary.
	if !c.github {
		c.setBudget(nil) // the base, until the source is read (see setMemoryBudget)
		holds, read := stamp.Holds(c.root, c.toolID())
		if holds {
			return exitOK // nothing changed since a run found the tree up to date
		}
		c.read = read
	}
	res, code := c.build(output.Compare)
	if res == nil {
		c.summarize(nil, nil, nil, "the source has errors; they are annotated at their lines")
		return code
	}
	if c.github {
		c.annotateAll(res.Warnings)
	}
	strays, err := output.NewTree(c.root).Strays(res.Files)
	if err != nil {
		c.failf("%v", err)
		return exitUsage
	}
	var out []output.Change
	for _, ch := range res.Changes {
		if ch.Kind == output.Unchanged || (ch.Kind == output.Missing && ch.Local) {
			continue
		}
		out = append(out, ch)
		name := c.path(ch.Path)
		switch ch.Kind {
		case output.Missing:
			fmt.Fprintf(c.stdout, "%s: missing\n", name)
			c.annotate("error", name, 0, 0, ch.Path+" is missing; run portschema regen")
		case output.Orphaned:
			fmt.Fprintf(c.stdout, "%s: orphaned (no longer generated)\n", name)
			c.annotate("error", name, 1, 1, ch.Path+" is no longer generated; run portschema regen to remove it")
		case output.Stale:
			fmt.Fprintf(c.stdout, "%s: stale\n", name)
			c.annotate("error", name, output.FirstDifference(ch.Old, ch.New), 1, ch.Path+" is stale from this line on; run portschema regen")
			old, new := ch.Shown()
			c.stdout.Write(diff.Diff(name+" (on disk)", old, name+" (generated)", new))
		}
	}
	for _, st := range strays {
		name := c.path(st.Path)
		what := "not generated by portschema, and in no manifest; delete it or move it out of " + output.OutDir + "/"
		if st.Temporary {
			what = "a temporary file left by an interrupted run; portschema regen removes it"
		}
		fmt.Fprintf(c.stdout, "%s: %s\n", name, what)
		c.annotate("error", name, 0, 0, st.Path+": "+what)
	}
	c.summarize(res, out, strays, "")
	if len(out) == 0 && len(strays) == 0 {
		stamp.Save(res, c.toolID(), false, c.last)
		return exitOK
	}
	fix := "portschema regen"
	if c.display != "." {
		fix = "portschema -C " + c.display + " regen"
	}
	if n := len(out) + countTemporary(strays); n > 0 {
		c.failf("%d generated %s out of date; run `%s` (or `make regen`) and commit the result",
			n, plural(n, "file is", "files are"), fix)
	}
	if n := len(strays) - countTemporary(strays); n > 0 {
		c.failf("%d %s in %s/ not generated by portschema; delete or move %s",
			n, plural(n, "file is", "files are"), output.OutDir, plural(n, "it", "them"))
	}
	return exitFindings
}

func countTemporary(strays []output.Stray) int {
	n := 0
	for _, st := range strays {
		if st.Temporary {
			n++
		}
	}
	return n
}

func (c *cli) vet(args []string) int {
	fs := flag.NewFlagSet("vet", flag.ContinueOnError)
	verbose := fs.Bool("v", false, "also list the warnings the source acknowledges, with their reasons")
	if _, code, ok := c.parse("vet", fs, args, 0, 0); !ok {
		return code
	}
	res, code := c.build(output.Discard)
	if res == nil {
		return code
	}
	c.printDiagnostics(res.Warnings)
	if *verbose {
		c.printDiagnostics(res.Acknowledged)
	}
	p, warns, acked := res.Platform, len(res.Warnings), len(res.Acknowledged)
	fmt.Fprintf(c.stderr, "vet: %d services on %d hosts in %d ranges; %d %s",
		len(p.Services), len(p.Hosts), len(p.Ranges), warns, plural(warns, "warning", "warnings"))
	switch {
	case acked > 0 && *verbose:
		fmt.Fprintf(c.stderr, " (%d acknowledged)", acked)
	case acked > 0:
		fmt.Fprintf(c.stderr, " (%d acknowledged; vet -v lists them)", acked)
	}
	fmt.Fprintln(c.stderr)
	return exitOK
}

// handwrittenFlags are the inputs import and audit read.
type handwrittenFlags struct {
	compose, cloudflared, envFiles, env, alerts, logs, docs stringList
	prometheus                                              string
}

func (h *handwrittenFlags) register(fs *flag.FlagSet) {
	fs.Var(&h.compose, "compose", "a docker compose project: one file, or files merged as one, comma-separated (repeatable)")
	fs.Var(&h.envFiles, "env-file", "a dotenv file compose reads variables and COMPOSE_PROJECT_NAME from, as docker compose --env-file (repeatable)")
	fs.Var(&h.cloudflared, "cloudflared", "a cloudflared config file (repeatable)")
	fs.StringVar(&h.prometheus, "prometheus", "", "a Prometheus config file")
	fs.Var(&h.docs, "doc", "a Markdown doc: the port doc first, then others such as a URL doc (repeatable; import reads the first)")
	fs.Var(&h.env, "env", "a dotenv file: a host's .env or a service's own (repeatable)")
	fs.Var(&h.alerts, "alerts", "a Prometheus alerting rule file (repeatable)")
	fs.Var(&h.logs, "logs", "a log-shipping config, such as promtail's (repeatable)")
	fs.Var(&h.logs, "promtail", "a promtail config (the same as --logs)")
}

func (h *handwrittenFlags) inputs() handwritten.Inputs {
	// A file compose reads variables from is also a dotenv file to
	// cross-check.
	env := append(append([]string{}, h.envFiles...), h.env...)
	in := handwritten.Inputs{Compose: h.compose, EnvFiles: h.envFiles, Cloudflared: h.cloudflared, Prometheus: h.prometheus,
		Env: env, Alerts: h.alerts, Logs: h.logs}
	if len(h.docs) > 0 {
		in.Doc, in.Docs = h.docs[0], h.docs[1:]
	}
	return in
}

func (h *handwrittenFlags) empty() bool {
	return len(h.compose) == 0 && len(h.cloudflared) == 0 && h.prometheus == "" && len(h.docs) == 0 &&
		len(h.env) == 0 && len(h.alerts) == 0 && len(h.logs) == 0
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func (c *cli) importFiles(args []string) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	var in handwrittenFlags
	in.register(fs)
	dir := fs.String("o", "", "directory to write the source into (usually ROOT/schema)")
	force := fs.Bool("force", false, "write into a directory that already holds files")
	if _, code, ok := c.parse("import", fs, args, 0, 0); !ok {
		return code
	}
	switch {
	case *dir == "":
		return c.usageError("import", "name the directory to write the source into (-o)")
	case in.empty():
		return c.usageError("import", "name at least one file to import")
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
	var in handwrittenFlags
	in.register(fs)
	asJSON := fs.Bool("json", false, "print the findings as JSON")
	minConfidence := fs.String("min-confidence", string(audit.Likely), "report only findings at least this sure: certain or likely")
	if _, code, ok := c.parse("audit", fs, args, 0, 0); !ok {
		return code
	}
	least, ok := audit.ParseConfidence(*minConfidence)
	if !ok {
		return c.usageError("audit", fmt.Sprintf("--min-confidence is %q; it takes certain or likely", *minConfidence))
	}
	if in.empty() {
		return c.usageError("audit", "name at least one file to audit")
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
			c.annotate("error", f.Locations[0].File, f.Locations[0].Line, 0, string(f.Kind)+": "+f.Message)
		}
	}
	if len(findings) > 0 {
		return exitFindings
	}
	return exitOK
}

func (c *cli) ports(args []string) int {
	fs := flag.NewFlagSet("ports", flag.ContinueOnError)
	host := fs.String("host", "", "only this host")
	rng := fs.String("range", "", "only this range")
	next := fs.Bool("next", false, "print the first free port of --range on --host")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, code, ok := c.parse("ports", fs, args, 0, 0); !ok {
		return code
	}
	if *next && *asJSON {
		return c.usageError("ports", "--next prints a port number; leave out --json")
	}
	res, code := c.build(output.Discard)
	if res == nil {
		return code
	}
	p := res.Platform
	if *next {
		port, err := inventory.Next(p, *host, *rng)
		var full *inventory.FullError
		switch {
		case errors.As(err, &full):
			c.failf("%v", err)
			return exitFindings
		case err != nil:
			return c.usageError("ports", err.Error())
		}
		fmt.Fprintln(c.stdout, port)
		return exitOK
	}
	inv, err := inventory.Take(p, inventory.Filter{Host: *host, Range: *rng})
	if err != nil {
		return c.usageError("ports", err.Error())
	}
	if *asJSON {
		data, err := json.MarshalIndent(inv, "", "  ")
		if err != nil {
			c.failf("%v", err)
			return exitUsage
		}
		c.stdout.Write(append(data, '\n'))
		return exitOK
	}
	c.stdout.Write(inv.Text())
	return exitOK
}

func (c *cli) explain(args []string) int {
	pos, code, ok := c.parse("explain", flag.NewFlagSet("explain", flag.ContinueOnError), args, 1, 1)
	if !ok {
		return code
	}
	res, code := c.build(output.Discard)
	if res == nil {
		return code
	}
	e, err := explain.Service(res.Platform, res.Files, pos[0])
	if err != nil {
		return c.usageError("explain", err.Error())
	}
	c.stdout.Write(e.Text(c.path))
	return exitOK
}

func (c *cli) diff(args []string) int {
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	markdown := fs.Bool("markdown", false, "print Markdown")
	pos, code, ok := c.parse("diff", fs, args, 0, 1)
	if !ok {
		return code
	}
	rev := ""
	if len(pos) == 1 {
		rev = pos[0]
	}
	res, code := c.build(output.Discard)
	if res == nil {
		return code
	}
	d, code, err := c.platformDiff(rev, res)
	if err != nil {
		c.failf("diff: %v", err)
		return code
	}
	if *markdown {
		c.stdout.Write(d.Markdown(c.path))
	} else {
		c.stdout.Write(d.Text(c.path))
	}
	return exitOK
}

// platformDiff is platformdiff.Since for the project, with the exit
// status an error calls for: a source that does not load at the
// revision is a finding, anything else a usage or I/O error.
func (c *cli) platformDiff(rev string, now *generators.Result) (*platformdiff.Diff, int, error) {
	d, err := platformdiff.Since(c.root, rev, now)
	var old *platformdiff.OldSourceError
	switch {
	case errors.As(err, &old):
		return nil, exitFindings, err
	case err != nil:
		return nil, exitUsage, err
	}
	return d, exitOK, nil
}

// summarize appends check's report to the GitHub step summary when
// GITHUB_STEP_SUMMARY names a file: what is out of date (or why check
// failed), then the platform-level change of the branch. A summary that
// cannot be written is said, and does not change check's answer.
func (c *cli) summarize(res *generators.Result, out []output.Change, strays []output.Stray, failure string) {
	file := os.Getenv("GITHUB_STEP_SUMMARY")
	if file == "" {
		return
	}
	var b bytes.Buffer
	b.WriteString("## portschema check\n\n")
	switch n := len(out) + len(strays); {
	case failure != "":
		fmt.Fprintf(&b, "**Failed:** %s.\n", failure)
	case n == 0:
		b.WriteString("**Generated files are up to date.**\n")
	default:
		fmt.Fprintf(&b, "**%d %s to fix.** Run `portschema regen` (or `make regen`) and commit the result; delete files that portschema does not generate.\n\n", n, plural(n, "file", "files"))
		b.WriteString("| file | finding |\n| --- | --- |\n")
		for _, ch := range out {
			finding := ch.Kind.String()
			switch ch.Kind {
			case output.Stale:
				finding = fmt.Sprintf("stale from line %d", output.FirstDifference(ch.Old, ch.New))
			case output.Orphaned:
				finding = "orphaned (no longer generated)"
			}
			fmt.Fprintf(&b, "| `%s` | %s |\n", c.path(ch.Path), finding)
		}
		for _, st := range strays {
			finding := "not generated by portschema"
			if st.Temporary {
				finding = "temporary file of an interrupted run"
			}
			fmt.Fprintf(&b, "| `%s` | %s |\n", c.path(st.Path), finding)
		}
	}
	if res != nil {
		b.WriteString("\n")
		if d, _, err := c.platformDiff("", res); err != nil {
			fmt.Fprintf(&b, "The platform change of this branch is not shown: %s.\n", strings.ReplaceAll(err.Error(), "\n", " "))
		} else {
			b.Write(d.Markdown(c.path))
		}
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err == nil {
		_, err = f.Write(b.Bytes())
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		c.failf("writing the step summary: %v", err)
	}
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
		if c.github {
			c.annotateDiagnostic(d)
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

// annotate prints a GitHub Actions annotation (kind "error" or
// "warning") at a file, and a line and column when known.
func (c *cli) annotate(kind, file string, line, col int, msg string) {
	if !c.github {
		return
	}
	props := "file=" + escapeProperty(file)
	if line > 0 {
		props += fmt.Sprintf(",line=%d", line)
		if col > 0 {
			props += fmt.Sprintf(",col=%d", col)
		}
	}
	fmt.Fprintf(c.stdout, "::%s %s::%s\n", kind, props, escapeData(msg))
}

// annotateAll prints each diagnostic as an annotation only: check has
// no other use for the warnings vet prints.
func (c *cli) annotateAll(ds schema.Diagnostics) {
	for _, d := range ds {
		d.Pos = c.rebase(d.Pos)
		c.annotateDiagnostic(d)
	}
}

// annotateDiagnostic prints a diagnostic, its position already
// relative to the working directory, as an error or warning annotation.
func (c *cli) annotateDiagnostic(d schema.Diagnostic) {
	kind := "error"
	if d.Severity == schema.Warning {
		kind = "warning"
	}
	c.annotate(kind, d.Pos.File, d.Pos.Line, d.Pos.Col, d.Message)
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
// comment lines left out. A run's live heap at the size of a real
// platform is about 4 MB, and the binary's own pages another 27 MB of
// resident memory before the first service is read; a base of 24 MB
// keeps the three collections such a run makes while its peak stays
// about 8 MB under the 32 MB base's (a 16 MB base costs a tenth more
// CPU for 5 MB less).
const (
	budgetBase    = 24 << 20
	budgetPerByte = 160
)

// setMemoryBudget sets the collector's budget for a source, or for
// none yet (nil): the base alone, so that reading the stamp and the
// source does not collect what the run is about to need; main passes
// it to run.
func setMemoryBudget(src *schema.Source) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	var size int64
	if src != nil {
		size = int64(len(schema.Definitions))
		for _, data := range src.Data {
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
	for line := range bytes.Lines(data) {
		if !bytes.HasPrefix(bytes.TrimLeft(line, " \t"), []byte("//")) {
			n += len(line)
		}
	}
	return n
}

// The help of each command, printed by `portschema help CMD` and
// `portschema CMD --help` under its usage line.
const (
	helpRegen = `Regen loads DIR/schema, checks every rule, runs every generator and
writes the outputs only when all succeeded. Each file goes through a
temporary file and a rename; unchanged files keep their bytes and
mtime; files it generated before and no longer produces are removed.
It never overwrites a file that lacks the generated header.
`
	helpCheck = `Check writes nothing. It reports every output that is stale (with a
unified diff), missing, orphaned (generated before, no longer), every
file in out/ that nothing generates, and the temporary files a killed
regen left; then exits 1 with the command that fixes them.

With GITHUB_ACTIONS=true each finding is also a workflow annotation (a
stale file at its first differing line) and the source's warnings are
::warning annotations. When GITHUB_STEP_SUMMARY names a file, check
appends a summary to it: what is out of date, and the platform-level
change of the branch (portschema diff --markdown).
`
	helpVet = `Vet loads and checks the source and the alert rules it names, and
prints every error and warning at its position. Exit 1 on errors.

A warning the source acknowledges at its place (acknowledge: with a
reason) is counted, not printed.

  -v    also list the acknowledged warnings, with their reasons
`
	helpPorts = `Ports lists every port in use (host, address, port, protocol, service,
range, planned slot) and each range's fill level and free ports.

  --host H    only the ports on host H, and the ports free on it
  --range R   only range R
  --next      print the first free port of --range on --host, nothing
              else: ready to paste as a new service's port
  --json      print the inventory as JSON

A port is free on a host when no service there has it (published or
not, deployed or not) or plans to move to it, and no deployed service
on another host has it (a laptop runs every service on localhost).
Without --host, free means no service of the platform has or plans it.
Exit 1 when --next finds the range full.
`
	helpExplain = `Explain says what the platform derives from one service: its URL from
every vantage (its compose network, its host, the LAN, a laptop, the
internet), whom it needs and who needs it (with the URL each reads),
its tunnel routes, scrape jobs and probes, the secrets it reads (by
name), and every generated file and line where it appears.
`
	helpDiff = `Diff compares the source at a git revision with the working tree, at
the level of the platform: services added, removed (grouped into the
stacks their needs tie together) and moved; hostnames, routes, scrape
jobs, probes, env names and secrets added or removed; hand-written
values that still name what was removed; and the generated files each
change touches. It runs the generators on both sides.

REV defaults to the merge base of HEAD with the default branch (the
pull request's base under GitHub Actions, else origin's HEAD, main or
master), or HEAD.

  --markdown  print Markdown for a pull request comment or
              $GITHUB_STEP_SUMMARY

Exit 1 when the working tree's source has errors.
`
	helpImport = `Import reads hand-written compose files, cloudflared configs, a
Prometheus config and a Markdown port table, and writes a CUE source
(into -o, usually ROOT/schema) from which regen produces equivalent
files. Every decision it takes is a comment at its line.
`
	helpAudit = `Audit cross-checks hand-written files and reports every inconsistency
with its kind and every line involved; --json for machines. Exit 1
when the files disagree. Files compose merges are named together, base
first (--compose base.yml,overlay.yml) and checked as merged; --doc may
be repeated (a port doc, a URL doc), and the host names docs give
services are checked against the tunnel's routes.
`
)
