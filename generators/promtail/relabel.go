package promtail

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"portschema/generators/yamlout"
	"portschema/schema"
)

// Labels docker service discovery gives a container, as compose sets
// them.
const (
	metaContainerName  = "__meta_docker_container_name"
	metaComposeService = "__meta_docker_container_label_com_docker_compose_service"
	metaComposeProject = "__meta_docker_container_label_com_docker_compose_project"
)

// containerScrape is the scrape of the host's container logs.
func containerScrape(p *schema.Platform, h *schema.Host) scrapeConfig {
	l := h.Compose.Logs
	sc := scrapeConfig{
		JobName: "docker",
		DockerSD: []dockerSD{{Host: l.DockerHost, RefreshInterval: l.RefreshInterval, Filters: []filter{
			{Name: "label", Values: []string{"com.docker.compose.project=" + h.Compose.Project}}}}},
		RelabelConfigs: relabelRules(p, h),
	}
	for _, st := range l.PipelineStages {
		sc.PipelineStages = append(sc.PipelineStages, yamlout.PassThrough(st).(map[string]any))
	}
	return sc
}

// relabelRules map each container to its service, container, project,
// host and tier labels. The default tier comes first, so that the rules
// of the tiers, which match only their services, override it.
func relabelRules(p *schema.Platform, h *schema.Host) []relabelConfig {
	rules := []relabelConfig{
		{SourceLabels: []string{metaComposeService}, TargetLabel: "service"},
		{SourceLabels: []string{metaContainerName}, Regex: "/(.*)", TargetLabel: "container"},
		{SourceLabels: []string{metaComposeProject}, TargetLabel: "project"},
		{TargetLabel: "host", Replacement: h.Name},
		{TargetLabel: "tier", Replacement: h.Compose.Logs.DefaultTier},
	}
	tiers := map[string][]string{}
	for _, s := range h.Services {
		if s.Tier != "" {
			tiers[s.Tier] = append(tiers[s.Tier], regexp.QuoteMeta(s.Name))
		}
	}
	for _, tier := range slices.Sorted(maps.Keys(tiers)) {
		rules = append(rules, relabelConfig{SourceLabels: []string{metaComposeService},
			Regex: strings.Join(tiers[tier], "|"), TargetLabel: "tier", Replacement: tier})
	}
	return rules
}
