package compose

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"portschema/schema"
)

// selfPortRE finds host:port in a healthcheck's test, with or without a
// scheme; checkHealthchecks keeps those whose host is the container
// itself.
var selfPortRE = regexp.MustCompile(`(?:[a-z][a-z0-9+.-]*://)?(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9._-]+):([0-9]{1,5})\b`)

// checkHealthchecks warns where a pass-through healthcheck probes the
// container itself (localhost:N, 127.0.0.1:N, http://<own name>:N) on a
// port the service does not listen on: the port was changed in one
// place and not the other, and the service would be marked unhealthy.
// It is a warning, not an error: the port may be a sidecar's or an
// admin port, which declaring under ports: (publish: false) says.
func checkHealthchecks(p *schema.Platform) schema.Diagnostics {
	var ds schema.Diagnostics
	for _, s := range p.Services {
		hc, ok := s.Compose["healthcheck"].(map[string]any)
		if !ok || hc["disable"] == true {
			continue
		}
		// What the service listens on is worked out for a test that
		// probes some host:port only: most tests of a large platform
		// probe none, or only the service's own port.
		var self map[string]bool
		var listens map[int]bool
		var ports []string
		var declared schema.Pos
		learn := func() {
			self = map[string]bool{"localhost": true, "127.0.0.1": true, "0.0.0.0": true, "[::1]": true, s.Name: true,
				ContainerName(s.HostRef, s): true}
			listens = map[int]bool{}
			for _, pr := range s.AllPorts() {
				listens[pr.ContainerPort] = true
				if s.HostNetwork() {
					listens[pr.Port] = true
				}
				ports = append(ports, strconv.Itoa(pr.ContainerPort))
			}
			declared = s.At("port")
			if pos, ok := s.Pos["container_port"]; ok {
				declared = pos
			}
		}
		check := func(arg string, path func() string) {
			if !strings.Contains(arg, ":") { // every host:port has one
				return
			}
			for _, m := range selfPortRE.FindAllStringSubmatch(arg, -1) {
				if self == nil {
					learn()
				}
				if port, _ := strconv.Atoi(m[2]); self[m[1]] && !listens[port] {
					ds = append(ds, schema.ServiceWarning(s, schema.WarnHealthcheckPort, s.At(path()), []schema.Pos{declared}, "%s: healthcheck probes %s, but the service listens on %s; declare the port under ports: (publish: false) if another process serves it",
						s.Name, m[0], strings.Join(ports, ", ")))
				}
			}
		}
		switch test := hc["test"].(type) {
		case string:
			check(test, func() string { return "compose.healthcheck.test" })
		case []any:
			for i, arg := range test {
				if str, ok := arg.(string); ok {
					check(str, func() string { return fmt.Sprintf("compose.healthcheck.test[%d]", i) })
				}
			}
		}
	}
	return ds
}
