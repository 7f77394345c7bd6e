// Package promtail generates the log shipper's configuration of each
// compose host that declares one (hosts.<name>.compose.logs): promtail
// reads the logs of the host's compose project from the docker socket
// and pushes them to the log store, each line labelled with its
// container's service, tier and host.
//
// The labels come from relabel rules written from the model:
//
//   - service and project from the labels compose puts on every
//     container (com.docker.compose.service, com.docker.compose.project),
//     container from the container's name;
//   - host, the name of the host in the source;
//   - tier: the default tier first, then one rule per tier listing the
//     compose services of that tier. The rules match the compose service
//     label, not the container name, so a container compose names
//     itself (`docker compose run`, a service scaled up) gets its
//     service's tier too.
//
// Discovery keeps the containers of the host's compose project only.
// The push URL is the model's answer to "where is the store reached
// from where the shipper runs" (schema.Platform.NeedURL), so moving the
// store moves the URL. Server, client and pipeline settings the source
// gives are passed through.
package promtail

import (
	"fmt"
	"maps"
	"slices"

	"portschema/generators/output"
	"portschema/generators/yamlout"
	"portschema/schema"
)

// Plan is the configuration of every compose host with logs, built
// once per run, with the problems found building it, which both the
// rules (Diagnostics) and the files (Files) need.
type Plan struct {
	hosts   []*schema.Host
	configs []*config // of each host
	diags   schema.Diagnostics
}

// Prepare builds the configuration of every host's logs block, finding
// on the way a shipper or store that is unknown, not deployed, or (the
// shipper) on another host; a store the shipper cannot reach; settings
// the generator owns. It reads no file.
func Prepare(p *schema.Platform, _ output.Read) (*Plan, error) {
	w := &Plan{}
	for _, h := range p.Hosts {
		if h.Compose == nil || h.Compose.Logs == nil {
			continue
		}
		cfg, ds := build(p, h)
		w.hosts, w.configs = append(w.hosts, h), append(w.configs, cfg)
		w.diags = append(w.diags, ds...)
	}
	w.diags = w.diags.Sort()
	return w, nil
}

// Diagnostics are the problems of the hosts' logs blocks, at their
// places in the source.
func (w *Plan) Diagnostics() schema.Diagnostics { return w.diags }

// Files are one configuration per compose host with logs, for a source
// whose Diagnostics hold no error.
func (w *Plan) Files() ([]output.File, error) {
	var files []output.File
	for i, h := range w.hosts {
		data, err := yamlout.Marshal(w.configs[i])
		if err != nil {
			return nil, fmt.Errorf("promtail: host %s: %w", h.Name, err)
		}
		files = append(files, output.File{Path: OutputPath(h), Data: data})
	}
	return files, nil
}

// OutputPath is the path of a host's configuration relative to the
// project root: logs.output, or out/promtail-<host>.yml.
func OutputPath(h *schema.Host) string {
	if h.Compose.Logs.Output != "" {
		return h.Compose.Logs.Output
	}
	return "out/promtail-" + h.Name + ".yml"
}

// build assembles one host's configuration and the problems found.
func build(p *schema.Platform, h *schema.Host) (*config, schema.Diagnostics) {
	l := h.Compose.Logs
	var diags schema.Diagnostics
	errorf := func(field, format string, args ...any) {
		diags = append(diags, schema.Diagnostic{Severity: schema.Error, Pos: h.At("compose.logs." + field),
			Message: fmt.Sprintf("host %s: logs: ", h.Name) + fmt.Sprintf(format, args...)})
	}
	shipper := service(p, h, l.Shipper, "shipper", errorf)
	store := service(p, h, l.Store, "store", errorf)
	if shipper != nil && shipper.Host != h.Name {
		errorf("shipper", "the shipper %s runs on host %s; it must run on host %s to read its containers' logs", shipper.Name, shipper.Host, h.Name)
		shipper = nil
	}
	cfg := &config{Positions: positions{Filename: l.Positions}}
	if shipper != nil && store != nil {
		url, err := p.NeedURL(p.HomeVantage(shipper), schema.Need{Service: store.Name, Target: store, Path: l.PushPath})
		if err != nil {
			errorf("store", "%s cannot reach %s from the %s: %v", shipper.Name, store.Name, p.HomeVantage(shipper), err)
		}
		cfg.Server = map[string]any{"http_listen_port": shipper.ContainerPort, "grpc_listen_port": 0}
		cfg.Clients = []client{{URL: url}}
	}
	for _, key := range slices.Sorted(maps.Keys(l.Server)) {
		if key == "http_listen_port" {
			errorf("server.http_listen_port", "http_listen_port is the shipper's port (%s's container_port); remove it", l.Shipper)
			continue
		}
		if cfg.Server != nil {
			cfg.Server[key] = yamlout.PassThrough(l.Server[key])
		}
	}
	if _, ok := l.Client["url"]; ok {
		errorf("client.url", "the push URL is generated from store: and push_path:; remove url")
	} else if cfg.Clients != nil && len(l.Client) > 0 {
		cfg.Clients[0].Extra = yamlout.PassThrough(l.Client).(map[string]any)
	}
	cfg.ScrapeConfigs = []scrapeConfig{containerScrape(p, h)}
	return cfg, diags
}

// service looks up the shipper or the store; it must exist and be
// deployed.
func service(p *schema.Platform, h *schema.Host, name, field string, errorf func(string, string, ...any)) *schema.Service {
	s := p.Service(name)
	switch {
	case s == nil:
		errorf(field, "unknown service %q%s", name, schema.Suggest(name, p.ServiceNames()))
	case !s.Deployed:
		errorf(field, "the %s %s is not deployed", field, name)
		return nil
	}
	return s
}
