package schema

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// validate checks the rules across values that CUE cannot check cheaply
// or cannot name both parties of: collisions, references, reachability.
// Each rule is linear in the size of the source and only reads the
// model, so the rules run side by side, each into its own collector;
// their findings are joined in this order and sorted.
func validate(p *Platform) (errs, warns Diagnostics) {
	rules := []func(*collector, *Platform){
		checkNames, checkRanges, checkReferences, checkPorts, checkPlans, checkPublic, checkEnv,
		checkNeeds, checkCompose, checkHealthchecks, checkMetrics, checkOutputs, checkLeftovers,
		func(c *collector, p *Platform) { c.diags = append(c.diags, p.LaptopClashes()...) },
	}
	found := make([]collector, len(rules))
	var wg sync.WaitGroup
	for i, rule := range rules {
		wg.Go(func() { rule(&found[i], p) })
	}
	wg.Wait()
	all := &collector{}
	for _, c := range found {
		all.diags = append(all.diags, c.diags...)
	}
	return all.split()
}

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// checkNames catches names the CUE pattern constraints let through
// unconstrained ([#Name]: only applies to names that match).
func checkNames(c *collector, p *Platform) {
	check := func(kind, name string, pos Pos) {
		if !nameRE.MatchString(name) || len(name) > 63 {
			c.errorf(pos, nil, "%s name %q must be lower-case letters, digits and dashes, starting with a letter", kind, name)
		}
	}
	for _, r := range p.Ranges {
		check("range", r.Name, r.At(""))
	}
	for _, h := range p.Hosts {
		check("host", h.Name, h.At(""))
	}
	for _, s := range p.Services {
		check("service", s.Name, s.At(""))
	}
}

func checkRanges(c *collector, p *Platform) {
	// Ranges are sorted by first port: each must start after the
	// furthest end seen so far.
	var widest *Range
	for _, r := range p.Ranges {
		if widest != nil && r.From <= widest.To {
			c.errorf(r.At("from"), []Pos{widest.At("")}, "range %s (%d-%d) overlaps range %s (%d-%d)",
				r.Name, r.From, r.To, widest.Name, widest.From, widest.To)
		}
		if widest == nil || r.To > widest.To {
			widest = r
		}
	}
}

func checkReferences(c *collector, p *Platform) {
	for _, s := range p.Services {
		if p.Host(s.Host) == nil {
			c.errorf(s.At("host"), nil, "%s: unknown host %q%s", s.Name, s.Host, suggest(s.Host, hostNames(p)))
		}
		if p.Range(s.Range) == nil {
			c.errorf(s.At("range"), nil, "%s: unknown range %q%s", s.Name, s.Range, suggest(s.Range, rangeNames(p)))
		}
		if s.Planned != nil && s.Planned.Range != "" && p.Range(s.Planned.Range) == nil {
			c.errorf(s.At("planned.range"), nil, "%s: unknown range %q", s.Name, s.Planned.Range)
		}
		if s.FrontendOf != "" && p.Service(s.FrontendOf) == nil {
			c.errorf(s.At("frontend_of"), nil, "%s: unknown service %q", s.Name, s.FrontendOf)
		}
		for i, pub := range s.Public {
			if _, ok := s.PortNamed(pub.Port); !ok {
				c.errorf(s.At(fmt.Sprintf("public[%d].port", i)), nil, "%s: no port named %q", s.Name, pub.Port)
			}
		}
	}
}

// checkPorts: every published port is unique on its host; a main port
// lies in its range, unless a planned slot in the range or an exception
// says why not.
func checkPorts(c *collector, p *Platform) {
	type slot struct {
		host     string
		port     int
		protocol string
	}
	taken := make(map[slot]PortRef, len(p.Services))
	for _, s := range p.Services {
		nonCompose := !p.isCompose(s.Host)
		for _, pr := range s.AllPorts() {
			if !pr.Publish && !nonCompose {
				continue
			}
			k := slot{s.Host, pr.Port, pr.Protocol}
			if other, ok := taken[k]; ok {
				c.errorf(pr.Pos, []Pos{other.Pos}, "%s: port %d on host %s is already taken by %s",
					pr.Label(), pr.Port, s.Host, other.Label())
				continue
			}
			taken[k] = pr
		}
		r := p.Range(s.Range)
		if r == nil || r.Contains(s.Port) || s.Exception != "" {
			continue
		}
		if s.Planned != nil && plannedRange(p, s).Contains(s.Planned.Port) {
			continue
		}
		c.errorf(s.At("port"), []Pos{r.At("")}, "%s: port %d is outside range %s (%d-%d); move it, plan a slot in the range (planned: port:) or give a reason (exception:)",
			s.Name, s.Port, r.Name, r.From, r.To)
	}
}

// plannedRange is the range a planned slot belongs to.
func plannedRange(p *Platform, s *Service) *Range {
	if s.Planned != nil && s.Planned.Range != "" {
		if r := p.Range(s.Planned.Range); r != nil {
			return r
		}
	}
	if r := p.Range(s.Range); r != nil {
		return r
	}
	return &Range{From: 1, To: 0}
}

// checkPlans: a planned slot lies in its range and no two services plan
// the same slot; off-plan services, nearly full ranges and mismatched
// backend/frontend digits are warnings.
func checkPlans(c *collector, p *Platform) {
	type slot struct {
		host string
		port int
	}
	planned := map[slot]*Service{}
	used := map[string]int{}
	for _, s := range p.Services {
		used[s.Range]++
		if s.Planned == nil {
			continue
		}
		r := plannedRange(p, s)
		if r.Name != "" && !r.Contains(s.Planned.Port) {
			c.errorf(s.At("planned.port"), []Pos{r.At("")}, "%s: planned port %d is outside range %s (%d-%d)",
				s.Name, s.Planned.Port, r.Name, r.From, r.To)
		}
		k := slot{s.Host, s.Planned.Port}
		if other, ok := planned[k]; ok {
			c.errorf(s.At("planned.port"), []Pos{other.At("planned.port")}, "%s: planned port %d on host %s is already planned for %s",
				s.Name, s.Planned.Port, s.Host, other.Name)
		} else {
			planned[k] = s
		}
		if s.Planned.Port != s.Port {
			c.warnf(s.At("planned"), nil, "%s: off plan: at %d, planned %d", s.Name, s.Port, s.Planned.Port)
		}
	}
	for _, r := range p.Ranges {
		if n := used[r.Name]; n > 0 && float64(n) >= r.WarnFull*float64(r.Size()) {
			c.warnf(r.At(""), nil, "range %s is nearly full: %d of %d ports used", r.Name, n, r.Size())
		}
	}
	for _, s := range p.Services {
		back := backendOf(p, s)
		if back == nil {
			continue
		}
		if s.Port/100 == 50 && back.Port/100 == 30 && s.Port%100 != back.Port%100 {
			c.warnf(s.At("port"), []Pos{back.At("port")}, "%s: frontend port %d does not match the last digits of its backend %s (%d)",
				s.Name, s.Port, back.Name, back.Port)
		}
	}
}

// backendOf is the backend a frontend declares, or by name the
// "<app>-server" of an "<app>-web".
func backendOf(p *Platform, s *Service) *Service {
	if s.FrontendOf != "" {
		return p.Service(s.FrontendOf)
	}
	if app, ok := strings.CutSuffix(s.Name, "-web"); ok {
		return p.Service(app + "-server")
	}
	return nil
}

// checkPublic: public hostnames are unique across services and tunnel
// rules, and carry no port.
func checkPublic(c *collector, p *Platform) {
	seen := map[string]Pos{}
	claim := func(name string, pos Pos, who string) {
		key := name
		if other, ok := seen[key]; ok {
			c.errorf(pos, []Pos{other}, "%s: public hostname %s is already used", who, name)
			return
		}
		seen[key] = pos
	}
	for _, h := range p.Hosts {
		if h.Tunnel == nil {
			continue
		}
		for i, r := range h.Tunnel.Rules {
			if r.Hostname != "" && r.Path == "" {
				claim(r.Hostname, h.At(fmt.Sprintf("tunnel.rules[%d].hostname", i)), "host "+h.Name)
			}
		}
	}
	for _, s := range p.Services {
		for i, pub := range s.Public {
			claim(pub.Hostname+pub.Path, s.At(fmt.Sprintf("public[%d]", i)), s.Name)
		}
	}
}

// secretNameRE matches variable names that hold credentials.
var secretNameRE = regexp.MustCompile(`(^|_)(PASSWORD|PASSWD|PASS|SECRET|TOKEN|APIKEY|API_KEY|PRIVATE_KEY|ACCESS_KEY|SECRET_KEY|CREDENTIALS?|DSN)(_|$)|(^|_)KEY(_[0-9]+)?$`)

// secretValueRE matches values that look like credentials whatever
// their name: URLs with a password, private keys, well-known token shapes.
var secretValueRE = regexp.MustCompile(`://[^/\s:@]+:[^/\s@$]+@|-----BEGIN [A-Z ]*PRIVATE KEY-----|\b(sk_live|sk_test|rk_live|ghp|gho|github_pat|xox[abp]|glpat)_?[A-Za-z0-9_-]{10,}|\bAKIA[0-9A-Z]{16}\b`)

// LooksSecret reports whether an env value written in plain text looks
// like a credential: by its name (with a non-empty value) or its shape.
func LooksSecret(name, value string) bool {
	if value != "" && secretNameRE.MatchString(strings.ToUpper(name)) {
		return true
	}
	return secretValueRE.MatchString(value)
}

// GeneratedEnv lists the variables portschema writes for a service, with
// the path of the source field each comes from.
func GeneratedEnv(s *Service) []GeneratedVar {
	var out []GeneratedVar
	if s.PortEnv != "" {
		out = append(out, GeneratedVar{Name: s.PortEnv, Field: "port_env"})
	}
	for i, n := range s.Needs {
		if !n.NoURL {
			out = append(out, GeneratedVar{Name: n.EnvName(), Field: fmt.Sprintf("needs[%d]", i)})
		}
	}
	for i, sec := range s.Secrets {
		out = append(out, GeneratedVar{Name: sec.Env, Field: fmt.Sprintf("secrets[%d]", i)})
	}
	return out
}

// GeneratedVar is one generated variable of a service.
type GeneratedVar struct {
	Name  string
	Field string
}

func checkEnv(c *collector, p *Platform) {
	for _, s := range p.Services {
		gen := map[string]string{}
		for _, g := range GeneratedEnv(s) {
			if first, ok := gen[g.Name]; ok {
				c.errorf(s.At(g.Field), []Pos{s.At(first)}, "%s: variable %s is generated twice", s.Name, g.Name)
				continue
			}
			gen[g.Name] = g.Field
		}
		for _, name := range sortedKeys(s.Env) {
			pos := s.At("env." + name)
			if field, ok := gen[name]; ok {
				c.errorf(pos, []Pos{s.At(field)}, "%s: env %s collides with the variable generated from %s", s.Name, name, field)
			}
			if LooksSecret(name, s.Env[name].Value) {
				c.errorf(pos, nil, "%s: env %s looks like a secret; declare it under secrets: and keep the value out of the source", s.Name, name)
			}
		}
	}
}

func checkNeeds(c *collector, p *Platform) {
	for _, s := range p.Services {
		home := p.HomeVantage(s)
		for i, n := range s.Needs {
			pos := s.At(fmt.Sprintf("needs[%d]", i))
			target := p.Service(n.Service)
			switch {
			case target == nil:
				c.errorf(pos, nil, "%s: needs unknown service %q%s", s.Name, n.Service, suggest(n.Service, serviceNames(p)))
				continue
			case target == s:
				c.errorf(pos, nil, "%s: needs itself", s.Name)
				continue
			case s.Deployed && !target.Deployed:
				c.errorf(pos, []Pos{target.At("deployed")}, "%s: needs %s, which is not deployed", s.Name, target.Name)
				continue
			}
			checkStartOrder(c, p, s, i, target)
			if n.NoURL {
				continue
			}
			if _, err := p.NeedURL(home, n); err != nil {
				c.errorf(pos, []Pos{target.At("")}, "%s: cannot reach %s from the %s: %v", s.Name, n.Service, home, err)
			}
		}
		checkConditions(c, p, s)
	}
	checkCycles(c, p)
}

// checkStartOrder checks the fields of need i that only order the
// start: url: false leaves nothing else for the need to do, and neither
// it nor a condition can order a start across hosts, where compose does
// not reach.
func checkStartOrder(c *collector, p *Platform, s *Service, i int, target *Service) {
	n := s.Needs[i]
	at := func(field string) Pos { return s.At(fmt.Sprintf("needs[%d].%s", i, field)) }
	if n.NoURL {
		for _, f := range []struct{ name, value string }{{"env", n.Env}, {"port", n.Port}, {"from", n.From},
			{"scheme", n.Scheme}, {"path", n.Path}, {"user", n.User}, {"password", n.Password}} {
			if f.value != "" {
				c.errorf(at(f.name), []Pos{at("url")}, "%s: %s has no use in a need with url: false, which generates no variable", s.Name, f.name)
			}
		}
		if !n.Depends {
			c.errorf(at("url"), []Pos{at("depends")}, "%s: the need of %s with url: false and depends: false does nothing", s.Name, target.Name)
		}
	}
	sameHost := target.Host == s.Host && p.isCompose(s.Host)
	switch {
	case n.Condition != "" && !n.Depends:
		c.errorf(at("condition"), []Pos{at("depends")}, "%s: condition has no use in a need with depends: false", s.Name)
	case n.Condition != "" && !sameHost:
		c.errorf(at("condition"), []Pos{target.At("host")}, "%s: condition orders the start on one compose host, and %s runs on host %s", s.Name, target.Name, target.Host)
	case n.NoURL && n.Depends && !sameHost:
		c.errorf(at("url"), []Pos{target.At("host")}, "%s: a need with url: false only orders the start on one compose host, and %s runs on host %s", s.Name, target.Name, target.Host)
	}
}

// checkConditions: the needs of a service that start the same target
// on its compose host agree on the condition, since compose waits for a
// target once.
func checkConditions(c *collector, p *Platform, s *Service) {
	first := map[string]int{}
	for i, n := range s.Needs {
		if t := p.Service(n.Service); !n.Depends || t == nil || t.Host != s.Host || !p.isCompose(s.Host) {
			continue
		}
		j, seen := first[n.Service]
		if !seen {
			first[n.Service] = i
			continue
		}
		if other := s.Needs[j]; other.Condition != n.Condition {
			c.errorf(s.At(fmt.Sprintf("needs[%d]", i)), []Pos{s.At(fmt.Sprintf("needs[%d]", j))},
				"%s: two needs start %s with different conditions (%s and %s)", s.Name, n.Service, conditionName(other.Condition), conditionName(n.Condition))
		}
	}
}

// conditionName is a start condition as the source writes it.
func conditionName(condition string) string {
	if condition == "" {
		return "the default"
	}
	return strconv.Quote(condition)
}

// checkCycles finds start-order cycles among needs on one compose host,
// which compose rejects.
func checkCycles(c *collector, p *Platform) {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(s *Service)
	visit = func(s *Service) {
		state[s.Name] = active
		stack = append(stack, s.Name)
		for i, n := range s.Needs {
			t := p.Service(n.Service)
			if t == nil || !n.Depends || t.Host != s.Host || !p.isCompose(s.Host) || !t.Deployed {
				continue
			}
			switch state[t.Name] {
			case unseen:
				visit(t)
			case active:
				at := 0
				for j, name := range stack {
					if name == t.Name {
						at = j
					}
				}
				cycle := append(append([]string{}, stack[at:]...), t.Name)
				c.errorf(s.At(fmt.Sprintf("needs[%d]", i)), []Pos{t.At("")},
					"%s: start order cycle %s; set depends: false on one of these needs", s.Name, strings.Join(cycle, " -> "))
			}
		}
		stack = stack[:len(stack)-1]
		state[s.Name] = done
	}
	for _, s := range p.Services {
		if state[s.Name] == unseen {
			visit(s)
		}
	}
}

// OwnedComposeKeys are the compose service keys portschema generates;
// setting them by hand in a service's compose block is an error.
var OwnedComposeKeys = map[string]string{
	"container_name": "set container: on the service",
	"ports":          "set port:, container_port: and ports: on the service",
	"environment":    "set env:, needs:, secrets: and port_env: on the service",
	"depends_on":     "set needs: on the service",
	"profiles":       "set deployed: on the service",
}

func checkCompose(c *collector, p *Platform) {
	containers := map[string]map[string]*Service{}
	for _, s := range p.Services {
		if s.Compose == nil {
			continue
		}
		if !p.isCompose(s.Host) {
			c.errorf(s.At("compose"), nil, "%s: compose keys on host %s, which is not a compose host", s.Name, s.Host)
			continue
		}
		for _, key := range sortedKeys(s.Compose) {
			if hint, owned := OwnedComposeKeys[key]; owned {
				c.errorf(s.At("compose."+key), nil, "%s: compose key %s is generated by portschema; %s", s.Name, key, hint)
			}
		}
		switch labels := s.Compose["labels"].(type) {
		case map[string]any:
			for _, key := range sortedKeys(labels) {
				if strings.HasPrefix(key, LabelPrefix) {
					c.errorf(s.At("compose.labels."+key), nil, "%s: label %s is generated by portschema", s.Name, key)
				}
			}
		case []any:
			// The list form, "key=value".
			for i, item := range labels {
				if key, _, _ := strings.Cut(fmt.Sprint(item), "="); strings.HasPrefix(key, LabelPrefix) {
					c.errorf(s.At(fmt.Sprintf("compose.labels[%d]", i)), nil, "%s: label %s is generated by portschema", s.Name, key)
				}
			}
		}
		h := p.Host(s.Host)
		name := ContainerName(h, s)
		if containers[s.Host] == nil {
			containers[s.Host] = map[string]*Service{}
		}
		if other, ok := containers[s.Host][name]; ok {
			c.errorf(s.At("container"), []Pos{other.At("")}, "%s: container name %s is already used by %s", s.Name, name, other.Name)
		}
		containers[s.Host][name] = s
	}
}

// selfPortRE finds host:port in a healthcheck's test, with or without a
// scheme; checkHealthchecks keeps those whose host is the container
// itself.
var selfPortRE = regexp.MustCompile(`(?:[a-z][a-z0-9+.-]*://)?(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9._-]+):([0-9]{1,5})\b`)

// checkHealthchecks warns where a pass-through healthcheck probes the
// container itself (localhost:N, 127.0.0.1:N, http://<own name>:N) on a
// port the service does not listen on: the port was changed in one
// place and not the other, and the service would be marked unhealthy.
// It is a warning, not an error: the port may be a sidecar's or an
// admin port, which declaring under ports: (publish: false) says.
func checkHealthchecks(c *collector, p *Platform) {
	for _, s := range p.Services {
		hc, ok := s.Compose["healthcheck"].(map[string]any)
		if !ok || hc["disable"] == true {
			continue
		}
		self := map[string]bool{"localhost": true, "127.0.0.1": true, "0.0.0.0": true, "[::1]": true, s.Name: true,
			ContainerName(p.Host(s.Host), s): true}
		listens := map[int]bool{}
		var ports []string
		for _, pr := range s.AllPorts() {
			listens[pr.ContainerPort] = true
			if s.HostNetwork() {
				listens[pr.Port] = true
			}
			ports = append(ports, strconv.Itoa(pr.ContainerPort))
		}
		declared := s.At("port")
		if pos, ok := s.Pos["container_port"]; ok {
			declared = pos
		}
		check := func(arg, path string) {
			for _, m := range selfPortRE.FindAllStringSubmatch(arg, -1) {
				if port, _ := strconv.Atoi(m[2]); self[m[1]] && !listens[port] {
					c.warnf(s.At(path), []Pos{declared}, "%s: healthcheck probes %s, but the service listens on %s; declare the port under ports: (publish: false) if another process serves it",
						s.Name, m[0], strings.Join(ports, ", "))
				}
			}
		}
		switch test := hc["test"].(type) {
		case string:
			check(test, "compose.healthcheck.test")
		case []any:
			for i, arg := range test {
				if str, ok := arg.(string); ok {
					check(str, fmt.Sprintf("compose.healthcheck.test[%d]", i))
				}
			}
		}
	}
}

// LabelPrefix starts the labels portschema puts on compose services.
const LabelPrefix = "portschema."

// ContainerName applies the host's naming rule unless the service
// overrides it.
func ContainerName(h *Host, s *Service) string {
	if s.Container != "" {
		return s.Container
	}
	rule := "{name}"
	project := ""
	if h != nil && h.Compose != nil {
		rule, project = h.Compose.ContainerName, h.Compose.Project
	}
	return strings.NewReplacer("{name}", s.Name, "{tier}", s.Tier, "{project}", project).Replace(rule)
}

func checkMetrics(c *collector, p *Platform) {
	jobs := map[string]Pos{}
	claim := func(job string, pos Pos) {
		if other, ok := jobs[job]; ok {
			c.errorf(pos, []Pos{other}, "scrape job %s is already defined", job)
			return
		}
		jobs[job] = pos
	}
	if pr := p.Prometheus; pr != nil {
		if p.Host(pr.Host) == nil {
			c.errorf(lookupPos(pr.Pos, "host"), nil, "prometheus: unknown host %q", pr.Host)
		}
		for i, j := range pr.Jobs {
			name, _ := j["job_name"].(string)
			claim(name, lookupPos(pr.Pos, fmt.Sprintf("jobs[%d]", i)))
		}
		for _, name := range sortedKeys(pr.Probes) {
			claim(name, lookupPos(pr.Pos, "probes."+name))
			if e := pr.Probes[name].Exporter; p.Service(e) == nil {
				c.errorf(lookupPos(pr.Pos, "probes."+name+".exporter"), nil, "prometheus: probe %s: unknown exporter service %q", name, e)
			}
		}
	}
	for _, s := range p.Services {
		if s.Metrics != nil {
			if p.Prometheus == nil {
				c.errorf(s.At("metrics"), nil, "%s: metrics declared but the source has no prometheus block", s.Name)
			}
			if _, ok := s.PortNamed(s.Metrics.Port); !ok {
				c.errorf(s.At("metrics.port"), nil, "%s: no port named %q", s.Name, s.Metrics.Port)
			}
			job := s.Metrics.Job
			if job == "" {
				job = s.Name
			}
			claim(job, s.At("metrics"))
		}
		for i, pr := range s.Probes {
			pos := s.At(fmt.Sprintf("probes[%d]", i))
			if p.Prometheus == nil || p.Prometheus.Probes[pr.Job] == (ProbeJob{}) {
				c.errorf(pos, nil, "%s: unknown probe job %q (declare it under prometheus: probes:)", s.Name, pr.Job)
			}
			if len(s.Public) == 0 {
				c.errorf(pos, nil, "%s: probes need a public hostname", s.Name)
			}
			if pr.Hostname != "" && !hasPublic(s, pr.Hostname) {
				c.errorf(s.At(fmt.Sprintf("probes[%d].hostname", i)), nil, "%s: %s is not one of its public hostnames", s.Name, pr.Hostname)
			}
		}
	}
}

func hasPublic(s *Service, hostname string) bool {
	for _, pub := range s.Public {
		if pub.Hostname == hostname {
			return true
		}
	}
	return false
}

// checkOutputs: two outputs never share a path.
func checkOutputs(c *collector, p *Platform) {
	seen := map[string]Pos{}
	claim := func(path string, pos Pos) {
		if path == "" {
			return
		}
		if other, ok := seen[path]; ok {
			c.errorf(pos, []Pos{other}, "output path %s is used twice", path)
			return
		}
		seen[path] = pos
	}
	claim(p.Outputs.PortDoc, lookupPos(p.Outputs.Pos, "port_doc"))
	claim(p.Outputs.Prometheus, lookupPos(p.Outputs.Pos, "prometheus"))
	claim(p.Outputs.URLDoc, lookupPos(p.Outputs.Pos, "url_doc"))
	if p.Prometheus != nil && p.Prometheus.Alerts != nil {
		claim(p.Outputs.Alerts, lookupPos(p.Outputs.Pos, "alerts"))
	}
	for _, h := range p.Hosts {
		if h.Compose != nil {
			claim(h.Compose.Output, h.At("compose.output"))
			claim(h.Compose.SecretsOutput, h.At("compose.secrets_output"))
			if h.Compose.Logs != nil {
				claim(h.Compose.Logs.Output, h.At("compose.logs.output"))
			}
		}
		if h.Tunnel != nil {
			claim(h.Tunnel.Output, h.At("tunnel.output"))
		}
	}
	for _, s := range p.Services {
		for i, f := range s.EnvFiles {
			claim(f, s.At(fmt.Sprintf("env_files[%d]", i)))
		}
	}
}

// suggest returns ` (did you mean "x"?)` for the closest known name.
func suggest(name string, known []string) string {
	best, bestD := "", len(name)/2+1
	for _, k := range known {
		if d := distance(name, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %s?)", strconv.Quote(best))
}

// distance is the Levenshtein distance of two short names.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func hostNames(p *Platform) []string {
	out := make([]string, len(p.Hosts))
	for i, h := range p.Hosts {
		out[i] = h.Name
	}
	return out
}

func rangeNames(p *Platform) []string {
	out := make([]string, len(p.Ranges))
	for i, r := range p.Ranges {
		out[i] = r.Name
	}
	return out
}

func serviceNames(p *Platform) []string {
	out := make([]string, len(p.Services))
	for i, s := range p.Services {
		out[i] = s.Name
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
