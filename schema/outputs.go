package schema

import (
	"fmt"
	"strings"
)

// checkOutputs: two outputs never share a path, and none lies in the
// source or in a version-control directory.
func checkOutputs(c *collector, p *Platform) {
	seen := map[string]Pos{}
	claim := func(path string, pos Pos) {
		if path == "" {
			return
		}
		if why := forbiddenOutput(path); why != "" {
			c.errorf(pos, nil, "output path %s lies %s; choose a path outside it", path, why)
			return
		}
		if other, ok := seen[path]; ok {
			c.errorf(pos, []Pos{other}, "output path %s is used twice", path)
			return
		}
		seen[path] = pos
	}
	if why := forbiddenOutput(p.Outputs.EnvDir); why != "" {
		c.errorf(lookupPos(p.Outputs.Pos, "env_dir"), nil, "output directory %s lies %s; choose a path outside it", p.Outputs.EnvDir, why)
	}
	claim(p.Outputs.PortDoc, lookupPos(p.Outputs.Pos, "port_doc"))
	claim(p.Outputs.Prometheus, lookupPos(p.Outputs.Pos, "prometheus"))
	claim(p.Outputs.URLDoc, lookupPos(p.Outputs.Pos, "url_doc"))
	if p.Prometheus != nil && p.Prometheus.Alerts != nil {
		claim(p.Outputs.Alerts, lookupPos(p.Outputs.Pos, "alerts"))
	}
	for _, h := range p.Hosts {
		if h.Compose != nil {
			claim(h.Compose.Output, h.At("compose.output"))
			claim(h.Compose.SecretsOutput, h.At("compose.secrets_output"))
			if h.Compose.Logs != nil {
				claim(h.Compose.Logs.Output, h.At("compose.logs.output"))
			}
		}
		if h.Tunnel != nil {
			claim(h.Tunnel.Output, h.At("tunnel.output"))
		}
	}
	for _, s := range p.Services {
		for i, f := range s.EnvFiles {
			claim(f, s.At(fmt.Sprintf("env_files[%d]", i)))
		}
	}
}

// vcsDirs are the directories version-control systems keep their own
// state in: a file written there (a hook) would run, or corrupt it.
var vcsDirs = map[string]bool{".git": true, ".hg": true, ".svn": true, ".jj": true, ".bzr": true, "_darcs": true, ".fossil-settings": true}

// forbiddenOutput says where an output path must not lie, or "": in
// the source (a generated file there is read back as source on the
// next run) or in a version-control directory.
func forbiddenOutput(path string) string {
	parts := strings.Split(path, "/")
	if parts[0] == SourceDir {
		return "in the source directory " + SourceDir + "/"
	}
	for _, part := range parts {
		if vcsDirs[part] {
			return "in the version-control directory " + part + "/"
		}
	}
	return ""
}
