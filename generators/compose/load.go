package compose

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	interp "github.com/compose-spec/compose-go/v2/interpolation"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"portschema/schema"
	"portschema/schema/memo"
)

// validator checks what the user wrote for compose hosts with
// compose-go's loader.
//
// The loader's cost grows with every value it reads, and one call runs
// on one core, so a large host is checked in chunks side by side. A
// chunk holds its services' blocks and, so that references between
// services resolve exactly as in the whole file, the blocks of every
// service they refer to, and of those they refer to in turn.
//
// A service whose blocks (with those it refers to) and host blocks
// compose-go accepted before, in the same binary, is not read again:
// its verdict is kept in the memo (see verdicts).
type validator struct {
	// chunkSize is the most services handed to the loader at once:
	// enough that the host's top-level blocks, read again for every
	// chunk, cost little.
	chunkSize int
	// fewest is the fewest services a chunk holds when a host with
	// fewer than chunkSize services is split across the cores (see
	// chunking): below it the loader's fixed cost per call outweighs
	// the core gained.
	fewest int
	// loaders bounds the chunks loaded at once, of all hosts together,
	// to the cores: more would only hold more of the loader's memory at
	// once.
	loaders chan struct{}
	// verdicts are the services compose-go accepted in earlier runs.
	verdicts verdicts
	// casts is the loader's cast table, for interpolating documents
	// before the loader reads them (see checkProject).
	casts *castTable
}

func newValidator() *validator {
	return &validator{chunkSize: 250, fewest: 16, loaders: make(chan struct{}, runtime.GOMAXPROCS(0)),
		verdicts: verdicts{store: memo.Open(memo.ToolIdentity())}, casts: loaderCasts()}
}

// validate checks what the user wrote for a host, every service's
// compose block as written and the host's top-level blocks, against the
// compose JSON schema and for consistency (image or build, declared
// networks, volumes, secrets and configs, network_mode service:X).
// Problems come back as diagnostics at the source (see diagnose).
//
// Only the services without a verdict are loaded; each chunk the loader
// accepts gives its services theirs (see verdicts).
func (v *validator) validate(p *schema.Platform, h *schema.Host) error {
	services, known := v.verdicts.pending(p, h, v.casts)
	chunks, size := v.chunking(len(services))
	errs := make([]error, chunks)
	accepted := make([]bool, len(services))
	var wg sync.WaitGroup
	for i := range chunks {
		lo, hi := i*size, min(len(services), (i+1)*size)
		wg.Go(func() {
			v.loaders <- struct{}{}
			defer func() { <-v.loaders }()
			doc := userDocument(h, withReferenced(p, h, services[lo:hi]))
			env := known.envOf(doc)
			errs[i] = v.checkProject(h, doc)
			for j := lo; j < hi; j++ {
				accepted[j] = errs[i] == nil && known.sameEnv(j, env)
			}
		})
	}
	wg.Wait()
	v.verdicts.record(known, accepted)
	for _, err := range errs {
		if err != nil {
			return v.diagnose(h, err)
		}
	}
	return nil
}

// chunking splits n services into chunks of at most chunkSize, and into
// at least as many chunks as the loader has cores while each still
// holds fewest services: a host of a few dozen services is otherwise
// read on one core while the other waits, and its check is the last
// thing a regen waits for.
func (v *validator) chunking(n int) (chunks, size int) {
	chunks = (n + v.chunkSize - 1) / v.chunkSize
	if cores := cap(v.loaders); chunks < cores {
		chunks = max(chunks, min(cores, n/v.fewest))
	}
	if chunks == 0 {
		return 0, 0
	}
	return chunks, (n + chunks - 1) / chunks
}

// withReferenced returns the compose blocks of services, as written,
// and of every service of the host they refer to, directly or not.
// Any string of a block that names a service of the host, alone or as
// "service:NAME" or "NAME:..." (network_mode, ipc, pid, volumes_from,
// links, additional build contexts), counts as a reference: one too
// many costs a block read twice, one too few would fail a valid file.
func withReferenced(p *schema.Platform, h *schema.Host, services []*schema.Service) map[string]any {
	blocks := make(map[string]any, len(services))
	for _, s := range referenced(p, h, services...) {
		blocks[s.Name] = userBlock(s)
	}
	return blocks
}

// referenced is services and every service of h their blocks refer to,
// directly or not, each once.
func referenced(p *schema.Platform, h *schema.Host, services ...*schema.Service) []*schema.Service {
	var out []*schema.Service
	seen := make(map[string]bool, len(services))
	queue := slices.Clone(services)
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if seen[s.Name] {
			continue
		}
		seen[s.Name] = true
		out = append(out, s)
		eachString(s.Compose, func(v string) {
			v = strings.TrimPrefix(v, "service:")
			name, _, _ := strings.Cut(v, ":")
			if t := p.Service(name); t != nil && t.HostRef == h {
				queue = append(queue, t)
			}
		})
	}
	return out
}

// userBlock is a copy of a service's compose block as written (see
// passThrough), without the keys the generator owns: setting one is an
// error of its own (see checkOwnership), and the loader's opinion of
// the value would only repeat it.
func userBlock(s *schema.Service) map[string]any {
	block := passThrough(s.Compose).(map[string]any)
	for key := range block {
		if _, owned := OwnedKey(key); owned {
			delete(block, key)
		}
	}
	return block
}

// eachString calls f with every string in a block, keys of maps
// excluded.
func eachString(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case map[string]any:
		for _, e := range v {
			eachString(e, f)
		}
	case []any:
		for _, e := range v {
			eachString(e, f)
		}
	}
}

// userDocument is the compose document of what the user wrote for a
// host: the host's top-level blocks, copied (see passThrough) since the
// loader rewrites the maps it is given, and the given service blocks.
func userDocument(h *schema.Host, services map[string]any) map[string]any {
	doc := map[string]any{"name": h.Compose.Project, "services": services}
	for key, block := range topLevelBlocks(h) {
		doc[key] = passThrough(block)
	}
	return doc
}

// loadProject turns a host's compose document into a typed project with
// compose-go's loader. The document goes in as the maps a YAML file
// decodes to (see passThrough), so the loader validates and reads
// exactly what it would read from the file, without the cost of
// writing YAML for it to parse back. The loader rewrites the maps it is
// given: doc is spent. It is kept as written: no interpolation (`${X}`
// and `$$` are for compose on the host), no default network, relative
// paths left relative, no env_file, include or extends read from disk,
// and every profile active so that not-deployed services are kept.
func loadProject(h *schema.Host, doc map[string]any) (*types.Project, error) {
	return loadFile(h, types.ConfigFile{Filename: OutputPath(h), Config: doc}, nil)
}

// checkProject loads a host's compose document as loadProject does, but
// interpolated in its validation environment (see validationEnv):
// compose decides what some values are only after it interpolates.
func (v *validator) checkProject(h *schema.Host, doc map[string]any) error {
	env := validationEnv(doc, v.casts)
	withDefaultNetwork(doc)
	_, err := loadInterpolated(h, doc, env, v.casts)
	return err
}

// loadInterpolated is loadFile of a document in env, with the document
// interpolated before the loader reads it (see interpolation), which
// costs a fraction of the loader's own step. Where that fails, the
// loader interpolates the document itself, so that its error is its
// own, word for word.
func loadInterpolated(h *schema.Host, doc map[string]any, env map[string]string, casts *castTable) (*types.Project, error) {
	details := types.ConfigDetails{Environment: types.Mapping(env)}
	if done, ok := newInterpolation(casts, &details, h.Compose.Project).document(doc); ok {
		return load(h, types.ConfigFile{Filename: OutputPath(h), Config: done}, env, verbatim())
	}
	return loadFile(h, types.ConfigFile{Filename: OutputPath(h), Config: doc}, env)
}

// withDefaultNetwork declares the network compose creates for every
// project, which a service may name (networks: [default]) without a
// top-level networks: entry. The loader adds it only when it
// normalises, which the checks skip to read the blocks as written.
func withDefaultNetwork(doc map[string]any) {
	networks, _ := doc["networks"].(map[string]any)
	if _, declared := networks["default"]; declared {
		return
	}
	if networks == nil {
		networks = map[string]any{}
		doc["networks"] = networks
	}
	networks["default"] = map[string]any{}
}

// loadFile loads a host's compose file, given as a document or as YAML,
// with loadProject's options, interpolated from env (see
// validationEnv); nil env loads it as written, without interpolation.
func loadFile(h *schema.Host, file types.ConfigFile, env map[string]string) (*types.Project, error) {
	return load(h, file, env, nil)
}

// load is loadFile with the interpolation given (nil: the loader's own).
func load(h *schema.Host, file types.ConfigFile, env map[string]string, interpolation *interp.Options) (*types.Project, error) {
	details := types.ConfigDetails{
		ConfigFiles: []types.ConfigFile{file},
		Environment: types.Mapping(env),
	}
	return loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName(h.Compose.Project, true)
		o.SkipInterpolation = env == nil
		if interpolation != nil {
			o.Interpolate = interpolation
		}
		o.SkipNormalization = true
		o.ResolvePaths = false
		o.SkipResolveEnvironment = true
		o.SkipInclude = true
		o.SkipExtends = true
		o.Profiles = []string{"*"}
	})
}

// diagnose turns compose-go's error about what the user wrote for a
// host into diagnostics at the source. compose-go stops at the first
// problem and names it by path or service name at best, so each
// service's block is loaded again on its own, beside stubs of the
// others, to find every block compose rejects; the error is put at the
// compose key it names, or at the compose block.
func (v *validator) diagnose(h *schema.Host, loadErr error) error {
	services := h.Services
	if err := v.checkProject(h, userDocument(h, stubs(services, nil))); err != nil {
		return schema.Diagnostics{{Pos: h.At("compose"),
			Message: fmt.Sprintf("host %s: compose rejects the host's top-level blocks: %v", h.Name, err)}}
	}
	var diags schema.Diagnostics
	for _, s := range services {
		if err := v.checkProject(h, userDocument(h, stubs(services, s))); err != nil {
			if ds := decodingProblems(s, err); len(ds) > 0 {
				diags = append(diags, ds...)
				continue
			}
			key, msg := explain(s.Name, err)
			diags = append(diags, schema.Diagnostic{Pos: s.At(key), Message: s.Name + ": " + msg})
		}
	}
	if len(diags) == 0 {
		return fmt.Errorf("compose rejects the file: %w", loadErr)
	}
	return diags
}

// stubs are the smallest blocks compose accepts for every service, so
// that references between services still resolve (a stub can be built
// where the service can, for additional build contexts), with the
// block of service alone (if not nil) as written.
func stubs(services []*schema.Service, alone *schema.Service) map[string]any {
	out := make(map[string]any, len(services))
	for _, s := range services {
		stub := map[string]any{"image": "stub"}
		if _, builds := s.Compose["build"]; builds {
			stub["build"] = "."
		}
		out[s.Name] = stub
	}
	if alone != nil {
		out[alone.Name] = userBlock(alone)
	}
	return out
}

// explain turns compose-go's error about one service into the source
// path it is about (the compose key it names, or the compose block) and
// a one-line message. compose-go names a key as services.<name>.<key>
// or services[<name>].<key>, and says "false schema" for a key the
// compose schema does not know.
func explain(service string, err error) (path, msg string) {
	msg = strings.Join(strings.Fields(err.Error()), " ")
	name := regexp.QuoteMeta(service)
	keyRE := regexp.MustCompile(`services(?:\.` + name + `|\[` + name + `\])\.([a-z_]+)((?:\.[A-Za-z0-9_-]+)*)( false schema)?`)
	m := keyRE.FindStringSubmatch(msg)
	if m == nil || isOwned(m[1]) {
		return "compose", "compose rejects the service: " + msg
	}
	if m[3] != "" {
		return "compose." + m[1], fmt.Sprintf("compose rejects the service: unknown compose key %s%s", m[1], m[2])
	}
	return "compose." + m[1], "compose rejects the service: " + msg
}

// isOwned reports whether a compose key is one the generator writes, so
// an error about it is not about anything the user wrote.
func isOwned(key string) bool {
	_, owned := OwnedKey(key)
	return owned
}
