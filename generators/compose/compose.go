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
// Check validates what the user wrote (every service's compose block and
// the host's top-level blocks) with compose-go's loader: the compose
// JSON schema and its consistency checks (image or build, declared
// networks and volumes, ...); it also owns the rules only compose needs
// (owned keys set by hand, container names, healthchecks). The owned keys
// are the generator's own and correct by construction, which the tests
// prove by loading every generated file with the loader. Generate writes
// the file from the document itself (see marshalDocument): pass-through
// values as the source wrote them, with their paths made relative to the
// file's directory (see paths.go), keys in the order people write them
// (image, build, container_name, ...), ports in the short syntax
// wherever compose-go reads it back as the same port, so that a PR diff
// reads like a hand edit and two runs give the same bytes.
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

// Check reports, at the source, everything compose makes of it: compose
// blocks on hosts without compose, keys and labels the generator owns
// set by hand, container names used twice on a host, healthchecks that
// probe a port the service does not listen on (warnings), variables
// compose reads from a host's environment that no service declares, and
// secrets spelt two ways (warnings; see checkSecrets), plain env URLs
// to names nothing on the compose network has (warnings; see
// checkEnvHosts), a dotenv file
// that renames the project (see checkProjectNames), and every
// service block and host block compose-go's loader rejects (see
// validate). Generate relies on a source that passes it.
func Check(p *schema.Platform, read output.Read) (schema.Diagnostics, error) {
	ds := append(checkOwnership(p), checkHealthchecks(p)...)
	ds = append(ds, checkSecrets(p)...)
	ds = append(ds, checkContainerPrefixes(p)...)
	ds = append(ds, checkEnvHosts(p)...)
	pinned, err := checkProjectNames(p, read)
	if err != nil {
		return nil, fmt.Errorf("compose: %w", err)
	}
	ds = append(ds, pinned...)
	ds = append(ds, checkValues(p)...)
	hosts := composeHosts(p)
	errs := make([]error, len(hosts))
	v := newValidator()
	var wg sync.WaitGroup
	for i, h := range hosts {
		if h.Compose == nil {
			ds.Errorf(h.At("kind"), nil, "host %s: a compose host needs a compose block", h.Name)
			continue
		}
		wg.Go(func() { errs[i] = v.validate(p, h) })
	}
	wg.Wait()
	for i, err := range errs {
		var hostDiags schema.Diagnostics
		switch {
		case errors.As(err, &hostDiags):
			ds = append(ds, hostDiags...)
		case err != nil:
			return nil, fmt.Errorf("compose: host %s: %w", hosts[i].Name, err)
		}
	}
	return ds.Sort(), nil
}

// composeHosts are the compose hosts, in name order.
func composeHosts(p *schema.Platform) []*schema.Host {
	var hosts []*schema.Host
	for _, h := range p.Hosts {
		if h.IsCompose() {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

// Generate returns the compose file of every compose host, in host name
// order, for a source that passed Check. Hosts are independent (each
// builds its own document from the read-only model), so they are
// generated concurrently; results are gathered by position, which keeps
// the files and the first error the same as one host after another
// would give.
func Generate(p *schema.Platform) ([]output.File, error) {
	hosts := composeHosts(p)
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

// generateHost renders one host's compose file.
func generateHost(p *schema.Platform, h *schema.Host) ([]byte, error) {
	doc, err := document(p, h)
	if err != nil {
		return nil, err
	}
	header := output.Header(output.HashComment)
	// Sized for the document at once: the room a buffer never touches
	// costs no memory.
	buf := make([]byte, 0, len(header)+serviceBytes*(len(h.Services)+1))
	return appendDocument(append(buf, header...), doc), nil
}

// serviceBytes is the room a host's document starts with for each of
// its services: a generated service block is 200 to 600 bytes.
const serviceBytes = 1 << 10
