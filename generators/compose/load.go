package compose

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"

	"portschema/schema"
)

// loadProject turns a host's compose document into a typed project with
// compose-go's loader, which checks it against the compose JSON schema
// and for consistency (image or build, known networks, depends_on
// targets). The document goes in as the maps a YAML file decodes to
// (see passThrough), so the loader validates and reads exactly what it
// would read from the file, without the cost of writing YAML for it to
// parse back. The loader rewrites the maps it is given: doc is spent.
// It is kept as written: no interpolation (`${X}` and `$$` are for
// compose on the host), no default network, relative paths left
// relative, no env_file, include or extends read from disk, and every
// profile active so that not-deployed services are kept.
func loadProject(h *schema.Host, doc map[string]any) (*types.Project, error) {
	return loadFile(h, types.ConfigFile{Filename: OutputPath(h), Config: doc})
}

// loadFile loads a host's compose file, given as a document or as YAML,
// with loadProject's options.
func loadFile(h *schema.Host, file types.ConfigFile) (*types.Project, error) {
	details := types.ConfigDetails{
		ConfigFiles: []types.ConfigFile{file},
		Environment: types.Mapping{},
	}
	return loader.LoadWithContext(context.Background(), details, func(o *loader.Options) {
		o.SetProjectName(h.Compose.Project, true)
		o.SkipInterpolation = true
		o.SkipNormalization = true
		o.ResolvePaths = false
		o.SkipResolveEnvironment = true
		o.SkipInclude = true
		o.SkipExtends = true
		o.Profiles = []string{"*"}
	})
}

// diagnose turns compose-go's error about a host's document into
// diagnostics at the source. compose-go stops at the first problem and
// names it by path or service name at best, so each service's block is
// loaded again on its own, beside stubs of the others, to find every
// block compose rejects; the error is put at the compose key it names,
// or at the compose block. The document that failed to load is spent,
// so it is built again, and each trial gets a copy of its own.
func diagnose(p *schema.Platform, h *schema.Host, loadErr error) error {
	doc, err := document(p, h)
	if err != nil {
		return err
	}
	services := doc["services"].(map[string]any)
	if _, err := loadProject(h, passThrough(withServices(doc, stubs(services))).(map[string]any)); err != nil {
		return schema.Diagnostics{{Pos: h.At("compose"),
			Message: fmt.Sprintf("host %s: compose rejects the host's top-level blocks: %v", h.Name, err)}}
	}
	var diags schema.Diagnostics
	for _, s := range p.ServicesOn(h.Name) {
		alone := stubs(services)
		alone[s.Name] = services[s.Name]
		if _, err := loadProject(h, passThrough(withServices(doc, alone)).(map[string]any)); err != nil {
			key, msg := explain(s.Name, err)
			diags = append(diags, schema.Diagnostic{Pos: s.At(key), Message: s.Name + ": " + msg})
		}
	}
	if len(diags) == 0 {
		return fmt.Errorf("compose rejects the file: %w", loadErr)
	}
	return diags
}

// stubs replaces every service by the smallest block compose accepts,
// so that references between services still resolve.
func stubs(services map[string]any) map[string]any {
	out := make(map[string]any, len(services))
	for name := range services {
		out[name] = map[string]any{"image": "stub"}
	}
	return out
}

// withServices is a shallow copy of doc with other services.
func withServices(doc, services map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		out[k] = v
	}
	out["services"] = services
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
	_, owned := schema.OwnedComposeKeys[key]
	return owned
}
