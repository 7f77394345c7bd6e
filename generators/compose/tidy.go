package compose

import (
	"bytes"
	"fmt"
	"slices"

	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"

	"portschema/schema"
)

// serviceKeyOrder is the order people write a service's keys in: what
// runs, what it is called, how it starts, what it is given, how it
// connects, when it is up, how it is found. compose-go emits struct
// fields in declaration order (restart and environment before image);
// keys not listed here follow in that order.
var serviceKeyOrder = []string{
	"image", "build", "container_name", "profiles", "restart",
	"command", "entrypoint", "environment", "ports", "volumes",
	"depends_on", "healthcheck", "labels",
}

// writtenSpelling are keys whose values compose-go re-spells when it
// marshals them (sizes in bytes: 128m becomes "134217728"; durations in
// Go's form: 120s becomes 2m0s). The source's spelling means the same
// and reads better in a diff, so it is kept.
var writtenSpelling = map[string]bool{
	"mem_limit": true, "memswap_limit": true, "mem_reservation": true, "shm_size": true, "memory": true,
	"stop_grace_period": true, "interval": true, "timeout": true, "start_period": true, "start_interval": true,
	"delay": true, "window": true, "monitor": true,
}

// tidy reorders each service's keys, restores the source's spelling of
// sizes and durations and writes ports, volumes and depends_on in the
// short syntax (see shorten) in compose-go's YAML of project. It changes
// no value.
func tidy(body []byte, project *types.Project, services []*schema.Service) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("re-reading compose-go's output: %w", err)
	}
	if blocks := mappingValue(doc.Content[0], "services"); blocks != nil {
		for _, s := range services {
			block := mappingValue(blocks, s.Name)
			if block == nil {
				continue
			}
			restoreSpelling(block, s.Compose)
			if svc, ok := project.Services[s.Name]; ok {
				shorten(block, svc)
			}
			orderKeys(block, serviceKeyOrder)
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("re-encoding compose-go's output: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// mappingValue is the value of key in a mapping node, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// orderKeys sorts a mapping's key/value pairs by their rank in order;
// unlisted keys keep their relative order after the listed ones.
func orderKeys(m *yaml.Node, order []string) {
	type pair struct{ key, value *yaml.Node }
	pairs := make([]pair, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		pairs = append(pairs, pair{m.Content[i], m.Content[i+1]})
	}
	rank := func(p pair) int {
		if i := slices.Index(order, p.key.Value); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return rank(a) - rank(b) })
	m.Content = m.Content[:0]
	for _, p := range pairs {
		m.Content = append(m.Content, p.key, p.value)
	}
}

// restoreSpelling walks a mapping node beside the source block it came
// from and puts back the source's string wherever compose-go re-spelled
// a size or a duration.
func restoreSpelling(m *yaml.Node, written map[string]any) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, value := m.Content[i].Value, m.Content[i+1]
		switch src := written[key].(type) {
		case map[string]any:
			if value.Kind == yaml.MappingNode {
				restoreSpelling(value, src)
			}
		case string:
			if writtenSpelling[key] && value.Kind == yaml.ScalarNode && value.Value != src {
				value.Value, value.Style, value.Tag = src, 0, "!!str"
			}
		}
	}
}
