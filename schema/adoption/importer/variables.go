package importer

import (
	"strings"

	"portschema/generators/compose"
	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// declareVariables lists under each compose host's compose.variables
// every variable its compose keys and port addresses keep reading from
// the host's environment that no service declares: the references that
// stand for stripped secrets (marked secret) and every `${NAME}` the
// inputs wrote and import kept (an image tag, a data directory, an
// address). vet refuses a variable nothing declares, since compose would
// fill in an empty string; an imported project already has them set.
func (b *builder) declareVariables() {
	for _, h := range b.src.Platform.Hosts {
		if h.Compose == nil {
			continue
		}
		var services []*schema.Service
		for _, s := range b.svcs {
			if s.Host == h.Name {
				plain := *s.Service
				plain.Compose = plainBlock(s.Compose)
				services = append(services, &plain)
			}
		}
		host := *h
		blocks := *h.Compose
		blocks.Volumes, blocks.Networks = plainBlock(blocks.Volumes), plainBlock(blocks.Networks)
		blocks.Secrets, blocks.Configs = plainBlock(blocks.Secrets), plainBlock(blocks.Configs)
		host.Compose = &blocks
		var settings []string
		for _, name := range compose.Undeclared(&host, services) {
			if h.Compose.Declares(name) {
				continue
			}
			secret := b.secretVariables[h.Name+"\x00"+name]
			h.Compose.Variables = append(h.Compose.Variables, schema.Variable{Name: name, Secret: secret})
			if !secret {
				settings = append(settings, name)
			}
		}
		switch len(settings) {
		case 0:
		case 1:
			b.hostNotes(h).Add("compose.variables", settings[0]+" is read from the host's environment, as the compose file read it")
		default:
			b.hostNotes(h).Add("compose.variables", strings.Join(settings[:len(settings)-1], ", ")+" and "+settings[len(settings)-1]+
				" are read from the host's environment, as the compose file read them")
		}
	}
}

// plainBlock is a block of compose keys as the inputs wrote it, with
// its ordered mappings made plain maps, as the source will hold it.
func plainBlock(block map[string]any) map[string]any {
	if block == nil {
		return nil
	}
	m, _ := plainValue(block).(map[string]any)
	return m
}

// plainValue makes every ordered mapping in v a plain map, at any depth.
func plainValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = plainValue(e)
		}
		return m
	case []handwritten.Field:
		m := make(map[string]any, len(x))
		for _, f := range x {
			m[f.Key] = plainValue(f.Value)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainValue(e)
		}
		return out
	}
	return v
}
