package audit

import (
	"fmt"

	"portschema/schema/adoption/handwritten"
)

func (a *auditor) checkPrometheus() {
	p := a.files.Prometheus
	if p == nil {
		return
	}
	a.checkDuplicateJobs(p)
	for _, j := range p.Jobs {
		if j.Probe != nil {
			a.checkProbeJob(j)
			continue
		}
		for _, t := range j.Targets {
			a.checkScrapeTarget(fmt.Sprintf("job %s scrapes", j.Name), t.Address, j.Scheme, t.Pos)
		}
	}
	for _, t := range p.Alertmanagers {
		a.checkScrapeTarget("alerts are sent to", t.Address, "http", t.Pos)
	}
}

func (a *auditor) checkDuplicateJobs(p *handwritten.PrometheusFile) {
	first := map[string]handwritten.ScrapeJob{}
	for _, j := range p.Jobs {
		if prev, dup := first[j.Name]; dup {
			a.add(DuplicateJob, fmt.Sprintf("job name %q is used twice; Prometheus rejects the file", j.Name), j.Pos, prev.Pos)
			continue
		}
		first[j.Name] = j
	}
}

// checkProbeJob checks a blackbox job: the exporter it scrapes, and each
// probed URL that names a compose service (an internal probe). Public
// URLs go through the tunnel, whose routes checkTunnels follows.
func (a *auditor) checkProbeJob(j handwritten.ScrapeJob) {
	if j.Probe.Exporter != "" {
		a.checkScrapeTarget(fmt.Sprintf("job %s sends probes to exporter", j.Name), j.Probe.Exporter, j.Scheme, j.Probe.ExporterPos)
	}
	for _, t := range j.Targets {
		addr, ok := handwritten.ParseAddress(t.Address)
		if ok && addr.Scheme != "" && !isBareName(addr.Host) && !addr.IsIP() && len(a.world.services) > 0 {
			a.checkProbeRoute(j.Name, t, addr)
			continue
		}
		if !ok || addr.Scheme == "" || !isBareName(addr.Host) || addr.IsLoopback() {
			continue
		}
		a.checkService(fmt.Sprintf("job %s probes %s", j.Name, t.Address), addr, t.Pos)
	}
}

// checkScrapeTarget checks a host:port target against compose.
func (a *auditor) checkScrapeTarget(what, target, scheme string, pos Location) {
	addr, ok := handwritten.ParseAddress(target)
	if !ok || addr.Scheme != "" || !isBareName(addr.Host) || addr.IsLoopback() {
		return
	}
	if !addr.PortWritten {
		addr.Port = map[string]int{"https": 443}[scheme]
		if addr.Port == 0 {
			addr.Port = 80
		}
	}
	if t := a.world.lookup(addr.Host, nil); t != nil && a.checkNoMetrics(fmt.Sprintf("%s %s", what, target), t, addr.Port, pos) {
		return
	}
	a.checkService(fmt.Sprintf("%s %s", what, target), addr, pos)
}

// checkService reports a target naming no compose service, or a port
// the service does not listen on.
func (a *auditor) checkService(what string, addr handwritten.Address, pos Location) {
	if len(a.files.Compose) == 0 {
		return
	}
	t := a.world.lookup(addr.Host, nil)
	if t == nil {
		if !a.world.extraHosts[addr.Host] {
			a.add(ScrapeTargetUnknown, fmt.Sprintf("%s, but no compose service or container is called %s", what, addr.Host), pos)
		}
		return
	}
	if listens, known := t.listensOn(addr.Port); known && !listens {
		a.add(ScrapePortMismatch,
			fmt.Sprintf("%s, but %s listens on %s%s", what, t.Name, t.listenSummary(), hostPortHint(t, addr.Port)),
			append([]Location{pos}, t.listenPositions()...)...)
	}
}
