package handwritten

import (
	"errors"
	"strings"
)

// Inputs names the hand-written files of one platform, as `portschema
// audit` and `portschema import` take them. Compose files, tunnel
// configs, env files, alert rule files and log-shipping configs may be
// repeated; any input may be absent.
type Inputs struct {
	// Compose are compose projects: each entry is one file, or several
	// separated by commas ("base.yml,overlay.yml") that compose merges
	// into one project, as `docker compose -f base.yml -f overlay.yml`.
	Compose []string
	// EnvFiles are dotenv files compose reads COMPOSE_PROJECT_NAME from.
	EnvFiles    []string
	Cloudflared []string
	Prometheus  string
	// Doc is the Markdown port doc import reads ranges from; Docs are
	// further Markdown docs (a route or URL doc, service lists) that
	// audit checks as it checks Doc.
	Doc  string
	Docs []string
	// Env are dotenv files: a host's `.env` that compose interpolates
	// from, or a service's own environment file (named after it).
	Env []string
	// Alerts are Prometheus alerting rule files.
	Alerts []string
	// Logs are log-shipping configs (promtail).
	Logs []string
}

// Files are the inputs read, each parsed once: audit checks them and
// import builds a source from them.
type Files struct {
	Compose     []*ComposeFile
	Cloudflared []*CloudflaredFile
	Prometheus  *PrometheusFile // nil when not given
	Doc         *Doc            // nil when not given
	Docs        []*Doc
	Env         []*EnvFile
	Alerts      []*AlertsFile
	Logs        []*LogsFile
}

// AllDocs are Doc, when given, and Docs.
func (f Files) AllDocs() []*Doc {
	var out []*Doc
	if f.Doc != nil {
		out = append(out, f.Doc)
	}
	return append(out, f.Docs...)
}

// Read reads and parses every input. Every input that cannot be read or
// parsed is named in the error, so a user fixes them all in one go;
// what was read is returned either way.
func Read(in Inputs) (Files, error) {
	var f Files
	var errs []error
	for _, p := range in.Compose {
		c, err := readComposeEntry(p, in.EnvFiles)
		errs = append(errs, err)
		if err == nil {
			f.Compose = append(f.Compose, c)
		}
	}
	for _, p := range in.Cloudflared {
		c, err := ReadCloudflared(p)
		errs = append(errs, err)
		if err == nil {
			f.Cloudflared = append(f.Cloudflared, c)
		}
	}
	if in.Prometheus != "" {
		var err error
		f.Prometheus, err = ReadPrometheus(in.Prometheus)
		errs = append(errs, err)
	}
	if in.Doc != "" {
		var err error
		f.Doc, err = ReadDoc(in.Doc)
		errs = append(errs, err)
	}
	for _, p := range in.Docs {
		d, err := ReadDoc(p)
		errs = append(errs, err)
		if err == nil {
			f.Docs = append(f.Docs, d)
		}
	}
	for _, p := range in.Env {
		e, err := ReadEnv(p)
		errs = append(errs, err)
		if err == nil {
			f.Env = append(f.Env, e)
		}
	}
	for _, p := range in.Alerts {
		a, err := ReadAlerts(p)
		errs = append(errs, err)
		if err == nil {
			f.Alerts = append(f.Alerts, a)
		}
	}
	for _, p := range in.Logs {
		l, err := ReadLogs(p)
		errs = append(errs, err)
		if err == nil {
			f.Logs = append(f.Logs, l)
		}
	}
	return f, errors.Join(errs...)
}

// readComposeEntry reads one --compose entry: the files of one project,
// or a single file, read as docker compose reads it (see
// ReadComposeProject: its include and extends followed).
func readComposeEntry(entry string, envFiles []string) (*ComposeFile, error) {
	return ReadComposeProject(strings.Split(entry, ","), envFiles)
}
