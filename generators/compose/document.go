package compose

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"portschema/schema"
)

// document is the compose document of a host as plain maps and slices,
// the shape compose-go's loader reads: the host's top-level blocks and
// one block per service, pass-through keys and owned keys together.
func document(p *schema.Platform, h *schema.Host) (map[string]any, error) {
	services := map[string]any{}
	var diags schema.Diagnostics
	for _, s := range h.Services {
		block, err := serviceBlock(p, h, s)
		if err != nil {
			diags = append(diags, err...)
			continue
		}
		services[s.Name] = block
	}
	if len(diags) > 0 {
		return nil, diags
	}
	doc := map[string]any{"name": h.Compose.Project, "services": services}
	up := upFrom(OutputPath(h))
	for key, block := range topLevelBlocks(h) {
		doc[key] = movePaths(passThrough(block), []string{key}, up, true)
	}
	return doc, nil
}

// topLevelBlocks are the host's top-level compose blocks that are not
// empty, by key.
func topLevelBlocks(h *schema.Host) map[string]map[string]any {
	out := map[string]map[string]any{}
	for key, block := range map[string]map[string]any{
		"volumes":  h.Compose.Volumes,
		"networks": h.Compose.Networks,
		"secrets":  h.Compose.Secrets,
		"configs":  h.Compose.Configs,
	} {
		if len(block) > 0 {
			out[key] = block
		}
	}
	return out
}

// serviceBlock is a service's compose block: a copy of the pass-through
// keys (see passThrough) with the owned keys added.
func serviceBlock(p *schema.Platform, h *schema.Host, s *schema.Service) (map[string]any, schema.Diagnostics) {
	block := movePaths(passThrough(s.Compose), nil, upFrom(OutputPath(h)), false).(map[string]any)
	block["container_name"] = ContainerName(h, s)
	if ports := ports(s); len(ports) > 0 {
		block["ports"] = ports
	}
	env, diags := environment(p, s)
	if len(env) > 0 {
		block["environment"] = env
	}
	if deps := dependsOn(s); len(deps) > 0 {
		block["depends_on"] = deps
	}
	block["labels"] = labels(s, block["labels"])
	if profiles := profiles(s); len(profiles) > 0 {
		block["profiles"] = profiles
	}
	return block, diags
}

// profiles are the compose profiles the source names for a service;
// a service that is not deployed and names none gets NotDeployedProfile,
// so that `docker compose up` leaves it alone.
func profiles(s *schema.Service) []any {
	var out []any
	for _, p := range s.Profiles {
		out = append(out, p)
	}
	if len(out) == 0 && !s.Deployed {
		out = append(out, NotDeployedProfile)
	}
	return out
}

// ports publishes the main port and the named ports of a service, host
// port to container port, except those marked publish: false, in the
// short syntax ("8080:80") where compose-go reads it back as the same
// port, else as a mapping. Named ports carry their name, so a reader
// sees what each one is for. A port bound to host IPs is published once
// per address, as compose writes it. A service in the host's network
// listens on the host itself and publishes nothing.
func ports(s *schema.Service) []any {
	if s.HostNetwork() {
		return nil
	}
	var out []any
	for _, pr := range s.AllPorts() {
		if !pr.Publish {
			continue
		}
		ips := pr.HostIPs
		if len(ips) == 0 {
			ips = []string{""}
		}
		for _, ip := range ips {
			port := types.ServicePortConfig{
				Mode:      "ingress",
				HostIP:    ip,
				Target:    uint32(pr.ContainerPort),
				Published: strconv.Itoa(pr.Port),
				Protocol:  pr.Protocol,
			}
			if pr.Name != schema.MainPort {
				port.Name = pr.Name
			}
			out = append(out, portEntry(port))
		}
	}
	return out
}

// portEntry is a port in the short syntax if that says it, else as a
// mapping without the keys compose fills in the same way (mode ingress,
// protocol tcp).
func portEntry(p types.ServicePortConfig) any {
	if spec, ok := shortPort(p); ok {
		return spec
	}
	m := map[string]any{"target": int(p.Target)}
	if p.Name != "" {
		m["name"] = p.Name
	}
	if p.HostIP != "" {
		m["host_ip"] = p.HostIP
	}
	if p.Published != "" {
		m["published"] = p.Published
	}
	if p.Protocol != "tcp" {
		m["protocol"] = p.Protocol
	}
	if p.Mode != "ingress" {
		m["mode"] = p.Mode
	}
	return m
}

// dependsOn starts each needed service on the same host first: once it
// has run to completion where the need says condition: "completed";
// once it is healthy where its compose block has a healthcheck and the
// need does not say condition: "started"; once it has started otherwise.
// Needs with depends: false are left out.
func dependsOn(s *schema.Service) map[string]any {
	deps := map[string]any{}
	for _, n := range s.Needs {
		t := n.Target
		if t.HostRef != s.HostRef || !n.Depends {
			continue
		}
		condition := "service_started"
		switch {
		case n.Condition == schema.ConditionCompleted:
			condition = "service_completed_successfully"
		case hasHealthcheck(t) && n.Condition != schema.ConditionStarted:
			condition = "service_healthy"
		}
		deps[t.Name] = map[string]any{"condition": condition}
	}
	return deps
}

// hasHealthcheck reports whether a service's compose block defines a
// healthcheck that is not switched off. A healthcheck built into the
// image is invisible here, so such a target is only waited for to start.
func hasHealthcheck(s *schema.Service) bool {
	hc, ok := s.Compose["healthcheck"].(map[string]any)
	if !ok {
		return false
	}
	if disabled, _ := hc["disable"].(bool); disabled {
		return false
	}
	if test, ok := hc["test"].([]any); ok && len(test) > 0 && test[0] == "NONE" {
		return false
	}
	return hc["test"] != nil
}

// labels merges the generated portschema.* labels, which let monitoring
// and log shipping select containers by service, tier and range rather
// than by name patterns, with the labels of the compose block, written
// as a map or as a list of "key=value".
func labels(s *schema.Service, written any) map[string]any {
	out := map[string]any{}
	switch user := written.(type) {
	case map[string]any:
		for k, v := range user {
			out[k] = v
		}
	case []any:
		for _, item := range user {
			k, v, _ := strings.Cut(fmt.Sprint(item), "=")
			out[k] = v
		}
	}
	out[LabelPrefix+"service"] = s.Name
	out[LabelPrefix+"range"] = s.Range
	if s.Tier != "" {
		out[LabelPrefix+"tier"] = s.Tier
	}
	return out
}

// passThrough copies a block from the source into the shape compose-go
// gets from decoding a YAML file, since the loader is handed the
// document itself and its typed decoding only knows those shapes. The
// model holds blocks as decoded from JSON, where every number is a
// float64: whole numbers become int again, as YAML gives them (compose
// rejects 65536.0 where it wants an integer, and an int64 in ulimits);
// everything else is copied unchanged. The copy also keeps the loader,
// which rewrites the maps it is given, away from the model.
func passThrough(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = passThrough(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = passThrough(e)
		}
		return out
	case float64:
		if w, whole := wholeNumber(v); whole {
			return w
		}
	}
	return v
}

// wholeNumber is a JSON number as passThrough leaves it: an int where
// it is whole and exact.
func wholeNumber(v float64) (int, bool) {
	if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
		return int(v), true
	}
	return 0, false
}
