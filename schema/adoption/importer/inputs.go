package importer

import (
	"fmt"

	"portschema/schema/adoption/handwritten"
)

// Parsed holds the inputs read, each with its top-level mapping as
// written (for blocks passed through as written), taken from the tree
// the reader parsed.
type Parsed struct {
	Compose    []ComposeInput
	Tunnels    []TunnelInput
	Prometheus *PrometheusInput
	Doc        *handwritten.Doc
	AlertRules []*handwritten.AlertsFile
	// Env are dotenv files; a service's own (named after it) adds to
	// its environment.
	Env []*handwritten.EnvFile
	// Promtail are promtail configs, the i-th of the i-th compose file's
	// host.
	Promtail []PromtailInput
}

// PromtailInput is one promtail config.
type PromtailInput struct {
	File *handwritten.LogsFile
	Raw  []handwritten.Field
}

// ComposeInput is one compose file.
type ComposeInput struct {
	File *handwritten.ComposeFile
	Raw  []handwritten.Field
	// Dir is the file's directory seen from the project root ("." at
	// the root): the base its relative paths are moved from. Outside
	// says the file lies outside the project; its paths stay as written.
	Dir     string
	Outside bool
}

// TunnelInput is one cloudflared config.
type TunnelInput struct {
	File *handwritten.CloudflaredFile
	Raw  []handwritten.Field
}

// PrometheusInput is one Prometheus config.
type PrometheusInput struct {
	File *handwritten.PrometheusFile
	Raw  []handwritten.Field
}

// Prepare takes the files read for a project rooted at root: each
// compose file's paths are seen from the root (see movePaths).
func Prepare(files handwritten.Files, root string) (*Parsed, error) {
	p := &Parsed{Doc: files.Doc, AlertRules: files.Alerts, Env: files.Env}
	for _, f := range files.Compose {
		raw, err := f.Ordered()
		if err != nil {
			return nil, fmt.Errorf("compose %w", err)
		}
		c := ComposeInput{File: f, Raw: raw}
		var inside bool
		c.Dir, inside = dirFromRoot(root, f.Path)
		c.Outside = !inside
		p.Compose = append(p.Compose, c)
	}
	for _, f := range files.Cloudflared {
		raw, err := f.Ordered()
		if err != nil {
			return nil, fmt.Errorf("cloudflared %w", err)
		}
		p.Tunnels = append(p.Tunnels, TunnelInput{File: f, Raw: raw})
	}
	if f := files.Prometheus; f != nil {
		raw, err := f.Ordered()
		if err != nil {
			return nil, fmt.Errorf("prometheus %w", err)
		}
		p.Prometheus = &PrometheusInput{File: f, Raw: raw}
	}
	for _, f := range files.Logs {
		raw, err := f.Ordered()
		if err != nil {
			return nil, fmt.Errorf("promtail %w", err)
		}
		p.Promtail = append(p.Promtail, PromtailInput{File: f, Raw: raw})
	}
	return p, nil
}
