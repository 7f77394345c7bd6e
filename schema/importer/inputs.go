package importer

import (
	"fmt"
	"os"

	"portschema/schema/handwritten"
)

// Parsed holds the inputs read: each file through its hand-written
// reader (for facts and line numbers) and as ordered YAML (for blocks
// passed through as written).
type Parsed struct {
	Compose    []ComposeInput
	Tunnels    []TunnelInput
	Prometheus *PrometheusInput
	Doc        *handwritten.Doc
}

// ComposeInput is one compose file.
type ComposeInput struct {
	File *handwritten.ComposeFile
	Raw  []Field
	// Dir is the file's directory seen from the project root ("." at
	// the root): the base its relative paths are moved from. Outside
	// says the file lies outside the project; its paths stay as written.
	Dir     string
	Outside bool
}

// TunnelInput is one cloudflared config.
type TunnelInput struct {
	File *handwritten.CloudflaredFile
	Raw  []Field
}

// PrometheusInput is one Prometheus config.
type PrometheusInput struct {
	File *handwritten.PrometheusFile
	Raw  []Field
}

// ParseCompose reads a compose file held in memory.
func ParseCompose(name string, data []byte) (ComposeInput, error) {
	f, err := handwritten.ParseCompose(name, data)
	if err != nil {
		return ComposeInput{}, err
	}
	raw, err := rawYAML(name, data)
	if err != nil {
		return ComposeInput{}, fmt.Errorf("compose %w", err)
	}
	return ComposeInput{File: f, Raw: fieldsOf(raw), Dir: "."}, nil
}

// ParseTunnel reads a cloudflared config held in memory.
func ParseTunnel(name string, data []byte) (TunnelInput, error) {
	f, err := handwritten.ParseCloudflared(name, data)
	if err != nil {
		return TunnelInput{}, err
	}
	raw, err := rawYAML(name, data)
	if err != nil {
		return TunnelInput{}, fmt.Errorf("cloudflared %w", err)
	}
	return TunnelInput{File: f, Raw: fieldsOf(raw)}, nil
}

// ParsePrometheus reads a Prometheus config held in memory.
func ParsePrometheus(name string, data []byte) (*PrometheusInput, error) {
	f, err := handwritten.ParsePrometheus(name, data)
	if err != nil {
		return nil, err
	}
	raw, err := rawYAML(name, data)
	if err != nil {
		return nil, fmt.Errorf("prometheus %w", err)
	}
	return &PrometheusInput{File: f, Raw: fieldsOf(raw)}, nil
}

// readInputs reads every named file.
func readInputs(in Inputs, root string) (*Parsed, error) {
	if len(in.Compose) == 0 && len(in.Cloudflared) == 0 && in.Prometheus == "" {
		return nil, fmt.Errorf("no input: give at least one of --compose, --cloudflared, --prometheus")
	}
	p := &Parsed{}
	for _, path := range in.Compose {
		data, err := readInput("compose", path)
		if err != nil {
			return nil, err
		}
		c, err := ParseCompose(path, data)
		if err != nil {
			return nil, err
		}
		var inside bool
		c.Dir, inside = dirFromRoot(root, path)
		c.Outside = !inside
		p.Compose = append(p.Compose, c)
	}
	for _, path := range in.Cloudflared {
		data, err := readInput("cloudflared", path)
		if err != nil {
			return nil, err
		}
		t, err := ParseTunnel(path, data)
		if err != nil {
			return nil, err
		}
		p.Tunnels = append(p.Tunnels, t)
	}
	if in.Prometheus != "" {
		data, err := readInput("prometheus", in.Prometheus)
		if err != nil {
			return nil, err
		}
		if p.Prometheus, err = ParsePrometheus(in.Prometheus, data); err != nil {
			return nil, err
		}
	}
	if in.Doc != "" {
		data, err := readInput("doc", in.Doc)
		if err != nil {
			return nil, err
		}
		p.Doc = handwritten.ParseDoc(in.Doc, data)
	}
	return p, nil
}

func readInput(kind, path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	return data, nil
}
