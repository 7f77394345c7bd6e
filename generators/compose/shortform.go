package compose

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/format"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"
)

// compose-go marshals a project in its canonical long syntax: every
// port a five-line mapping, every volume a mapping with an empty
// `bind: {}`, every depends_on entry with `required: true`. People write
// and review the short syntax, so the entries are put back in it, but
// only where compose-go parses the short form back into exactly the
// value it built: anything the short form cannot say (a port's name, a
// volume's consistency, a bind that must not create its host path)
// keeps the long form.

// shorten rewrites a service block's ports and volumes in the short
// syntax where it is lossless and drops depends_on's default
// `required: true`. svc is the service as compose-go built it; its
// ports and volumes are in the block's order.
func shorten(block *yaml.Node, svc types.ServiceConfig) {
	if ports := mappingValue(block, "ports"); ports != nil && len(ports.Content) == len(svc.Ports) {
		for i, p := range svc.Ports {
			if spec, ok := shortPort(p); ok {
				ports.Content[i] = shortScalar(spec, yaml.DoubleQuotedStyle)
			} else {
				dropDefaultKeys(ports.Content[i], portDefaults)
			}
		}
	}
	if volumes := mappingValue(block, "volumes"); volumes != nil && len(volumes.Content) == len(svc.Volumes) {
		for i, v := range svc.Volumes {
			if spec, ok := shortVolume(v); ok {
				volumes.Content[i] = shortScalar(spec, 0)
			}
		}
	}
	if deps := mappingValue(block, "depends_on"); deps != nil && deps.Kind == yaml.MappingNode {
		for i := 1; i < len(deps.Content); i += 2 {
			dropDefaultKeys(deps.Content[i], dependsOnDefaults)
		}
	}
}

// portDefaults are the values compose-go gives a long-form port that
// leaves them out (transform.portDefaults), and dependsOnDefaults those
// of a depends_on entry (transform.transformDependsOn): writing them
// says nothing.
var (
	portDefaults      = map[string]string{"mode": "ingress", "protocol": "tcp"}
	dependsOnDefaults = map[string]string{"required": "true"}
)

// dropDefaultKeys removes the keys of a mapping whose value is the default.
func dropDefaultKeys(m *yaml.Node, defaults map[string]string) {
	if m.Kind != yaml.MappingNode {
		return
	}
	kept := m.Content[:0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, value := m.Content[i], m.Content[i+1]
		if def, ok := defaults[key.Value]; ok && value.Kind == yaml.ScalarNode && value.Value == def {
			continue
		}
		kept = append(kept, key, value)
	}
	m.Content = kept
}

// shortScalar is a string node in the given style; 0 lets the encoder
// quote only where YAML needs it. Ports are always double-quoted: YAML
// 1.1 readers take an unquoted 22:22 for a base-60 number.
func shortScalar(value string, style yaml.Style) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value, Style: style}
}

// shortPort is a port in the short syntax, [HOST_IP:][PUBLISHED:]TARGET
// with /PROTOCOL unless tcp, if compose-go reads it back as p exactly.
func shortPort(p types.ServicePortConfig) (string, bool) {
	if p.Name != "" || p.AppProtocol != "" || p.Mode != "ingress" || len(p.Extensions) > 0 {
		return "", false
	}
	spec := strconv.FormatUint(uint64(p.Target), 10)
	if p.Published != "" || p.HostIP != "" {
		spec = p.Published + ":" + spec
	}
	if p.HostIP != "" {
		ip := p.HostIP
		if strings.Contains(ip, ":") {
			ip = "[" + ip + "]"
		}
		spec = ip + ":" + spec
	}
	if p.Protocol != "tcp" {
		spec += "/" + p.Protocol
	}
	parsed, err := types.ParsePortConfig(spec)
	if err != nil || len(parsed) != 1 || !reflect.DeepEqual(parsed[0], p) {
		return "", false
	}
	return spec, true
}

// shortVolume is a bind mount or a volume in the short syntax,
// [SOURCE:]TARGET[:OPTIONS], if compose-go reads it back as v exactly.
func shortVolume(v types.ServiceVolumeConfig) (string, bool) {
	if v.Type != types.VolumeTypeBind && v.Type != types.VolumeTypeVolume || v.Consistency != "" || len(v.Extensions) > 0 {
		return "", false
	}
	var options []string
	if v.ReadOnly {
		options = append(options, "ro")
	}
	if v.Bind != nil {
		for _, o := range []string{v.Bind.SELinux, v.Bind.Propagation} {
			if o != "" {
				options = append(options, o)
			}
		}
	}
	if v.Volume != nil && v.Volume.NoCopy {
		options = append(options, "nocopy")
	}
	parts := []string{v.Target}
	if v.Source != "" {
		parts = []string{v.Source, v.Target}
	}
	if len(options) > 0 {
		parts = append(parts, strings.Join(options, ","))
	}
	spec := strings.Join(parts, ":")
	parsed, err := format.ParseVolume(spec)
	if err != nil || !reflect.DeepEqual(parsed, v) {
		return "", false
	}
	return spec, true
}
