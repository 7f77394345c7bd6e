package handwritten

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v4"

	"portschema/schema/readfile"
)

// ReadComposeProject reads several compose files as one project, the
// way `docker compose -f base.yml -f overlay.yml` does: compose-go's own
// loader merges them (later files override earlier ones, !reset and
// !override included) and follows include and extends, with
// interpolation off so that every ${VAR} stays a variable. The merged
// project is returned as one ComposeFile named after the first file,
// whose positions point back into the files as written: each service at
// its key in the last file that defines it, each environment entry and
// port at the line of the file that wrote it last (else the service's).
// envFiles are dotenv files whose COMPOSE_PROJECT_NAME, when set, names
// the project as it does for docker compose.
func ReadComposeProject(paths, envFiles []string) (*ComposeFile, error) {
	if len(paths) == 0 {
		return nil, fmt.Errorf("compose: a project needs at least one file")
	}
	var configs []types.ConfigFile
	var written []*ComposeFile
	for _, p := range paths {
		data, err := readFile("compose", p)
		if err != nil {
			return nil, err
		}
		configs = append(configs, types.ConfigFile{Filename: p, Content: data})
		// Each file alone, for its lines: an overlay need not stand on
		// its own, so only the YAML and the compose schema are checked.
		f, err := ParseCompose(p, data)
		if err != nil {
			return nil, err
		}
		written = append(written, f)
	}
	if len(written) == 1 {
		if err := standsAsProject(written[0]); err != nil {
			return nil, err
		}
	}
	env, err := readEnvFiles(envFiles)
	if err != nil {
		return nil, err
	}
	name := projectName(written, env)
	if len(written) == 1 && standsAlone(written[0]) {
		// Nothing to merge: the file as written, in the user's syntax.
		written[0].Name = name
		return written[0], nil
	}
	model, err := loadProjectModel(configs, env)
	if err != nil {
		return nil, fmt.Errorf("compose project %s: %w", strings.Join(paths, ","), err)
	}
	reached := reachedFiles(written)
	// The loader's own placeholder name is dropped: with no name the
	// reader of the result applies compose's directory rule.
	delete(model, "name")
	if name != "" {
		model["name"] = name
	}
	bindsFromVariables(model)
	sources := append(reached, written...)
	var guides [][]Field
	for _, w := range sources {
		if top, err := w.Ordered(); err == nil {
			guides = append(guides, top)
		}
	}
	node, err := orderedNode(model, guides)
	if err != nil {
		return nil, fmt.Errorf("compose project %s: %w", paths[0], err)
	}
	data, err := yaml.Marshal(node)
	if err != nil {
		return nil, fmt.Errorf("compose project %s: %w", paths[0], err)
	}
	f, err := ParseCompose(paths[0], data)
	if err != nil {
		return nil, err
	}
	pointBack(f, sources)
	f.Remarks = includeEnvRemarks(written)
	return f, nil
}

// projectName is the name: of the last file that writes one, overridden
// by the env files' COMPOSE_PROJECT_NAME, as docker compose takes it;
// "" when neither says.
func projectName(written []*ComposeFile, env map[string]string) string {
	name := ""
	for _, w := range written {
		if w.Name != "" {
			name = w.Name
		}
	}
	if n := env["COMPOSE_PROJECT_NAME"]; n != "" {
		name = n
	}
	return name
}

// standsAlone reports whether compose's loader reads the file as it
// stands: no include, no extends, no !reset or !override. Only these
// make the project compose runs differ from the file's own model
// (interpolation stays off either way).
func standsAlone(f *ComposeFile) bool {
	top, err := f.Ordered()
	if err != nil || ValueOf(top, "include") != nil {
		return false
	}
	for _, s := range f.Services {
		if s.Model["extends"] != nil {
			return false
		}
	}
	return !f.doc.hasTag("!reset", "!override")
}

// readEnvFiles reads dotenv files with compose-go's parser, later files
// overriding earlier ones.
func readEnvFiles(paths []string) (map[string]string, error) {
	env := map[string]string{}
	for _, p := range paths {
		data, err := readfile.Regular(p)
		if err != nil {
			return nil, fmt.Errorf("env file: %w", err)
		}
		vars, err := dotenv.UnmarshalBytesWithLookup(data, func(string) (string, bool) { return "", false })
		if err != nil {
			return nil, fmt.Errorf("env file %s: %w", p, err)
		}
		for k, v := range vars {
			env[k] = v
		}
	}
	return env, nil
}

// loadProjectModel merges the files with compose-go's loader, variables
// kept as written and paths as written. A panic inside the loader
// becomes an error.
func loadProjectModel(configs []types.ConfigFile, env map[string]string) (model map[string]any, err error) {
	defer func() {
		if r := recover(); r != nil {
			model, err = nil, fmt.Errorf("the compose loader failed on these files: %v", r)
		}
	}()
	details := types.ConfigDetails{
		WorkingDir:  absDir(configs[0].Filename),
		ConfigFiles: configs,
		// A copy: the loader writes its project name into it.
		Environment: types.Mapping(maps.Clone(env)),
	}
	return loader.LoadModelWithContext(context.Background(), details, func(o *loader.Options) {
		o.SkipInterpolation = true
		o.SkipResolveEnvironment = true
		o.ResolvePaths = false
		o.SkipNormalization = true
		o.SetProjectName("handwritten", false)
		size := 0
		for _, c := range configs {
			size += len(c.Content)
		}
		o.MaxNodeVisits = maxNodeVisits(size)
	})
}

// pointBack moves the positions of the merged file to the files as
// written.
func pointBack(f *ComposeFile, written []*ComposeFile) {
	for i := range f.Services {
		s := &f.Services[i]
		var last *ComposeService
		for _, w := range written {
			if ws := w.Service(s.Name); ws != nil {
				last = ws
			}
		}
		if last == nil {
			// Brought in by include or extends from a file not named.
			s.Pos, s.ContainerNamePos, s.CommandPos = Pos{File: f.Path}, Pos{File: f.Path}, Pos{File: f.Path}
		} else {
			s.Pos, s.ContainerNamePos, s.CommandPos = last.Pos, orPos(last.ContainerNamePos, last.Pos), orPos(last.CommandPos, last.Pos)
		}
		for j := range s.Environment {
			s.Environment[j].Pos = s.Pos
			for _, w := range written {
				if ws := w.Service(s.Name); ws != nil {
					if e, ok := ws.Env(s.Environment[j].Name); ok {
						s.Environment[j].Pos = e.Pos
					}
				}
			}
		}
		for j := range s.Ports {
			s.Ports[j].Pos = s.Pos
			for _, w := range written {
				if ws := w.Service(s.Name); ws != nil {
					for _, wp := range ws.Ports {
						if wp.Target == s.Ports[j].Target && wp.Published == s.Ports[j].Published && wp.Protocol == s.Ports[j].Protocol {
							s.Ports[j].Pos = wp.Pos
						}
					}
				}
			}
		}
		for j := range s.Expose {
			s.Expose[j].Pos = s.Pos
		}
	}
}

func orPos(p, fallback Pos) Pos {
	if p.IsValid() {
		return p
	}
	return fallback
}

// bindsFromVariables corrects the type of volume mounts whose source is
// a variable: compose interpolates before it tells a bind mount (a path)
// from a named volume, so the loader, with interpolation off, takes
// ${DATA_DIR:-./data} for a volume name. The source is expanded with
// its defaults, as compose would with the variable unset, to decide.
func bindsFromVariables(model map[string]any) {
	services, _ := model["services"].(map[string]any)
	for _, s := range services {
		svc, _ := s.(map[string]any)
		volumes, _ := svc["volumes"].([]any)
		for _, v := range volumes {
			m, _ := v.(map[string]any)
			source, _ := m["source"].(string)
			if m["type"] != "volume" || !strings.Contains(source, "$") {
				continue
			}
			if expanded, _ := ExpandDefaults(source); strings.HasPrefix(expanded, ".") || strings.HasPrefix(expanded, "/") || strings.HasPrefix(expanded, "~") {
				m["type"] = "bind"
				delete(m, "volume")
			}
		}
	}
}

// absDir is the directory of path, absolute: compose-go rebases the
// paths of included files from it, and a relative working directory
// would leave them relative to the process's directory instead of the
// file's.
func absDir(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return filepath.Dir(abs)
	}
	return filepath.Dir(path)
}

// includeEnvRemarks: an include entry with its own env_file has compose
// interpolate the included file from that file; merged into one file,
// its variables are read from the project's environment instead.
func includeEnvRemarks(files []*ComposeFile) []Remark {
	var out []Remark
	for _, f := range files {
		if f.doc == nil || f.doc.root == nil {
			continue
		}
		inc := lookup(f.doc.root, "include")
		if inc == nil {
			continue
		}
		for _, item := range items(inc.value) {
			env := lookup(item, "env_file")
			if env == nil {
				continue
			}
			out = append(out, Remark{Pos: f.doc.pos(env.keyN), Kind: "include-env",
				Message: fmt.Sprintf("compose interpolates this include from %s; merged into one file, its variables are read from the host's environment: copy them there", strings.Join(scalarList(env.value), ", "))})
		}
	}
	return out
}

// standsAsProject refuses a file named alone whose service has neither
// image, build nor extends: it only makes sense as an overlay of
// another file, and the message says how to name them together.
func standsAsProject(f *ComposeFile) error {
	for _, s := range f.Services {
		if s.Model["image"] == nil && s.Model["build"] == nil && s.Model["extends"] == nil {
			return fmt.Errorf("compose %s: service %s has neither image nor build: this file only makes sense as an overlay of another; name them as one project, base first: --compose BASE.yml,%s", s.Pos, s.Name, f.Path)
		}
	}
	return nil
}
