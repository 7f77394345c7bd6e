package synthetic

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
)

// shape is what varies between synthetic platforms beyond their size:
// the round-trip property of the audit must hold for platforms of every
// shape, not for one layout.
type shape struct {
	// seed drives every per-service choice; 0 makes each choice the
	// first, the fixed shape the benchmarks time.
	seed uint64
	// hosts are indexes into the hosts table, core (where Prometheus
	// and the probe exporter run) first; groups go round them.
	hosts []int
	// tunnelHost is the compose host that runs the tunnel.
	tunnelHost string
	// containerNames is true when compose hosts name containers
	// "{project}-{name}" rather than by the service name alone.
	containerNames bool
	// layout says what the edge host is.
	layout Layout
}

// fixedShape is the shape of FilesFor: every host, the tunnel on core,
// project-prefixed container names, every feature on every service.
func fixedShape(l Layout) *shape {
	return &shape{hosts: []int{0, 1, 2, 3}, tunnelHost: "core", containerNames: true, layout: l}
}

// shapeOf draws a shape from seed.
func shapeOf(seed uint64) *shape {
	if seed == 0 {
		return fixedShape(ComposeEdge)
	}
	r := rand.New(rand.NewPCG(seed, 0x5ec7))
	sh := &shape{seed: seed, hosts: []int{0}, tunnelHost: "core", containerNames: r.IntN(2) == 0}
	for hi := 1; hi < len(hosts); hi++ {
		if r.IntN(2) == 0 {
			sh.hosts = append(sh.hosts, hi)
		}
	}
	r.Shuffle(len(sh.hosts)-1, func(a, b int) { sh.hosts[a+1], sh.hosts[b+1] = sh.hosts[b+1], sh.hosts[a+1] })
	for _, hi := range sh.hosts {
		if hosts[hi].name == "edge" && r.IntN(3) == 0 {
			sh.layout = ClusterEdge
		}
		if hosts[hi].name == "edge" && sh.layout == ComposeEdge && r.IntN(2) == 0 {
			sh.tunnelHost = "edge"
		}
	}
	return sh
}

// hostOf is the index into hosts of service i's host.
func (sh *shape) hostOf(i int) int { return sh.hosts[(i/groupSize)%len(sh.hosts)] }

// draw makes the choice called what for service i among k options; the
// fixed shape always takes the first.
func (sh *shape) draw(i int, what string, k int) int {
	if sh.seed == 0 {
		return 0
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d/%d/%s", sh.seed, i, what)
	return int(h.Sum64() % uint64(k))
}

// portEnv writes the variable service i reads its port from: PORT, a
// name of the service's own, or none (the image's default).
func (sh *shape) portEnv(field func(string, ...any), i int) {
	switch sh.draw(i, "port_env", 3) {
	case 0:
		field("port_env:    \"PORT\"")
	case 1:
		field("port_env:    \"APP_HTTP_PORT\"")
	}
}
