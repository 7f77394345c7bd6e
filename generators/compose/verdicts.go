package compose

import (
	"portschema/schema"
	"portschema/schema/memo"
)

// verdicts remember, in the memo, which services of a host compose-go's
// loader accepted. A service's verdict is the digest of everything the
// loader read for it (see appendBlock): the output file's name, the
// project's name, the host's top-level blocks, and the blocks of the
// service and of every service it refers to (see withReferenced), so
// that any change to any of them asks the loader again. Only acceptances are kept: a rejected
// block is loaded again for its diagnostics (see diagnose), as on a
// first run.
//
// A verdict holds for the service on its own beside what it refers to,
// which is what the loader is given: references between blocks resolve
// in every chunk, and the loader's other rules are about one block and
// the host's top-level blocks. The one thing a chunk shares is its
// validation environment (see validationEnv): a service's acceptance is
// kept only when the chunk gave every variable the service reads the
// stand-in the service's own document gives it.
//
// A host's verdicts are one entry of the memo, the digests of its
// services' accepted blocks, rewritten when one changes: a file per
// host rather than per service. Every digest in it was accepted, so
// whichever of two concurrent runs writes last, the entry stays true.
type verdicts struct {
	store memo.Store
}

// verdictStep names the verdicts in the memo, and the format of the
// bytes their digests are made of.
const verdictStep = "compose-go accepts v3"

// hostVerdicts is what validate needs of a host's verdicts: its entry,
// the digests it held, and the digest of every service to load.
type hostVerdicts struct {
	entry   memo.Key
	known   map[[32]byte]bool // ids
	current []memo.Key        // of every service of the host, in its order
	pending []int             // indexes of the services to load
	// envs are the validation environments of the pending services'
	// own documents.
	envs []map[string]string
	// casts is the loader's cast table the environments are made with.
	casts *castTable
}

// envOf is the validation environment of a chunk's document, read
// before the loader spends it; nil when no verdict is kept.
func (hv *hostVerdicts) envOf(doc map[string]any) map[string]string {
	if hv == nil {
		return nil
	}
	return validationEnv(doc, hv.casts)
}

// sameEnv reports whether a chunk's environment gives the variables the
// i-th pending service reads the values its own document gives them.
func (hv *hostVerdicts) sameEnv(i int, env map[string]string) bool {
	if hv == nil {
		return false
	}
	for name, value := range hv.envs[i] {
		if got, ok := env[name]; !ok || got != value {
			return false
		}
	}
	return true
}

// pending returns the services of a host compose-go has not accepted
// before, in the host's order, and what accepted needs to record the
// loader's verdicts; with the memo off, every service.
func (vs verdicts) pending(p *schema.Platform, h *schema.Host, casts *castTable) ([]*schema.Service, *hostVerdicts) {
	if !vs.store.On() {
		return h.Services, nil
	}
	top, ok := appendBlock(nil, userDocument(h, nil))
	if !ok {
		return h.Services, nil
	}
	hv := &hostVerdicts{
		entry: vs.store.NewKey(verdictStep + " host").AddString(OutputPath(h)).AddString(h.Compose.Project).Key(),
		known: map[[32]byte]bool{},
		casts: casts,
	}
	if data, ok := vs.store.Get(hv.entry); ok {
		for _, id := range memo.SplitIDs(data) {
			hv.known[id] = true
		}
	}
	// What every service's verdict shares is hashed once: the top-level
	// blocks can be as large as a service's.
	hostDigest := vs.store.NewKey(verdictStep + " host blocks").AddString(OutputPath(h)).AddString(h.Compose.Project).
		Add(top).Key().ID()
	var services []*schema.Service
	var blocks []byte // reused: the key builder hashes what it is given
	for i, s := range h.Services {
		if blocks, ok = appendReferenced(blocks[:0], p, h, s); !ok {
			return h.Services, nil
		}
		k := vs.store.NewKey(verdictStep).Add(hostDigest[:]).AddString(s.Name).Add(blocks).Key()
		hv.current = append(hv.current, k)
		if !hv.known[k.ID()] {
			services = append(services, s)
			hv.pending = append(hv.pending, i)
			own := withReferenced(p, h, []*schema.Service{s})
			hv.envs = append(hv.envs, validationEnv(userDocument(h, own), casts))
		}
	}
	return services, hv
}

// record keeps the verdicts of a host whose pending services the loader
// accepted (accepted[i] for the i-th of them): the digests of every
// service now accepted, none of services that are gone.
func (vs verdicts) record(hv *hostVerdicts, accepted []bool) {
	if hv == nil {
		return
	}
	ok := make(map[int]bool, len(hv.pending))
	for i, idx := range hv.pending {
		ok[idx] = accepted[i]
	}
	var keys []memo.Key
	changed := len(hv.current) != len(hv.known)
	for i, k := range hv.current {
		if done, tried := ok[i]; (tried && done) || (!tried && hv.known[k.ID()]) {
			keys = append(keys, k)
			changed = changed || tried
		}
	}
	if changed {
		vs.store.Put(hv.entry, memo.JoinIDs(keys))
	}
}
