package schema

import (
	"encoding/json"

	"cuelang.org/go/cue"
)

// A CUE error in one entity (a port of the wrong type in one service)
// stops CUE from exporting the source, but not the rest of it from
// being checked: a person fixing the source wants every problem at
// once, not the rules' errors one run after the CUE errors are gone.
// partialExport exports every entity that evaluates on its own and
// names those that do not, so that the rules run on the rest.
//
// A broken entity is left out of the model. References to it are not
// unknown names (it exists, with an error of its own), so the rules
// that report unknown names skip them (see Platform.broken). A broken
// block of another kind (platform, outputs, prometheus) is read by
// every output; then nothing is exported and only CUE's errors are
// reported.

// partialExport returns the source as JSON without its broken entities,
// and the broken entities' keys ("services.x"); nil data when a block
// other than an entity is broken.
func partialExport(v cue.Value, shape *Shape) (data []byte, broken map[string]bool) {
	if shape == nil {
		return nil, nil
	}
	doc := map[string]json.RawMessage{}
	broken = map[string]bool{}
	for _, top := range shape.Fields {
		fv := v.LookupPath(cue.MakePath(cue.Str(top.Name)))
		if !fv.Exists() {
			continue
		}
		if top.Shape == nil || top.Shape.Kind != Map {
			data, err := fv.MarshalJSON()
			if err != nil {
				return nil, nil
			}
			doc[top.Name] = data
			continue
		}
		entities, ok := exportEntities(fv, top.Name, broken)
		if !ok {
			return nil, nil
		}
		doc[top.Name] = entities
	}
	if len(broken) == 0 {
		return nil, nil // the error is not in an entity
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return nil, nil
	}
	return out, broken
}

// exportEntities exports each entity of a map block (services, hosts,
// ranges) that evaluates, and adds the others to broken.
func exportEntities(block cue.Value, name string, broken map[string]bool) (json.RawMessage, bool) {
	iter, err := block.Fields()
	if err != nil {
		return nil, false
	}
	entities := map[string]json.RawMessage{}
	for iter.Next() {
		key := iter.Selector().Unquoted()
		data, err := iter.Value().MarshalJSON()
		if err != nil {
			broken[name+"."+key] = true
			continue
		}
		entities[key] = data
	}
	out, err := json.Marshal(entities)
	return out, err == nil
}

// isBroken reports whether the entity of a kind ("hosts", "services",
// "ranges") and name has a CUE error of its own and was left out of the
// model: a reference to it is not an unknown name.
func (p *Platform) isBroken(kind, name string) bool { return p.broken[kind+"."+name] }
