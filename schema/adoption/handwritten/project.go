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
	env, err := readEnvFiles(envFiles)
	if err != nil {
		return nil, err
	}
	model, err := loadProjectModel(configs, env)
	if err != nil {
		return nil, fmt.Errorf("compose project %s: %w", strings.Join(paths, ","), err)
	}
	// The name: of the last file that writes one, else the env files'
	// COMPOSE_PROJECT_NAME, else none (the loader's own placeholder is
	// dropped): the reader of the result applies compose's directory rule.
	delete(model, "name")
	for _, w := range written {
		if w.Name != "" {
			model["name"] = w.Name
		}
	}
	if name := env["COMPOSE_PROJECT_NAME"]; name != "" {
		model["name"] = name
	}
	bindsFromVariables(model)
	data, err := yaml.Marshal(model)
	if err != nil {
		return nil, fmt.Errorf("compose project %s: %w", paths[0], err)
	}
	f, err := ParseCompose(paths[0], data)
	if err != nil {
		return nil, err
	}
	pointBack(f, written)
	return f, nil
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
		WorkingDir:  filepath.Dir(configs[0].Filename),
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
