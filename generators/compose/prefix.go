package compose

import (
	"slices"
	"strings"

	"portschema/schema"
)

// checkContainerPrefixes warns where a host's naming rule prefixes
// container names (mana-{tier}-{name}) and a service without
// `container:` already starts with a word of the prefix: mana-forms
// becomes mana-auth-mana-forms. Nothing fails, so nobody notices until
// a script, a `docker exec`, a log-shipping rule or a dashboard that
// knows the container by its name finds nothing. It is a warning of
// kind container-prefix: the name may be meant.
func checkContainerPrefixes(p *schema.Platform) schema.Diagnostics {
	var ds schema.Diagnostics
	for _, h := range composeHosts(p) {
		if h.Compose == nil || !strings.Contains(h.Compose.ContainerName, "{name}") {
			continue
		}
		for _, s := range h.Services {
			if s.Container != "" {
				continue
			}
			repeated, better := repeatedWord(h, s)
			if repeated == "" {
				continue
			}
			ds = append(ds, schema.ServiceWarning(s, schema.WarnContainerPrefix, s.At(""), []schema.Pos{h.At("compose.container_name")},
				"%s: has no container:, so host %s's rule %s names its container %s, repeating %q; whatever knows the container by name (scripts, docker exec, log rules, dashboards) will not find it; set container: (did you mean %q?)",
				s.Name, h.Name, h.Compose.ContainerName, ContainerName(h, s), repeated, better))
		}
	}
	return ds
}

// repeatedWord returns the first word of the service's name when the
// host's rule puts that word around the name already (mana-{tier}- and
// mana-forms), with the container name the rule gives the service's
// name without it (mana-auth-forms), or the service's name where that
// is all it is; "" when it does not.
func repeatedWord(h *schema.Host, s *schema.Service) (word, better string) {
	rule := schema.FillPlaceholders(h.Compose.ContainerName, "{tier}", s.Tier, "{project}", h.Compose.Project)
	around := strings.ReplaceAll(rule, "{name}", " ")
	first, rest := splitFirstWord(s.Name)
	if first == "" || !slices.Contains(nameWords(around), first) {
		return "", ""
	}
	if rest == "" {
		return first, s.Name
	}
	return first, strings.ReplaceAll(rule, "{name}", rest)
}

// splitFirstWord splits a name at its first dash, dot or underscore.
func splitFirstWord(name string) (first, rest string) {
	i := strings.IndexAny(name, "-_.")
	if i < 0 {
		return name, ""
	}
	return name[:i], name[i+1:]
}

// nameWords are the words of a container name between dashes, dots,
// underscores and spaces.
func nameWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("-_. ", r) })
}
