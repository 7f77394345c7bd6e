package audit

// Kind names a class of finding; it is stable, for scripts.
type Kind string

// The kinds of finding. Each has a rule (the one line the human report
// prints above its group), a confidence and a fix in words, in kinds.
const (
	HostPortCollision   Kind = "host-port-collision"
	PortTargetMismatch  Kind = "port-target-mismatch"
	EnvURLMismatch      Kind = "env-url-mismatch"
	EnvURLUnknownHost   Kind = "env-url-unknown-host"
	EnvURLLoopback      Kind = "env-url-loopback"
	EnvFileMismatch     Kind = "env-file-mismatch"
	EnvURLHostPort      Kind = "env-url-host-port"
	MissingCredentials  Kind = "url-missing-credentials"
	RoutePortMismatch   Kind = "route-port-mismatch"
	DuplicateHostname   Kind = "duplicate-hostname"
	TunnelCopiesDiffer  Kind = "tunnel-copies-differ"
	InvalidRule         Kind = "invalid-rule"
	ScrapePortMismatch  Kind = "scrape-port-mismatch"
	ScrapeTargetUnknown Kind = "scrape-target-unknown"
	ScrapeNoMetrics     Kind = "scrape-no-metrics"
	ProbeRouteBroken    Kind = "probe-route-broken"
	DuplicateJob        Kind = "duplicate-job"
	AlertJobUnknown     Kind = "alert-job-unknown"
	LogsRuleUnmatched   Kind = "logs-rule-unmatched"
	DocMismatch         Kind = "doc-mismatch"
	DocNotPublished     Kind = "doc-port-not-published"
	DocRowUnknown       Kind = "doc-row-unknown"
	DocHostMismatch     Kind = "doc-host-mismatch"
	DocRouteMismatch    Kind = "doc-route-mismatch"
	DocPlanPortTaken    Kind = "doc-plan-port-taken"
)

// Confidence says how sure a finding is.
type Confidence string

const (
	// Certain: the audited files contradict each other.
	Certain Confidence = "certain"
	// Likely: the finding depends on something the audit cannot see
	// (another machine, the environment, what a program does).
	Likely Confidence = "likely"
)

// atLeast reports whether c is as sure as min.
func (c Confidence) atLeast(min Confidence) bool {
	return min != Certain || c == Certain
}

// ParseConfidence reads a --min-confidence value.
func ParseConfidence(s string) (Confidence, bool) {
	switch Confidence(s) {
	case Certain, Likely:
		return Confidence(s), true
	}
	return "", false
}

// kindInfo is what every finding of a kind shares.
type kindInfo struct {
	rule       string
	confidence Confidence
	fix        string
}

var kinds = map[Kind]kindInfo{
	HostPortCollision: {"two compose services publish the same host port", Certain,
		"give one of the services another host port, and move whatever reaches it there (tunnel routes, URLs, docs)"},
	PortTargetMismatch: {"a published port maps to a container port the service does not listen on", Certain,
		"make the container side of the port mapping the port the service is told to listen on"},
	EnvURLMismatch: {"a URL in compose names a service on a port it does not listen on", Certain,
		"point the URL at the port the service listens on inside its container"},
	EnvURLUnknownHost: {"a URL in compose names a host that no compose service or container is called", Likely,
		"name an existing service, or add the missing service; a host outside compose needs extra_hosts or a full name"},
	EnvURLLoopback: {"a URL in compose points at localhost, which inside a container is the container itself", Certain,
		"name the service instead of localhost (or host.docker.internal with a host-gateway mapping for a program on the host)"},
	EnvURLHostPort: {"a URL to the Docker host names a port no compose service publishes", Likely,
		"point the URL at the machine that runs the service, or publish the port"},
	EnvFileMismatch: {"an env file gives a URL or port that the compose file contradicts", Certain,
		"make the env file and the compose file agree on the service and port"},
	MissingCredentials: {"a URL carries no password for a service that requires one", Certain,
		"put the password in the URL (user:${PASSWORD}@host) or in the variable the client reads it from"},
	RoutePortMismatch: {"a tunnel route points at a port nothing publishes, or at another service's port", Certain,
		"point the route at the port of the service the hostname is for, or publish that port"},
	DuplicateHostname: {"a tunnel hostname is routed twice to different places; only one is ever used", Certain,
		"keep one rule for the hostname and delete the other"},
	TunnelCopiesDiffer: {"two config files of the same tunnel differ, so which one runs decides the routes", Certain,
		"keep one config per tunnel, or make the copies equal"},
	InvalidRule: {"a tunnel rule cloudflared would reject or never reach", Certain,
		"fix or remove the rule as the message says"},
	ScrapePortMismatch: {"Prometheus scrapes or probes a service on a port it does not listen on", Certain,
		"point the target at the service's port"},
	ScrapeTargetUnknown: {"a Prometheus target names no compose service or container", Likely,
		"name an existing service, or remove the target"},
	ScrapeNoMetrics: {"Prometheus scrapes a database or broker port, which speaks its own protocol, not HTTP metrics", Likely,
		"scrape the service's exporter instead (postgres_exporter, redis_exporter, ...)"},
	ProbeRouteBroken: {"a probed public URL goes through a tunnel route that reaches nothing", Certain,
		"fix the tunnel route the probe goes through, or probe another URL"},
	DuplicateJob: {"two Prometheus scrape jobs share a name, which Prometheus rejects", Certain,
		"rename one of the jobs"},
	AlertJobUnknown: {"an alert rule selects a job that no scrape job is called, so it never fires", Certain,
		"use the job names of the Prometheus config in the selector"},
	LogsRuleUnmatched: {"a log-shipping rule maps container names that no compose container has", Likely,
		"match the rule to the containers' names, or remove it"},
	DocMismatch: {"the port doc states a port that the compose file contradicts", Certain,
		"correct the doc, or the compose file if the doc is right"},
	DocNotPublished: {"the port doc lists a service on a port that is only its container port, not published on the host", Likely,
		"publish the port, or say in the doc that it is internal"},
	DocRowUnknown: {"a port doc row names a service no audited file knows", Likely,
		"remove the row, or audit the files of the service it names"},
	DocHostMismatch: {"the port doc puts a service on another host than the compose file it is in", Certain,
		"correct the host in the doc"},
	DocRouteMismatch: {"the doc states a public hostname that the tunnel routes elsewhere or not at all", Certain,
		"correct the doc, or the tunnel route if the doc is right"},
	DocPlanPortTaken: {"the doc plans a port for a service that another service publishes today", Likely,
		"plan another port, or plan the move of the service that holds it first"},
}

// Rule is the one-line rule findings of k break.
func (k Kind) Rule() string { return kinds[k].rule }

// Summary is the one-line explanation of k (its rule).
func (k Kind) Summary() string { return kinds[k].rule }
