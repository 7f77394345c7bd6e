// Package generators is the ordered registry of everything portschema
// generates from the model. Each generator is a pure function from the
// model to files, in a package of its own; Run calls them all and only
// returns when every one succeeded, so a failing generator never leaves
// half a set of outputs behind.
package generators

import (
	"fmt"
	"sort"
	"sync"

	"portschema/generators/alerts"
	"portschema/generators/cloudflared"
	"portschema/generators/compose"
	"portschema/generators/env"
	"portschema/generators/output"
	"portschema/generators/portdoc"
	"portschema/generators/prometheus"
	"portschema/generators/promtail"
	"portschema/generators/urldoc"
	"portschema/schema"
)

// Generator is one output of the tool.
type Generator struct {
	Name     string
	Generate func(*schema.Platform) ([]output.File, error)
}

// All returns the generators in the order they run.
func All() []Generator {
	return []Generator{
		{Name: "portdoc", Generate: portdoc.Generate},
		{Name: "compose", Generate: compose.Generate},
		{Name: "prometheus", Generate: prometheus.Generate},
		{Name: "cloudflared", Generate: cloudflared.Generate},
		{Name: "env", Generate: env.Generate},
		{Name: "alerts", Generate: alerts.Generate},
		{Name: "promtail", Generate: promtail.Generate},
		{Name: "urldoc", Generate: urldoc.Generate},
	}
}

// Run calls every generator and returns all files, sorted by path. A
// path produced twice is an error; so is any generator's error, which
// keeps its type (schema.Diagnostics stays a source problem). The
// generators only read the model, so they run concurrently; their
// results are gathered by registry position, which keeps the outcome
// the same as running them in order: the first error in registry order
// wins, and a path produced twice names the later generator.
func Run(p *schema.Platform) ([]output.File, error) { return RunStaging(p, nil) }

// RunStaging is Run, handing each generator's files to ready (if not
// nil) as soon as the generator succeeds, from its goroutine: a writer
// can stage them while the other generators still run. What Run returns
// is still the only complete, checked result.
func RunStaging(p *schema.Platform, ready func([]output.File)) ([]output.File, error) {
	gens := All()
	outs := make([][]output.File, len(gens))
	errs := make([]error, len(gens))
	var wg sync.WaitGroup
	for i, g := range gens {
		wg.Go(func() {
			outs[i], errs[i] = g.Generate(p)
			if errs[i] == nil && ready != nil {
				ready(outs[i])
			}
		})
	}
	wg.Wait()
	var files []output.File
	owner := map[string]string{}
	for i, g := range gens {
		if err := errs[i]; err != nil {
			if _, ok := err.(schema.Diagnostics); ok {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %w", g.Name, err)
		}
		for _, f := range outs[i] {
			if prev, ok := owner[f.Path]; ok {
				return nil, fmt.Errorf("%s: output %s is also produced by %s", g.Name, f.Path, prev)
			}
			owner[f.Path] = g.Name
			files = append(files, f)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}
