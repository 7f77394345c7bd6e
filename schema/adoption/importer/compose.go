package importer

import (
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/compose-spec/compose-go/v2/loader"

	"portschema/generators/compose"
	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

var (
	projectRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`) })
	containerRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`) })
)

// composeHostName derives a host name from a compose file name:
// docker-compose.macmini.yml is host "macmini".
func composeHostName(path, project string) string {
	base := strings.ToLower(baseName(path))
	for _, ext := range []string{".yml", ".yaml"} {
		base = strings.TrimSuffix(base, ext)
	}
	for _, prefix := range []string{"docker-compose.", "docker-compose-", "compose.", "compose-"} {
		base = strings.TrimPrefix(base, prefix)
	}
	if base == "docker-compose" || base == "compose" || base == "" {
		base = project
	}
	return SanitizeName(base, "compose")
}

// composeProject is the project name docker compose runs a file under:
// its top-level name:, else the name of the directory it lies in, both
// normalised as compose does. Volumes, networks and default container
// names derive from it, so keeping it keeps the running deployment's.
func composeProject(f *handwritten.ComposeFile) string {
	if f.Name != "" {
		return loader.NormalizeProjectName(f.Name)
	}
	dir, err := filepath.Abs(filepath.Dir(f.Path))
	if err != nil {
		return ""
	}
	return loader.NormalizeProjectName(filepath.Base(dir))
}

// addComposeFile adds a compose host and its services.
func (b *builder) addComposeFile(c *ComposeInput) {
	f := c.File
	project := composeProject(f)
	hostName := composeHostName(f.Path, project)
	if !projectRE().MatchString(project) {
		b.finding("project-name", handwritten.Pos{File: f.Path}, "compose project name %q is not valid; using %q, which renames every container, volume and network compose named after the project", project, hostName)
		project = hostName
	}
	h := b.addHost(&schema.Host{Name: hostName, Title: hostName, Kind: schema.KindCompose,
		Compose: &schema.ComposeHost{Project: project}})
	b.hostNotes(h).Add("", "From "+baseName(f.Path)+".")
	for _, r := range f.Remarks {
		b.finding(r.Kind, r.Pos, "%s", r.Message)
	}
	if c.Outside {
		b.finding("paths-outside-project", handwritten.Pos{File: f.Path},
			"%s lies outside the project: its relative paths (build contexts, bind mounts, env files), if any, are kept as written and now name files from the project root", baseName(f.Path))
	}
	b.readTopLevelBlocks(h, c)
	if slices.ContainsFunc(f.Services, func(s handwritten.ComposeService) bool { return s.ContainerName == "" }) {
		// compose names a container without container_name after the
		// project and the service; the containers keep those names.
		h.Compose.ContainerName = composeDefaultContainer
		b.hostNotes(h).Add("compose.container_name", "containers keep the names compose gave them: project, service name, replica 1")
	}
	rawServices := handwritten.FieldsOf(handwritten.ValueOf(c.Raw, "services"))
	b.dns[h.Name] = map[string]*svc{}
	for i := range f.Services {
		cs := &f.Services[i]
		s := &svc{Service: &schema.Service{Host: h.Name, Publish: true, Deployed: true, Scheme: "http"},
			origin: cs, raw: handwritten.FieldsOf(handwritten.ValueOf(rawServices, cs.Name)), pos: cs.Pos, dependsOn: map[string]string{}}
		b.addService(s, cs.Name)
		b.readComposeKeys(h, s, c.Dir)
		if cs.ContainerName == "" && s.Name != cs.Name {
			// Renamed: the container keeps the name of the service compose ran.
			s.Container = strings.NewReplacer("{project}", project, "{name}", cs.Name).Replace(composeDefaultContainer)
		}
		b.readPorts(h, s)
		names := append(cs.DNSNames(), s.Name)
		if cs.ContainerName == "" {
			// Docker's DNS also answers to the container's own name.
			names = append(names, project+"-"+cs.Name+"-1")
		}
		for _, n := range names {
			// Docker's DNS ignores case; URLs are matched lower-cased.
			n = strings.ToLower(n)
			if _, taken := b.dns[h.Name][n]; !taken {
				b.dns[h.Name][n] = s
			}
		}
	}
}

// readTopLevelBlocks passes through the top-level blocks of the compose
// file that a compose host declares (volumes, networks, ...: the blocks
// the definitions pass through), their paths moved from the file's
// directory to the root.
func (b *builder) readTopLevelBlocks(h *schema.Host, c *ComposeInput) {
	for _, f := range b.shape.Lookup("hosts", "compose").Shape.Fields {
		fl := handwritten.Lookup(c.Raw, f.Name)
		if f.Shape.Kind != schema.Open || fl == nil || fl.Value == nil {
			continue
		}
		v, stripped := stripAllSecretDefaults(handwritten.Plain(fl.Value))
		if stripped {
			b.hostNotes(h).Add("compose."+f.Name, "default values of secrets were removed from this block")
		}
		if !setByName(h.Compose, f.Name, movePaths(v, []string{f.Name}, c.Dir, true)) {
			b.hostNotes(h).Add("", fmt.Sprintf("the top-level %s of %s is not a mapping and was dropped", f.Name, baseName(c.File.Path)))
			b.finding("compose-block", handwritten.Pos{File: c.File.Path}, "top-level %s is not a mapping and is not imported", f.Name)
		}
	}
}

// readComposeKeys splits a compose service's keys into those passed
// through and those portschema owns, which become fields of the service.
// The paths of the keys passed through are moved from dir, the file's
// directory, to the root (see movePaths).
func (b *builder) readComposeKeys(h *schema.Host, s *svc, dir string) {
	cs := s.origin
	for _, f := range s.raw {
		switch f.Key {
		case "ports", "environment":
			// read from the reader's structured form
		case "container_name":
			b.readContainerName(h, s)
		case "depends_on":
			maps.Copy(s.dependsOn, dependsConditions(f.Value))
		case "profiles":
			// The generator's own profile for services not deployed
			// reads back as deployed: false; others are kept by name.
			if slices.Equal(cs.Profiles, []string{compose.NotDeployedProfile}) {
				s.Deployed = false
			} else {
				s.Profiles = cs.Profiles
			}
		default:
			v, stripped := stripAllSecretDefaults(f.Value)
			if stripped {
				s.Notes.Add("compose."+f.Key, "default values of secrets were removed here; set them on the host")
				b.finding("secret-default", cs.Pos, "%s: %s held the default value of a secret; it is not copied", s.Name, f.Key)
			}
			if f.Key == "labels" {
				v = b.dropOwnedLabels(s, v)
			}
			v = moveString(v, []string{f.Key}, dir, false, func(k string) any { return handwritten.ValueOf(s.raw, k) })
			s.setCompose(f.Key, v)
		}
	}
}

// composeDefaultContainer is the name docker compose gives the container
// of a service without container_name, as a host's naming rule.
const composeDefaultContainer = "{project}-{name}-1"

// defaultContainer is the container name the host's rule gives a
// service called name ("{name}" where import set no rule).
func defaultContainer(h *schema.Host, name string) string {
	rule := h.Compose.ContainerName
	if rule == "" {
		rule = "{name}"
	}
	return strings.NewReplacer("{project}", h.Compose.Project, "{name}", name).Replace(rule)
}

// readContainerName keeps container_name as the container override when
// it differs from the name the host's rule gives and is a valid
// container name.
func (b *builder) readContainerName(h *schema.Host, s *svc) {
	name := s.origin.ContainerName
	switch {
	case name == "" || name == defaultContainer(h, s.Name):
	case containerRE().MatchString(name):
		s.Container = name
	default:
		s.Notes.Add("", fmt.Sprintf("container_name %q is not a valid container name and was dropped", name))
		b.finding("container-name", s.origin.ContainerNamePos, "%s: container_name %q is not valid; the default name is used", s.Name, name)
	}
}

// dependsConditions reads depends_on in its list and mapping forms:
// each target with the condition compose waits for, service_started
// where none is written.
func dependsConditions(v any) map[string]string {
	out := map[string]string{}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if name, ok := e.(string); ok {
				out[name] = conditionStarted
			}
		}
	case []handwritten.Field:
		for _, f := range x {
			out[f.Key] = conditionStarted
			if c, ok := handwritten.ValueOf(handwritten.FieldsOf(f.Value), "condition").(string); ok && c != "" {
				out[f.Key] = c
			}
		}
	}
	return out
}

// Compose's start conditions, as depends_on writes them.
const (
	conditionStarted   = "service_started"
	conditionHealthy   = "service_healthy"
	conditionCompleted = "service_completed_successfully"
)

// hasHealthcheck reports whether a service's compose keys define a
// healthcheck that is not switched off, as the compose generator reads
// it: only then does a need wait for the target to be healthy.
func hasHealthcheck(s *svc) bool {
	hc := handwritten.FieldsOf(s.Compose["healthcheck"])
	if hc == nil {
		return false
	}
	if disabled, _ := handwritten.ValueOf(hc, "disable").(bool); disabled {
		return false
	}
	test := handwritten.ValueOf(hc, "test")
	if l, ok := test.([]any); ok && len(l) > 0 && l[0] == "NONE" {
		return false
	}
	return test != nil
}

// dropOwnedLabels removes labels in portschema's own namespace, which
// the generator writes.
func (b *builder) dropOwnedLabels(s *svc, v any) any {
	fs, ok := v.([]handwritten.Field)
	if !ok {
		return v
	}
	var kept []handwritten.Field
	for _, f := range fs {
		if strings.HasPrefix(f.Key, compose.LabelPrefix) {
			s.Notes.Add("compose.labels", fmt.Sprintf("label %s was dropped: portschema generates its own %s labels", f.Key, compose.LabelPrefix))
			b.finding("owned-label", s.pos, "%s: label %s is generated by portschema and was dropped", s.Name, f.Key)
			continue
		}
		kept = append(kept, f)
	}
	return kept
}
