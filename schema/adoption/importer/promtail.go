package importer

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// Labels docker service discovery gives a container, as compose sets
// them; the promtail config's relabel rules read them.
const (
	metaContainerName  = "__meta_docker_container_name"
	metaComposeService = "__meta_docker_container_label_com_docker_compose_service"
	metaComposeProject = "__meta_docker_container_label_com_docker_compose_project"
)

// generatedLabels are the labels the generated relabel rules set; a
// hand-written rule setting one of them is replaced by the generated one.
var generatedLabels = map[string]bool{"service": true, "container": true, "project": true, "host": true, "tier": true}

// addPromtail reads the promtail config of each compose host (the i-th
// config is the i-th compose file's): the service running promtail
// becomes the host's logs shipper, the push client's target its store,
// and every container gets the tier the config's relabel rules give it,
// found by running those rules on the labels docker discovery gives the
// container. The tier of most containers is the host's default_tier;
// the others' becomes their service's tier:. Settings the generated
// config does not write are passed through; what it writes differently
// is said in a comment.
func (b *builder) addPromtail() {
	var composeHosts []*schema.Host
	for _, h := range b.src.Platform.Hosts {
		if h.Compose != nil {
			composeHosts = append(composeHosts, h)
		}
	}
	for i, in := range b.in.Promtail {
		if i >= len(composeHosts) {
			b.finding("promtail-without-host", handwritten.Pos{File: in.File.Path},
				"%s has no compose file to go with (the i-th promtail config is the i-th compose file's); it is not imported", baseName(in.File.Path))
			continue
		}
		b.addLogs(composeHosts[i], in)
	}
}

// addLogs imports one promtail config into a host's logs block.
func (b *builder) addLogs(h *schema.Host, in PromtailInput) {
	f := in.File
	notes := b.hostNotes(h)
	skip := func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		b.finding("promtail", handwritten.Pos{File: f.Path}, "%s; the config is not imported", msg)
		notes.Add("compose", fmt.Sprintf("%s was not imported: %s", baseName(f.Path), msg))
	}
	job, ok := dockerJob(f)
	if !ok {
		skip("it has no scrape job with docker_sd_configs alone")
		return
	}
	shipper := b.shipperOn(h)
	if shipper == nil {
		skip("no service of host %s runs promtail", h.Name)
		return
	}
	clients := asList(handwritten.ValueOf(in.Raw, "clients"))
	if len(clients) == 0 {
		skip("it has no push client")
		return
	}
	client := handwritten.FieldsOf(clients[0])
	push, _ := handwritten.ValueOf(client, "url").(string)
	store, path, why := b.storeOf(h, push)
	if store == nil {
		skip("%s", why)
		return
	}
	l := &schema.Logs{Shipper: shipper.Name, Store: store.Name, PushPath: path, DockerHost: job.DockerSD[0].Host,
		RefreshInterval: job.DockerSD[0].RefreshInterval, Positions: "/tmp/positions.yaml", DefaultTier: "other"}
	note := func(format string, args ...any) { notes.Add("compose.logs", fmt.Sprintf(format, args...)) }
	if len(clients) > 1 {
		note("%s pushes to %d clients; only the first is kept", baseName(f.Path), len(clients))
	}
	for _, fl := range client {
		if fl.Key != "url" {
			l.Client = setKey(l.Client, fl.Key, handwritten.Plain(fl.Value))
		}
	}
	b.readPromtailTopLevel(l, in, shipper, note)
	if stages := handwritten.ValueOf(handwritten.FieldsOf(asList(handwritten.ValueOf(in.Raw, "scrape_configs"))[job.index]), "pipeline_stages"); stages != nil {
		for _, st := range asList(handwritten.Plain(stages)) {
			if m, ok := st.(map[string]any); ok {
				l.PipelineStages = append(l.PipelineStages, m)
			}
		}
	}
	for _, filter := range job.DockerSD[0].Filters {
		if filter.Name != "label" || len(filter.Values) != 1 || !strings.HasPrefix(filter.Values[0], "com.docker.compose.project") {
			note("the filter %s=%s is replaced by the generated one, which keeps the containers of compose project %s", filter.Name, strings.Join(filter.Values, ","), h.Compose.Project)
		}
	}
	b.assignTiers(h, l, job, note)
	h.Compose.Logs = l
	note("logs from %s: its relabel rules gave each container the tier now declared on its service (or default_tier); the generated rules also label each line with its host", baseName(f.Path))
}

// promtailJob is the scrape job of a promtail config that discovers
// docker containers, with its index in scrape_configs.
type promtailJob struct {
	handwritten.LogsJob
	index int
}

// dockerJob finds the one scrape job that discovers docker containers.
func dockerJob(f *handwritten.LogsFile) (promtailJob, bool) {
	for i, j := range f.Jobs {
		if len(j.DockerSD) == 1 && len(j.OtherSD) == 0 && j.DockerSD[0].Host != "" {
			return promtailJob{j, i}, true
		}
	}
	return promtailJob{}, false
}

// shipperOn is the service of a host whose image is promtail's.
func (b *builder) shipperOn(h *schema.Host) *svc {
	for _, s := range b.svcs {
		img, _ := handwritten.ValueOf(s.raw, "image").(string)
		if s.Host == h.Name && strings.Contains(strings.ToLower(img), "promtail") {
			return s
		}
	}
	return nil
}

// storeOf finds the service a push URL names on the host's compose
// network or by a host's LAN address, and the URL's path.
func (b *builder) storeOf(h *schema.Host, push string) (*svc, string, string) {
	u, err := url.Parse(push)
	if err != nil || u.Hostname() == "" {
		return nil, "", fmt.Sprintf("its push URL %q names no host", push)
	}
	path := u.Path
	if path == "" {
		path = "/"
	}
	if s := b.dns[h.Name][strings.ToLower(u.Hostname())]; s != nil {
		return s, path, ""
	}
	port, _ := strconv.Atoi(u.Port())
	if other := b.lan[u.Hostname()]; other != nil && port != 0 {
		if s := b.hostPort[other.Name][port]; s != nil {
			return s, path, ""
		}
	}
	return nil, "", fmt.Sprintf("its push URL %s names no service", push)
}

// readPromtailTopLevel reads server and positions, and notes the
// top-level keys the generated config has no place for.
func (b *builder) readPromtailTopLevel(l *schema.Logs, in PromtailInput, shipper *svc, note func(string, ...any)) {
	for _, fl := range in.Raw {
		switch fl.Key {
		case "server":
			for _, sf := range handwritten.FieldsOf(fl.Value) {
				v := handwritten.Plain(sf.Value)
				switch {
				case sf.Key == "http_listen_port":
					if port, ok := v.(int); ok && port != shipper.ContainerPort {
						note("the config listened on %d; the shipper's port in the source, %d, is written instead", port, shipper.ContainerPort)
					}
				case sf.Key == "grpc_listen_port" && v == 0:
					// The generated config writes 0 itself.
				default:
					l.Server = setKey(l.Server, sf.Key, v)
				}
			}
		case "positions":
			for _, pf := range handwritten.FieldsOf(fl.Value) {
				if s, ok := pf.Value.(string); ok && pf.Key == "filename" {
					l.Positions = s
				} else {
					note("positions.%s was dropped: the source has no place for it", pf.Key)
				}
			}
		case "clients", "scrape_configs":
		default:
			note("%s of %s was dropped: the source has no place for it", fl.Key, baseName(in.File.Path))
		}
	}
}

// assignTiers runs the config's relabel rules on each container of the
// host as docker discovery lists it, and sets the tier they give it.
func (b *builder) assignTiers(h *schema.Host, l *schema.Logs, job promtailJob, note func(string, ...any)) {
	discovered := func(container, service string) map[string]string {
		return map[string]string{metaContainerName: "/" + container, metaComposeService: service, metaComposeProject: h.Compose.Project}
	}
	// What a container no rule names gets: the default tier.
	unknown, skipped := relabel(discovered("\x00", "\x00"), job.Relabels)
	for _, r := range skipped {
		note("the relabel rule at %s (action %s) is not read; check what it did", r.Pos, r.Action)
	}
	if def := unknown["tier"]; def != "" {
		if IsName(def) {
			l.DefaultTier = def
		} else {
			note("the default tier %q is not a valid name; containers of services without a tier get %q", def, l.DefaultTier)
		}
	} else {
		note("containers no rule named had no tier; they get %q now", l.DefaultTier)
	}
	for _, r := range job.Relabels {
		if !generatedLabels[r.TargetLabel] {
			note("the relabel rule at %s (setting %s) is not kept: the generated rules set service, container, project, host and tier", r.Pos, r.TargetLabel)
		}
	}
	for _, s := range b.svcs {
		if s.Host != h.Name || s.origin == nil {
			continue
		}
		container := s.Container
		if container == "" {
			container = s.Name
		}
		labels, _ := relabel(discovered(container, s.origin.Name), job.Relabels)
		tier := labels["tier"]
		switch {
		case tier == "" || tier == l.DefaultTier:
		case !IsName(tier):
			s.Notes.Add("tier", fmt.Sprintf("its logs' tier was %q, which is not a valid name; it gets the default tier", tier))
		default:
			s.Tier = tier
		}
	}
}

// setKey sets a key of a pass-through block, made on first use.
func setKey(m map[string]any, key string, v any) map[string]any {
	if m == nil {
		m = map[string]any{}
	}
	m[key] = v
	return m
}
