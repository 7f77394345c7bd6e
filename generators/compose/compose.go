// Package compose writes one docker compose file per compose host.
//
// For every service on the host the generator owns the keys that repeat
// what the source already says: the service name, container_name, ports,
// environment (the port variable, the URL of every need, plain values
// and secret references), depends_on, profiles and the portschema.*
// labels. Every other key of the service's compose block (image, build,
// command, healthcheck, volumes, mem_limit, ...) passes through as
// written, and the host's top-level blocks (volumes, networks, secrets,
// configs) pass through too.
//
// What the user wrote (every service's compose block and the host's
// top-level blocks) is validated with compose-go's loader: the compose
// JSON schema and its consistency checks (image or build, declared
// networks and volumes, ...). The owned keys are the generator's own and
// correct by construction, which the tests prove by loading every
// generated file with the loader. The file is then written from the
// document itself (see marshalDocument): pass-through values as the
// source wrote them, with their paths made relative to the file's
// directory (see paths.go), keys in the order people write them (image,
// build, container_name, ...), ports in the short syntax wherever
// compose-go reads it back as the same port, so that a PR diff reads
// like a hand edit and two runs give the same bytes.
//
// Services that are not deployed stay in the file under the profile
// "not-deployed": `docker compose up` does not start them, their
// definition stays reviewable and validated, and deploying one is a
// one-line diff.
package compose

import (
	"errors"
	"fmt"
	"sync"

	"portschema/generators/output"
	"portschema/schema"
)

// NotDeployedProfile is the compose profile of services that are not
// deployed. No one enables it in normal operation, so `docker compose up`
// leaves them alone; `--profile not-deployed` starts them on purpose.
const NotDeployedProfile = "not-deployed"

// OutputPath is where a compose host's file goes: the path the source
// sets (hosts.X.compose.output), else out/docker-compose.<host>.yml.
func OutputPath(h *schema.Host) string {
	if h.Compose != nil && h.Compose.Output != "" {
		return h.Compose.Output
	}
	return "out/docker-compose." + h.Name + ".yml"
}

// Generate returns the compose file of every compose host, in host name
// order. Problems in the source (a compose block compose rejects) come
// back together as schema.Diagnostics at the offending positions. Hosts
// are independent (each builds its own document from the read-only
// model), so they are generated concurrently; results are gathered by
// position, which keeps the files, the diagnostics and the first other
// error the same as one host after another would give.
func Generate(p *schema.Platform) ([]output.File, error) {
	var hosts []*schema.Host
	for _, h := range p.Hosts {
		if h.Kind == schema.KindCompose {
			hosts = append(hosts, h)
		}
	}
	data := make([][]byte, len(hosts))
	errs := make([]error, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Go(func() { data[i], errs[i] = generateHost(p, h) })
	}
	wg.Wait()
	var files []output.File
	var diags schema.Diagnostics
	for i, h := range hosts {
		var ds schema.Diagnostics
		switch err := errs[i]; {
		case errors.As(err, &ds):
			diags = append(diags, ds...)
		case err != nil:
			return nil, fmt.Errorf("compose: host %s: %w", h.Name, err)
		default:
			files = append(files, output.File{Path: OutputPath(h), Data: data[i]})
		}
	}
	if len(diags) > 0 {
		return nil, diags.Sort()
	}
	return files, nil
}

// generateHost validates and renders one host's compose file.
func generateHost(p *schema.Platform, h *schema.Host) ([]byte, error) {
	if h.Compose == nil {
		return nil, schema.Diagnostics{{Pos: h.At("kind"), Message: fmt.Sprintf("host %s: a compose host needs a compose block", h.Name)}}
	}
	doc, err := document(p, h)
	if err != nil {
		return nil, err
	}
	if err := validate(p, h); err != nil {
		return nil, err
	}
	body, err := marshalDocument(doc)
	if err != nil {
		return nil, err
	}
	return append([]byte(output.Header(output.HashComment)), body...), nil
}
