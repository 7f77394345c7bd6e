package portdoc

import (
	"fmt"
	"strconv"

	"portschema/schema"
)

// Adding is the worked example of the "Adding a service" section: a new
// service at a free port of a range in use (firstFreeSlot), on the host
// its range's first service runs on, added to the file declaring it. The
// snippet is valid source: appended to the platform, it loads.
type Adding struct {
	File    string
	Service string
	Snippet string
}

// Example values used where the platform has nothing to point at.
const (
	exampleService = "my-service"
	exampleFile    = "schema/services.cue"
)

func buildAdding(p *schema.Platform) Adding {
	r, port := firstFreeSlot(p)
	host, file := "my-host", exampleFile
	rangeName, comment := "my-range", "a free port of the range"
	if r != nil {
		rangeName = r.Name
		comment = fmt.Sprintf("a free port of %s (%d–%d)", r.Name, r.From, r.To)
		file = fileOf(r.At(""), file)
		for _, s := range p.Services {
			if s.Range == r.Name {
				host, file = s.Host, fileOf(s.At(""), file)
				break
			}
		}
	}
	if host == "my-host" && len(p.Hosts) > 0 {
		host = p.Hosts[0].Name
	}
	name := exampleService
	for n := 2; p.Service(name) != nil; n++ {
		name = exampleService + "-" + strconv.Itoa(n)
	}
	snippet := fmt.Sprintf(`services: %s: {
	host:        %s
	port:        %d // %s
	range:       %s
	runtime:     "Go"
	description: "What it does, in one line"
	// needs: ["postgres"] puts POSTGRES_URL in its environment;
	// public: ["my-service.example.com"] routes a hostname to it.
}
`, strconv.Quote(name), strconv.Quote(host), port, comment, strconv.Quote(rangeName))
	return Adding{File: file, Service: name, Snippet: snippet}
}

// firstFreeSlot picks the slot of the example: the first range (by
// first port) that already holds services and has a free unprivileged
// port, else the first range with any free port.
func firstFreeSlot(p *schema.Platform) (*schema.Range, int) {
	used := usedPorts(p)
	populated := map[string]bool{}
	for _, s := range p.Services {
		populated[s.Range] = true
	}
	for _, r := range p.Ranges {
		if !populated[r.Name] {
			continue
		}
		for _, sp := range freeSpans(r, used) {
			if sp.To >= unprivileged {
				return r, max(sp.From, unprivileged)
			}
		}
	}
	for _, r := range p.Ranges {
		if spans := freeSpans(r, used); len(spans) > 0 {
			return r, spans[0].From
		}
	}
	return nil, 3000
}

// unprivileged is the first port a process may bind without privileges.
const unprivileged = 1024

func fileOf(pos schema.Pos, fallback string) string {
	if pos.File != "" {
		return pos.File
	}
	return fallback
}
