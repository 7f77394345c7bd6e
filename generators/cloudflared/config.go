package cloudflared

import (
	"strings"

	"go.yaml.in/yaml/v4"

	"portschema/generators/yamlout"
)

// config is a cloudflared configuration file: the tunnel, its
// credentials and default origin settings, then the ingress rules in
// the order cloudflared tries them.
type config struct {
	tunnelHead `yaml:",inline"`
	Ingress    []ingressRule `yaml:"ingress"`
}

// tunnelHead is what a file holds before its rules.
type tunnelHead struct {
	Tunnel          string         `yaml:"tunnel"`
	CredentialsFile string         `yaml:"credentials-file"`
	OriginRequest   map[string]any `yaml:"originRequest,omitempty"`
}

// marshal is the file's text: yamlout.Marshal(c), with the rules, which
// are most of it, written a batch at a time.
func (c *config) marshal() ([]byte, error) {
	return yamlout.MarshalList(c.tunnelHead, "ingress", c.Ingress)
}

// ingressRule is one rule of the ingress list. Comment is written above
// the rule, so a reviewer sees which service a route belongs to.
type ingressRule struct {
	Hostname      string         `yaml:"hostname,omitempty"`
	Path          string         `yaml:"path,omitempty"`
	Service       string         `yaml:"service"`
	OriginRequest map[string]any `yaml:"originRequest,omitempty"`
	Comment       string         `yaml:"-"`
}

// MarshalYAML writes the rule with its comment above it.
func (r ingressRule) MarshalYAML() (any, error) {
	type plain ingressRule
	var n yaml.Node
	if err := n.Encode(plain(r)); err != nil {
		return nil, err
	}
	n.HeadComment = r.headComment()
	return &n, nil
}

// WriteYAML writes the rule as MarshalYAML has yaml.v4 write it (see
// yamlout.ListItem); a rule with its own originRequest, a map passed
// through from the source, is left to yaml.v4.
func (r ingressRule) WriteYAML(w *yamlout.Block, col int) {
	if len(r.OriginRequest) > 0 {
		w.Fail()
		return
	}
	w.Comment(col, r.headComment())
	w.Item(col)
	w.OmitEmpty(col+2, "hostname", r.Hostname)
	w.OmitEmpty(col+2, "path", r.Path)
	w.String(col+2, "service", r.Service)
}

// headComment is Comment on one line.
func (r ingressRule) headComment() string {
	return strings.Join(strings.Fields(r.Comment), " ")
}

// catchAll is the last rule: whatever no other rule matched gets a 404.
var catchAll = ingressRule{Service: "http_status:404", Comment: "anything no rule above matched"}
