// Package derived reads back what the generated files derive from the
// model, for the commands that explain a service (explain) and review a
// change (diff): the tunnel routes, the scrape jobs and probes, and the
// lines on which a service appears.
//
// It reads the files the generators wrote rather than deriving the same
// things again, so that what it shows is what will be deployed, from
// whichever generator wrote it. Routes and jobs are read with the same
// readers that read hand-written cloudflared and Prometheus configs.
package derived

import (
	"bytes"
	"path"

	"portschema/generators/output"
	"portschema/schema/adoption/handwritten"
)

// Route is one ingress rule of a generated tunnel config.
type Route struct {
	File     string
	Line     int
	Hostname string
	Path     string
	// Service is where cloudflared sends the request: a URL, or one of
	// its named services (http_status:404, ...).
	Service string
}

// Key names the requests a route matches.
func (r Route) Key() string { return r.Hostname + r.Path }

// Job is one scrape job of a generated Prometheus config.
type Job struct {
	File string
	Line int
	Name string
	// Probe is set for a blackbox job, whose targets are the URLs probed.
	Probe   bool
	Targets []Target
}

// Target is a static target of a job: an address scraped or a URL probed.
type Target struct {
	Address string
	Line    int
	// Service is the target's service label, "" when it has none.
	Service string
}

// Configs are the routes and jobs of a set of generated files, in file
// order.
type Configs struct {
	Routes []Route
	Jobs   []Job
}

// Read finds the tunnel configs and Prometheus configs among files by
// their shape (a top-level ingress list, a top-level scrape_configs
// list), whatever their paths, and reads their routes and jobs. A file
// it cannot parse as either was written by another generator.
func Read(files []output.File) Configs {
	var c Configs
	for _, f := range files {
		if ext := path.Ext(f.Path); ext != ".yml" && ext != ".yaml" {
			continue
		}
		if hasTopLevel(f.Data, "ingress:") {
			if cf, err := handwritten.ParseCloudflared(f.Path, f.Data); err == nil {
				for _, r := range cf.Rules {
					c.Routes = append(c.Routes, Route{File: f.Path, Line: r.Pos.Line, Hostname: r.Hostname, Path: r.Path, Service: r.Service})
				}
			}
		}
		if hasTopLevel(f.Data, "scrape_configs:") {
			if pf, err := handwritten.ParsePrometheus(f.Path, f.Data); err == nil {
				for _, j := range pf.Jobs {
					c.Jobs = append(c.Jobs, jobOf(f.Path, j))
				}
			}
		}
	}
	return c
}

func jobOf(file string, j handwritten.ScrapeJob) Job {
	job := Job{File: file, Line: j.Pos.Line, Name: j.Name, Probe: j.Probe != nil}
	for _, t := range j.Targets {
		job.Targets = append(job.Targets, Target{Address: t.Address, Line: t.Pos.Line, Service: t.Labels["service"]})
	}
	return job
}

// hasTopLevel reports whether a YAML document has key at the start of
// a line: a cheap test before parsing a file in full.
func hasTopLevel(data []byte, key string) bool {
	return bytes.HasPrefix(data, []byte(key)) || bytes.Contains(data, []byte("\n"+key))
}
