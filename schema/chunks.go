package schema

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"slices"

	"portschema/schema/memo"
)

// A split source is kept in the memo in chunks smaller than the parts
// it is evaluated in: a change to one service evaluates its chunk again
// (chunkSize services on average), while a run that finds nothing in
// the memo evaluates parts of partSize services, which cost less per
// service than many small ones. What a part evaluated to is cut into
// its chunks' services, and the rest of the source (platform, ranges,
// hosts, every other block) is kept once.
//
// A chunk's entry is keyed by what its services evaluate from besides
// their own declarations (the definitions and the source with every
// service cut out) and by their names; it holds the chunk's JSON and,
// for each service, the digest of the declarations it was evaluated
// from. Services of a split source do not see one another (see
// planParts), so a service evaluates to the same value in any part
// that holds it: a run takes from the entry every service whose
// declarations are still those, and evaluates the others alone. A
// change to one service evaluates that service, not its chunk.
//
// A chunk ends after a service whose name hashes to a multiple of
// chunkSize (or at maxChunk services), so adding or removing a service
// changes its own chunk only. Smaller chunks make a change cheaper to
// evaluate and every run read more entries: a service costs about
// 0.5 ms to evaluate (and a part 3 ms more), an entry about 25 µs to
// read, and at 12 a change at 1,000 imported services costs 7% less CPU
// than at 25 while one at 10,000 costs the same.
const (
	chunkSize = 12
	maxChunk  = 2 * chunkSize
)

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
	if len(kept.missing) <= maxChunk {
		// A change to a service or two: one part, on one core, while
		// the other decodes the kept chunks, costs a part's evaluation
		// of the definitions and the rest less for the same time.
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
	evaluated, ok := plan.evaluateParts(src, part, parts)
	if !ok {
		return nil, false
	}
	services := kept.services
	restKept := docs[0] != nil
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
		store.Put(keys[i], chunkEntry(kept.digests[i], data))
	}
	return docs, true
}

// keptChunks is what the memo holds of a source's chunks.
type keptChunks struct {
	chunks  [][]string
	keys    []memo.Key   // of each chunk
	digests [][][32]byte // of each chunk's services' declarations
	restKey memo.Key
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
	rest := plan.restDigest(src)
	k.restKey = store.NewKey("source without services").Add(rest[:]).Key()
	k.keys = make([]memo.Key, len(k.chunks))
	k.digests = make([][][32]byte, len(k.chunks))
	k.docs = make([][]byte, 1+len(k.chunks))
	decls := make(map[string][]serviceDecl, len(plan.names))
	for _, d := range plan.decls {
		decls[d.name] = append(decls[d.name], d)
	}
	for i, names := range k.chunks {
		k.keys[i] = chunkKey(store, rest, names)
		k.digests[i] = declDigests(src, names, decls)
		k.missing = append(k.missing, k.take(i, store)...)
	}
	if data, ok := store.Get(k.restKey); ok {
		k.docs[0] = data
	} else if len(k.missing) == 0 {
		k.missing = k.chunks[0] // the rest comes with any part
	}
	return k
}

// take takes what the memo holds of chunk i: the chunk's JSON when every
// service's declarations are those its entry was evaluated from, else
// the JSON of the services whose declarations are; it returns the
// services left to evaluate.
func (k *keptChunks) take(i int, store memo.Store) []string {
	names := k.chunks[i]
	data, ok := store.Get(k.keys[i])
	if !ok {
		return names
	}
	doc, same, ok := openChunk(data, k.digests[i])
	if !ok {
		return names
	}
	if !slices.Contains(same, false) {
		k.docs[1+i] = doc
		return nil
	}
	_, services, err := cutServices(doc)
	if err != nil {
		return names
	}
	var missing []string
	for j, name := range names {
		raw, ok := services[name]
		if !same[j] || !ok {
			missing = append(missing, name)
			continue
		}
		k.services[name] = raw
	}
	return missing
}

// chunkEntry is what a chunk's entry holds: the digest of each
// service's declarations, in the chunk's order, then the chunk's JSON.
func chunkEntry(digests [][32]byte, doc []byte) []byte {
	out := binary.AppendUvarint(make([]byte, 0, 10+32*len(digests)+len(doc)), uint64(len(digests)))
	for _, d := range digests {
		out = append(out, d[:]...)
	}
	return append(out, doc...)
}

// openChunk reads a chunk's entry: its JSON, and for each service
// whether its declarations digest to the entry's; false for an entry
// of another number of services.
func openChunk(data []byte, digests [][32]byte) (doc []byte, same []bool, ok bool) {
	n, size := binary.Uvarint(data)
	if size <= 0 || n != uint64(len(digests)) || len(data)-size < 32*len(digests) {
		return nil, nil, false
	}
	data = data[size:]
	same = make([]bool, len(digests))
	for j, d := range digests {
		same[j] = [32]byte(data[32*j:32*j+32]) == d
	}
	return data[32*len(digests):], same, true
}

// restDigest is the digest of what every service evaluates from besides
// its own declarations: the definitions and every file of the source
// with every service cut out.
func (plan *splitPlan) restDigest(src *Source) [32]byte {
	none := make(map[string]int, len(plan.names))
	for _, name := range plan.names {
		none[name] = 1
	}
	files := plan.only(src, none, 0)
	h := sha256.New()
	add := func(b []byte) {
		h.Write(binary.AppendUvarint(nil, uint64(len(b))))
		h.Write(b)
	}
	add(Definitions)
	for _, name := range src.Names {
		add([]byte(name))
		add(files[name])
	}
	var d [32]byte
	h.Sum(d[:0])
	return d
}

// chunkKey is the memo key of a chunk's entry: the rest's digest and
// the names of its services.
func chunkKey(store memo.Store, rest [32]byte, names []string) memo.Key {
	k := store.NewKey("source chunk by names").Add(rest[:])
	for _, name := range names {
		k.AddString(name)
	}
	return k.Key()
}

// declDigests is the digest of the declarations of each service of
// names (decls, by service, in the order of the files' bytes), with the
// file each is in.
func declDigests(src *Source, names []string, decls map[string][]serviceDecl) [][32]byte {
	out := make([][32]byte, len(names))
	h := sha256.New()
	var lengths []byte
	add := func(b []byte) {
		lengths = binary.AppendUvarint(lengths[:0], uint64(len(b)))
		h.Write(lengths)
		h.Write(b)
	}
	for i, name := range names {
		h.Reset()
		for _, d := range decls[name] {
			add([]byte(d.file))
			add([]byte(d.name))
			add(src.Data[d.file][d.start:d.end])
		}
		h.Sum(out[i][:0])
	}
	return out
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
