package prometheus

import (
	"maps"
	"slices"
	"strings"

	"portschema/generators/kubernetes"
	"portschema/schema"
)

// Prometheus in a cluster scrapes each of the cluster's services on
// every one of its ready pods, found through DNS: the service's
// headless Service (see kubernetes.PodsSuffix) resolves to its pods'
// addresses, so a service scaled to several replicas is scraped on
// each, and a pod that moves is followed. DNS discovery needs no access
// to the Kubernetes API (no service account, no role), no operator and
// no CRD, and every Prometheus-compatible scraper has it, VictoriaMetrics
// and Debian's Prometheus included, whose build leaves Kubernetes
// discovery (kubernetes_sd_configs) out. Services outside the cluster
// keep static targets, reached from inside it.

// dnsSDConfig is one dns_sd_configs entry.
type dnsSDConfig struct {
	Names []string `yaml:"names,flow"`
	Type  string   `yaml:"type"`
	Port  int      `yaml:"port"`
}

// clusterJob finds the pods of a service through its headless Service
// and labels them as a static target would be.
func clusterJob(p *schema.Platform, s *schema.Service, labels map[string]string) ([]dnsSDConfig, []relabelConfig) {
	pr, _ := s.PortNamed(s.Metrics.Port) // checked at load
	sd := []dnsSDConfig{{Names: []string{kubernetes.PodsDNSName(p, s)}, Type: "A", Port: pr.ContainerPort}}
	var relabel []relabelConfig
	for _, label := range slices.Sorted(maps.Keys(labels)) {
		// $ would name a capture group in a replacement.
		relabel = append(relabel, relabelConfig{TargetLabel: label, Replacement: strings.ReplaceAll(labels[label], "$", "$$")})
	}
	return sd, relabel
}
