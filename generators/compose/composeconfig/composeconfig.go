// Package composeconfig loads a compose project the way `docker compose
// config` shows it (compose-go's loader: files merged, include and
// extends followed, variables interpolated from one environment, paths
// resolved, every profile enabled) and compares two such projects
// service by service on what decides how a deployment runs: its name,
// and per service the container name, image, ports with host IP and
// protocol, environment, volumes and networks under the names docker
// gives them, profiles, depends_on conditions, healthcheck and labels.
//
// Tests use it to prove that what import read and regen wrote is the
// same project, or differs exactly where import said it would.
package composeconfig

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// Load reads the files as one project, interpolated with env.
// COMPOSE_PROJECT_NAME in env names the project, as it does for docker
// compose; otherwise the files' name:, else their directory's name.
func Load(files []string, env map[string]string) (*types.Project, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("no compose file")
	}
	dir, err := filepath.Abs(filepath.Dir(files[0]))
	if err != nil {
		return nil, err
	}
	var configs []types.ConfigFile
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			return nil, err
		}
		configs = append(configs, types.ConfigFile{Filename: abs})
	}
	environment := types.Mapping{}
	for k, v := range env {
		environment[k] = v
	}
	return loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: configs,
		Environment: environment,
	}, func(o *loader.Options) {
		o.Profiles = []string{"*"}
		if name := env["COMPOSE_PROJECT_NAME"]; name != "" {
			o.SetProjectName(name, true)
		} else {
			// docker compose's last resort; a name: in the files wins.
			o.SetProjectName(loader.NormalizeProjectName(filepath.Base(dir)), false)
		}
	})
}

// Difference is one aspect of one service (or of the project, Service
// "") that differs, with both sides as text.
type Difference struct {
	Service, Aspect string
	In, Out         string
}

// Key is "service.aspect", or "project.name".
func (d Difference) Key() string {
	if d.Service == "" {
		return "project." + d.Aspect
	}
	return d.Service + "." + d.Aspect
}

func (d Difference) String() string {
	return fmt.Sprintf("%s:\n  in:  %s\n  out: %s", d.Key(), d.In, d.Out)
}

// Compare lists every aspect in which out differs from in, sorted.
// Labels in ignoredLabelPrefix (a generator's own) are left out.
func Compare(in, out *types.Project, ignoredLabelPrefix string) []Difference {
	var diffs []Difference
	if in.Name != out.Name {
		diffs = append(diffs, Difference{Aspect: "name", In: in.Name, Out: out.Name})
	}
	names := map[string]bool{}
	for n := range in.Services {
		names[n] = true
	}
	for n := range out.Services {
		names[n] = true
	}
	for _, n := range slices.Sorted(maps.Keys(names)) {
		a, okIn := in.Services[n]
		b, okOut := out.Services[n]
		if !okIn || !okOut {
			diffs = append(diffs, Difference{Service: n, Aspect: "present", In: fmt.Sprint(okIn), Out: fmt.Sprint(okOut)})
			continue
		}
		va, vb := aspects(in, a, ignoredLabelPrefix), aspects(out, b, ignoredLabelPrefix)
		for _, k := range slices.Sorted(maps.Keys(va)) {
			if va[k] != vb[k] {
				diffs = append(diffs, Difference{Service: n, Aspect: k, In: va[k], Out: vb[k]})
			}
		}
	}
	return diffs
}

// aspects renders what is compared of a service, each as one line of
// text in a canonical order.
func aspects(p *types.Project, s types.ServiceConfig, ignoredLabelPrefix string) map[string]string {
	container := s.ContainerName
	if container == "" {
		container = p.Name + "-" + s.Name + "-1"
	}
	var ports []string
	for _, pc := range s.Ports {
		ports = append(ports, fmt.Sprintf("%s:%s:%d/%s", pc.HostIP, pc.Published, pc.Target, pc.Protocol))
	}
	var env []string
	for k, v := range s.Environment {
		if v == nil {
			env = append(env, k+" (from the shell)")
		} else {
			env = append(env, k+"="+*v)
		}
	}
	var volumes []string
	for _, v := range s.Volumes {
		source := v.Source
		if v.Type == types.VolumeTypeVolume {
			if vol, ok := p.Volumes[v.Source]; ok && vol.Name != "" {
				source = "volume " + vol.Name
			}
		}
		volumes = append(volumes, fmt.Sprintf("%s %s:%s ro=%v", v.Type, source, v.Target, v.ReadOnly))
	}
	var networks []string
	for k := range s.Networks {
		name := k
		if n, ok := p.Networks[k]; ok && n.Name != "" {
			name = n.Name
		}
		networks = append(networks, name)
	}
	var depends []string
	for k, d := range s.DependsOn {
		depends = append(depends, fmt.Sprintf("%s %s required=%v", k, d.Condition, d.Required))
	}
	var labels []string
	for k, v := range s.Labels {
		if ignoredLabelPrefix == "" || !strings.HasPrefix(k, ignoredLabelPrefix) {
			labels = append(labels, k+"="+v)
		}
	}
	health := "none"
	if h := s.HealthCheck; h != nil {
		health = fmt.Sprintf("test=%q interval=%v timeout=%v retries=%v start_period=%v disable=%v",
			[]string(h.Test), deref(h.Interval), deref(h.Timeout), deref(h.Retries), deref(h.StartPeriod), h.Disable)
	}
	return map[string]string{
		"container_name": container,
		"image":          s.Image,
		"ports":          sortedList(ports),
		"environment":    sortedList(env),
		"volumes":        sortedList(volumes),
		"networks":       sortedList(networks),
		"profiles":       sortedList(slices.Clone(s.Profiles)),
		"depends_on":     sortedList(depends),
		"labels":         sortedList(labels),
		"healthcheck":    health,
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func sortedList(l []string) string {
	slices.Sort(l)
	return "[" + strings.Join(l, ", ") + "]"
}
