package handwritten

import (
	"fmt"

	"go.yaml.in/yaml/v4"
)

// CloudflaredFile is one cloudflared tunnel config as written.
type CloudflaredFile struct {
	Path               string
	Tunnel             string // tunnel UUID or name
	TunnelPos          Pos
	CredentialsFile    string // `credentials-file:` (or its alias `cred-file:`)
	CredentialsFilePos Pos
	// IngressPos is the line of `ingress:`; zero when the key is absent.
	IngressPos Pos
	Rules      []IngressRule // in file order, which is matching order
	// OriginRequest holds the top-level defaults for every rule, nested
	// keys joined with "." (e.g. "access.required").
	OriginRequest map[string]string

	doc *yamlDoc // the parsed tree, for Ordered
}

// IngressRule is one ingress rule. cloudflared tries them in order and
// sends a request to the first whose hostname and path match.
type IngressRule struct {
	// Number is the rule's 1-based index, the way cloudflared numbers
	// rules in its own messages ("Rule #3 ...").
	Number      int
	Pos         Pos // the rule's list item
	Hostname    string
	HostnamePos Pos
	Path        string // a Go regular expression, unanchored
	PathPos     Pos
	Service     string // "http://localhost:3001", "http_status:404", ...
	ServicePos  Pos
	// OriginRequest holds the rule's own options, keys as for
	// CloudflaredFile.OriginRequest.
	OriginRequest map[string]string
}

// IsCatchAll reports whether the rule matches every request, which
// cloudflared requires of the last rule and forbids for the others.
func (r IngressRule) IsCatchAll() bool {
	return (r.Hostname == "" || r.Hostname == "*") && r.Path == ""
}

// ReadCloudflared reads and parses the cloudflared config at path.
func ReadCloudflared(path string) (*CloudflaredFile, error) {
	data, err := readFile("cloudflared", path)
	if err != nil {
		return nil, err
	}
	return ParseCloudflared(path, data)
}

// ParseCloudflared parses a cloudflared config held in data; name is used
// in positions and errors. It reads the shape only: rule problems that
// cloudflared would reject are for the caller to judge, so that one bad
// rule does not hide the others.
func ParseCloudflared(name string, data []byte) (*CloudflaredFile, error) {
	doc, err := parseYAML("cloudflared", name, data)
	if err != nil {
		return nil, err
	}
	f := &CloudflaredFile{Path: name, doc: doc}
	for _, fl := range fields(doc.root) {
		switch fl.key {
		case "tunnel":
			f.Tunnel, f.TunnelPos = scalar(fl.value), doc.pos(fl.value)
		case "credentials-file", "cred-file":
			f.CredentialsFile, f.CredentialsFilePos = scalar(fl.value), doc.pos(fl.value)
		case "originRequest":
			f.OriginRequest = flatten(fl.value)
		case "ingress":
			f.IngressPos = doc.pos(fl.keyN)
			if fl.value != nil && !isNull(fl.value) && fl.value.Kind != yaml.SequenceNode {
				return nil, fmt.Errorf("cloudflared %s:%d: ingress is %s, not a list of rules", name, fl.value.Line, kindName(fl.value))
			}
			rules, err := readIngress(doc, fl)
			if err != nil {
				return nil, err
			}
			f.Rules = rules
		}
	}
	return f, nil
}

func readIngress(doc *yamlDoc, fl field) ([]IngressRule, error) {
	var rules []IngressRule
	for i, item := range items(fl.value) {
		r := IngressRule{Number: i + 1, Pos: doc.pos(item)}
		if item.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("cloudflared %s:%d: rule #%d is %s, not a mapping", doc.name, item.Line, r.Number, kindName(item))
		}
		for _, f := range fields(item) {
			switch f.key {
			case "hostname":
				r.Hostname, r.HostnamePos = scalar(f.value), doc.pos(f.value)
			case "path":
				r.Path, r.PathPos = scalar(f.value), doc.pos(f.value)
			case "service":
				r.Service, r.ServicePos = scalar(f.value), doc.pos(f.value)
			case "originRequest":
				r.OriginRequest = flatten(f.value)
			}
		}
		rules = append(rules, r)
	}
	return rules, nil
}
