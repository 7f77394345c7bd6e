package schema

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"hash/fnv"

	"portschema/schema/memo"
)

// A split source is kept in the memo in chunks smaller than the parts
// it is evaluated in: a run that finds nothing in the memo evaluates
// parts of partSize services, which cost less per service than many
// small ones, and what a part evaluated to is cut into its chunks'
// services; the rest of the source (platform, ranges, hosts, every
// other block) is kept once.
//
// A chunk's entry is found by what its services evaluate from besides
// their own declarations (the definitions and the source with every
// service cut out) and by the name that ends the chunk. It holds each
// service's JSON, by name, sealed under the key of exactly what the
// service evaluated from: that and its own declarations. Services of a
// split source do not see one another (see planParts), so a service
// evaluates to the same value in any part that holds it: a run takes
// from the entry every service whose declarations are still those (its
// key opens its value), and evaluates the others alone. A change to a
// service, or one added or removed, evaluates that service, not its
// chunk; and a service's value, secrets its source may hold included,
// can only be read by a run that holds its source.
//
// A chunk ends after a service whose name hashes to a multiple of
// chunkSize (or at maxChunk services), so adding or removing a service
// changes its own chunk only. Smaller chunks make every run read more
// entries (about 25 µs each) and a change rewrite a smaller one:
// measured after one change, chunks of 12 and of 48 cost the same at
// 1,000 and 10,000 services.
const (
	chunkSize = 12
	maxChunk  = 2 * chunkSize
)

// onePartUpTo is the most services a run evaluates in one part when
// the memo holds the others (see evaluateChunks).
const onePartUpTo = 24

// chunks returns the services of the source, sorted, cut into chunks.
func (plan *splitPlan) chunks() [][]string {
	var out [][]string
	start := 0
	for i, name := range plan.names {
		if i+1-start == maxChunk || endsChunk(name) || i == len(plan.names)-1 {
			out = append(out, plan.names[start:i+1])
			start = i + 1
		}
	}
	return out
}

// endsChunk reports whether a chunk ends after the service of that name.
func endsChunk(name string) bool {
	h := fnv.New32a()
	h.Write([]byte(name))
	return h.Sum32()%chunkSize == 0
}

// evaluateChunks is evaluate through the memo: it returns the rest of
// the source's JSON first, then every chunk's services, taking from
// store every chunk (and the rest) kept found there, and evaluating the
// others, in parts, to keep them.
func (plan *splitPlan) evaluateChunks(src *Source, store memo.Store, kept keptChunks, early *earlyDecoding) ([][]byte, bool) {
	docs, chunks, keys := kept.docs, kept.chunks, kept.keys
	if len(kept.missing) == 0 {
		return docs, true
	}
	keptDocs := map[int][]byte{} // final: a kept chunk is not evaluated again
	for i, data := range docs[1:] {
		if data != nil {
			keptDocs[1+i] = data
		}
	}
	early.start(keptDocs)
	part, parts := partition(kept.missing)
	if len(kept.missing) <= onePartUpTo {
		// A change to a few services: one part, on one core, while the
		// other decodes the kept chunks, costs a part's evaluation of
		// the definitions and the rest less for the same time.
		for name := range part {
			part[name] = 0
		}
		parts = 1
	}
	for _, name := range plan.names {
		if _, in := part[name]; !in {
			part[name] = -1 // in no part: kept
		}
	}
	restKept := docs[0] != nil
	var leave map[string]bool
	if restKept {
		leave = plan.apart // the services alone are to evaluate
	}
	evaluated, ok := plan.evaluateParts(src, part, parts, leave)
	if !ok {
		return nil, false
	}
	services := kept.services
	for _, doc := range evaluated {
		restDoc, ss, err := cutServices(doc)
		if err != nil {
			return nil, false
		}
		for name, raw := range ss {
			services[name] = raw
		}
		if !restKept {
			docs[0] = restDoc
		}
	}
	if !restKept {
		store.Put(kept.restKey, docs[0])
	}
	for i, names := range chunks {
		if docs[1+i] != nil {
			continue
		}
		chunk := make(map[string]json.RawMessage, len(names))
		for _, name := range names {
			if raw, ok := services[name]; ok {
				chunk[name] = raw
			}
		}
		data, err := json.Marshal(map[string]any{"services": chunk})
		if err != nil {
			return nil, false
		}
		docs[1+i] = data
		if entry, ok := chunkEntry(kept.serviceKeys[i], names, chunk); ok {
			store.Put(keys[i], entry)
		}
	}
	return docs, true
}

// keptChunks is what the memo holds of a source's chunks.
type keptChunks struct {
	chunks      [][]string
	keys        []memo.Key   // of each chunk's entry
	serviceKeys [][]memo.Key // of each chunk's services (see serviceKey)
	restKey     memo.Key
	// docs are the rest's JSON and each chunk's, nil where the memo
	// holds none or holds some of its services as other declarations
	// evaluated.
	docs [][]byte
	// services are the JSON of the services the memo holds of chunks
	// it does not hold whole.
	services map[string]json.RawMessage
	// missing are the services to evaluate: those the memo holds no
	// JSON of for their declarations (or those of the first chunk, for
	// the rest alone).
	missing []string
}

// kept looks up the source's chunks and its rest in store.
func (plan *splitPlan) kept(src *Source, store memo.Store) keptChunks {
	k := keptChunks{chunks: plan.chunks(), services: map[string]json.RawMessage{}}
	rest, servicesRest := plan.restDigests(src)
	k.restKey = store.NewKey("source without services").Add(rest[:]).Key()
	k.keys = make([]memo.Key, len(k.chunks))
	k.serviceKeys = make([][]memo.Key, len(k.chunks))
	k.docs = make([][]byte, 1+len(k.chunks))
	decls := make(map[string][]serviceDecl, len(plan.names))
	for _, d := range plan.decls {
		decls[d.name] = append(decls[d.name], d)
	}
	for i, names := range k.chunks {
		k.keys[i] = chunkKey(store, servicesRest, names)
		k.serviceKeys[i] = make([]memo.Key, len(names))
		for j, name := range names {
			k.serviceKeys[i][j] = serviceKey(store, src, servicesRest, decls[name])
		}
		k.missing = append(k.missing, k.take(i, store)...)
	}
	if data, ok := store.Get(k.restKey); ok {
		k.docs[0] = data
	} else if len(k.missing) == 0 {
		k.missing = k.chunks[0] // the rest comes with any part
	}
	return k
}

// valueKeys are the keys of every service's value (see serviceKey), by
// name.
func (k *keptChunks) valueKeys() map[string]memo.Key {
	keys := make(map[string]memo.Key, len(k.chunks)*chunkSize)
	for i, names := range k.chunks {
		for j, name := range names {
			keys[name] = k.serviceKeys[i][j]
		}
	}
	return keys
}

// take takes what the memo holds of chunk i: the JSON of every service
// whose key opens its value in the chunk's entry, as the chunk's JSON
// when all do; it returns the services left to evaluate.
func (k *keptChunks) take(i int, store memo.Store) []string {
	names := k.chunks[i]
	data, ok := store.Get(k.keys[i])
	if !ok {
		return names
	}
	values := openChunk(data, names, k.serviceKeys[i])
	var missing []string
	for j, name := range names {
		if values[j] == nil {
			missing = append(missing, name)
		}
	}
	if len(missing) == 0 {
		k.docs[1+i] = chunkDoc(names, values)
		return nil
	}
	for j, name := range names {
		if values[j] != nil {
			k.services[name] = values[j]
		}
	}
	return missing
}

// chunkEntry is what a chunk's entry holds: each service's name and
// JSON, in the chunk's order, the JSON sealed under the service's key
// (an evaluation that gave none of a service keeps nothing of it).
func chunkEntry(keys []memo.Key, names []string, services map[string]json.RawMessage) ([]byte, bool) {
	var out []byte
	for j, name := range names {
		raw, ok := services[name]
		if !ok {
			continue
		}
		sealed, err := keys[j].Seal(raw)
		if err != nil {
			return nil, false
		}
		out = binary.AppendUvarint(out, uint64(len(name)))
		out = append(out, name...)
		out = binary.AppendUvarint(out, uint64(len(sealed)))
		out = append(out, sealed...)
	}
	return out, true
}

// openChunk reads a chunk's entry, written for these services or for
// the chunk as it was before one came or went: the JSON of each
// service of names that the entry holds under its key, else nil.
func openChunk(data []byte, names []string, keys []memo.Key) []json.RawMessage {
	index := make(map[string]int, len(names))
	for j, name := range names {
		index[name] = j
	}
	values := make([]json.RawMessage, len(names))
	for len(data) > 0 {
		name, rest, ok := cutPiece(data)
		if !ok {
			break
		}
		sealed, rest, ok := cutPiece(rest)
		if !ok {
			break
		}
		data = rest
		if j, ok := index[string(name)]; ok {
			if value, ok := keys[j].Unseal(sealed); ok && len(value) > 0 {
				values[j] = value
			}
		}
	}
	return values
}

// cutPiece cuts a piece written after its length from data.
func cutPiece(data []byte) (piece, rest []byte, ok bool) {
	n, size := binary.Uvarint(data)
	if size <= 0 || n > uint64(len(data)-size) {
		return nil, nil, false
	}
	end := size + int(n)
	return data[size:end], data[end:], true
}

// chunkDoc is the JSON of a chunk whose every service's JSON is known:
// {"services": {name: value, ...}}.
func chunkDoc(names []string, values []json.RawMessage) []byte {
	size := len(`{"services":{}}`)
	for j, name := range names {
		size += len(name) + len(values[j]) + 8
	}
	out := append(make([]byte, 0, size), `{"services":{`...)
	for j, name := range names {
		if j > 0 {
			out = append(out, ',')
		}
		quoted, _ := json.Marshal(name) // a string always marshals
		out = append(append(append(out, quoted...), ':'), values[j]...)
	}
	return append(out, "}}"...)
}

// restDigests are the digests of the source with every service cut
// out, and of what the services evaluate from besides their own
// declarations: the same but the apart files (see apartFiles). Each
// holds the definitions and the files, without the lines that hold no
// code (see codeLines).
func (plan *splitPlan) restDigests(src *Source) (rest, services [32]byte) {
	none := make(map[string]int, len(plan.names))
	for _, name := range plan.names {
		none[name] = 1
	}
	files := plan.only(src, none, 0)
	all, apart := sha256.New(), sha256.New()
	add := func(b []byte, apartToo bool) {
		length := binary.AppendUvarint(nil, uint64(len(b)))
		all.Write(length)
		all.Write(b)
		if apartToo {
			apart.Write(length)
			apart.Write(b)
		}
	}
	add(Definitions, true)
	for _, name := range src.Names {
		add([]byte(name), !plan.apart[name])
		add(codeLines(files[name]), !plan.apart[name])
	}
	all.Sum(rest[:0])
	apart.Sum(services[:0])
	return rest, services
}

// chunkKey is the memo key of a chunk's entry: the rest's digest and
// the name that ends the chunk, which a service added to the chunk or
// removed from it leaves as it is (see endsChunk).
func chunkKey(store memo.Store, rest [32]byte, names []string) memo.Key {
	return store.NewKey("source chunk ending").Add(rest[:]).AddString(names[len(names)-1]).Key()
}

// serviceKey is the key of a service's value in its chunk's entry:
// the rest's digest and the service's declarations (in the order of the
// files' bytes), with the file each is in.
func serviceKey(store memo.Store, src *Source, rest [32]byte, decls []serviceDecl) memo.Key {
	k := store.NewKey("source service").Add(rest[:])
	for _, d := range decls {
		k.AddString(d.file).AddString(d.name).Add(src.Data[d.file][d.start:d.end])
	}
	return k.Key()
}

// cutServices splits a part's JSON into the rest of the source and its
// services, each as evaluated.
func cutServices(doc []byte) ([]byte, map[string]json.RawMessage, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil {
		return nil, nil, err
	}
	var services map[string]json.RawMessage
	if raw, ok := top["services"]; ok {
		if err := json.Unmarshal(raw, &services); err != nil {
			return nil, nil, err
		}
	}
	delete(top, "services")
	rest, err := json.Marshal(top)
	return rest, services, err
}
