// Package platformdiff compares two versions of a platform at the level
// a reviewer thinks in (portschema diff): services added, removed and
// moved; hostnames, routes, scrape jobs, probes, env names and secrets
// added or removed; references a removal leaves dangling; and the
// generated files each change touches. A pull request that removes a
// stack then reads as "removed one stack: 4 services, 3 hostnames, ..."
// instead of hundreds of lines of YAML.
//
// Each side is a loaded model with the files the generators make from
// it; routes, jobs and probes are read back from those files (package
// derived), so the comparison is of what would be deployed.
package platformdiff

import (
	"portschema/generators/output"
	"portschema/schema"
	"portschema/schema/review/derived"
)

// Side is one version of the platform: its model and generated files. A
// nil Platform is a project without a source yet (everything is added).
type Side struct {
	Platform *schema.Platform
	Files    []output.File
}

// Diff is the change from an old side to a new one.
type Diff struct {
	// Base says what the old side is ("HEAD", "origin/main at
	// 1a2b3c4"), for the reader; the caller sets it.
	Base     string
	Services Services
	Hosts    Changes
	Ranges   Changes
	// Hostnames are public hostnames, with the path a tunnel matches.
	Hostnames Changes
	Routes    Changes
	Jobs      Changes
	Probes    Changes
	// Env are the variables of services present on both sides (those of
	// added and removed services come and go with them).
	Env Changes
	// Secrets are the variables each host's services read from the host.
	Secrets Changes
	// Dangling are references in the new source to what was removed.
	Dangling []Dangling
	// Files are the generated files that differ, sorted by path.
	Files []File
}

// Services are the changes to services; stacks group the added and
// removed ones that need each other.
type Services struct {
	Added, Removed []Service
	// AddedStacks and RemovedStacks partition Added and Removed into
	// groups connected by needs; a group of one is a single service.
	AddedStacks, RemovedStacks [][]string
	// Changed are services on both sides that moved or changed state.
	Changed []Change
}

// Service is an added or removed service.
type Service struct {
	Name    string
	Host    string
	Port    int
	Range   string
	Summary string
	Files   []string
}

// Changes are the added, removed and changed items of one kind.
type Changes struct {
	Added, Removed, Changed []Change
}

// Len is the number of items in the changes.
func (c Changes) Len() int { return len(c.Added) + len(c.Removed) + len(c.Changed) }

// Change is one item that was added, removed or changed.
type Change struct {
	// Name identifies the item: a hostname, a job name, a variable.
	Name string
	// Of is what the item belongs to where its name alone is not
	// unique: the service of a variable, the host of a secret.
	Of string
	// Detail says what it is or what changed, in words.
	Detail string
	// Moved marks a service change of port, host or address.
	Moved bool
	// Files are the generated files whose changed lines show it.
	Files []string
	// marks are the strings that show the item in a changed line.
	marks []string
	// known is set when Files were known from where the item is, not
	// found in changed lines.
	known bool
}

// Label names the item with what it belongs to: "mana-notify
// MATRIX_URL", "macmini DB_PASSWORD".
func (c Change) Label() string {
	if c.Of == "" {
		return c.Name
	}
	return c.Of + " " + c.Name
}

// Dangling is a value of the new source that still names something the
// change removed.
type Dangling struct {
	Pos     schema.Pos
	Message string
}

// File is a generated file that differs between the sides.
type File struct {
	Path string
	// Kind is "added", "removed" or "changed".
	Kind           string
	Added, Removed int
	// Causes are the changes its lines show: the services, hosts and
	// ranges, or where none does, the other items.
	Causes           []string
	removed, addedLs []line
}

// Compare computes the change from old to new.
func Compare(old, new Side) *Diff {
	d := &Diff{}
	oldP, newP := old.Platform, new.Platform
	if oldP == nil {
		oldP = &schema.Platform{}
	}
	d.Services = compareServices(oldP, newP)
	d.Hosts = compareHosts(oldP, newP)
	d.Ranges = compareRanges(oldP, newP)
	d.Hostnames = compareHostnames(oldP, newP)
	oc, nc := derived.Read(old.Files), derived.Read(new.Files)
	d.Routes = compareRoutes(oc.Routes, nc.Routes)
	d.Jobs, d.Probes = compareJobs(oc.Jobs, nc.Jobs)
	d.Env = compareEnv(oldP, newP)
	d.Secrets = compareSecrets(oldP, newP)
	d.Dangling = dangling(oldP, newP, d)
	d.Files = compareFiles(old.Files, new.Files)
	d.attribute(oldP, newP)
	return d
}

// Empty reports whether nothing changed, in the model or the files.
func (d *Diff) Empty() bool {
	s := d.Services
	return len(s.Added)+len(s.Removed)+len(s.Changed) == 0 && len(d.Files) == 0 && len(d.Dangling) == 0 &&
		d.Hosts.Len()+d.Ranges.Len()+d.Hostnames.Len()+d.Routes.Len()+d.Jobs.Len()+d.Probes.Len()+d.Env.Len()+d.Secrets.Len() == 0
}
