package audit

// Kind names a class of finding; it is stable, for scripts.
type Kind string

// The kinds of finding, each with the one-line summary the human report
// prints above its group.
const (
	HostPortCollision   Kind = "host-port-collision"
	PortTargetMismatch  Kind = "port-target-mismatch"
	EnvURLMismatch      Kind = "env-url-mismatch"
	EnvURLUnknownHost   Kind = "env-url-unknown-host"
	MissingCredentials  Kind = "url-missing-credentials"
	RoutePortMismatch   Kind = "route-port-mismatch"
	DuplicateHostname   Kind = "duplicate-hostname"
	InvalidRule         Kind = "invalid-rule"
	ScrapePortMismatch  Kind = "scrape-port-mismatch"
	ScrapeTargetUnknown Kind = "scrape-target-unknown"
	DuplicateJob        Kind = "duplicate-job"
	DocMismatch         Kind = "doc-mismatch"
	DocRowUnknown       Kind = "doc-row-unknown"
)

// summaries explain each kind in one line.
var summaries = map[Kind]string{
	HostPortCollision:   "two compose services publish the same host port",
	PortTargetMismatch:  "a published port maps to a container port the service does not listen on",
	EnvURLMismatch:      "a URL in compose names a service on a port it does not listen on",
	EnvURLUnknownHost:   "a URL in compose names a host that no compose service or container is called",
	MissingCredentials:  "a URL carries no password for a service that requires one",
	RoutePortMismatch:   "a tunnel route points at a port nothing publishes, or at another service's port",
	DuplicateHostname:   "a tunnel hostname is routed twice; only the first rule is ever used",
	InvalidRule:         "a tunnel rule cloudflared would reject or never reach",
	ScrapePortMismatch:  "Prometheus scrapes or probes a service on a port it does not listen on",
	ScrapeTargetUnknown: "a Prometheus target names no compose service or container",
	DuplicateJob:        "two Prometheus scrape jobs share a name, which Prometheus rejects",
	DocMismatch:         "the port doc states a port that the compose file contradicts",
	DocRowUnknown:       "a port doc row names a service no audited file knows",
}

// Summary is the one-line explanation of k.
func (k Kind) Summary() string { return summaries[k] }
