package kubernetes

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// dns, dns_search and dns_opt replace the resolver's settings, as they
// do in compose: the pod then resolves with these alone (DNS policy
// None), and cluster names only if the servers know them.
func (t *translator) dns(key, path string, v any) {
	values, ok := stringList(v, false)
	if !ok {
		t.errorf(path, "%s: %s must be a string or a list of strings", t.s.Name, key)
		return
	}
	for i, s := range values {
		text, err := literalText(s)
		if err != nil {
			t.errorf(path, "%s: %s %v", t.s.Name, key, err)
			return
		}
		values[i] = text
	}
	spec := &t.pod.spec
	if spec.DNSConfig == nil {
		spec.DNSConfig = &corev1.PodDNSConfig{}
	}
	switch key {
	case "dns":
		spec.DNSPolicy = corev1.DNSNone
		spec.DNSConfig.Nameservers = values
	case "dns_search":
		spec.DNSConfig.Searches = values
	case "dns_opt":
		for _, opt := range values {
			name, value, hasValue := strings.Cut(opt, ":")
			o := corev1.PodDNSConfigOption{Name: name}
			if hasValue {
				o.Value = &value
			}
			spec.DNSConfig.Options = append(spec.DNSConfig.Options, o)
		}
	}
}

// extraHosts ("name:ip", "name=ip" or a mapping) become host aliases,
// one per address, names in the order written.
func (t *translator) extraHosts(path string, v any) {
	byIP := map[string][]string{}
	add := func(at, name, ip string) {
		if name == "" || ip == "" {
			t.errorf(at, "%s: extra_hosts entries are NAME:ADDRESS", t.s.Name)
			return
		}
		if ip == "host-gateway" {
			t.errorf(at, "%s: extra_hosts host-gateway is docker's address of the host, which a cluster does not have; write the node's address", t.s.Name)
			return
		}
		byIP[ip] = append(byIP[ip], name)
	}
	switch x := v.(type) {
	case []any:
		for i, item := range x {
			s, _ := item.(string)
			at := fmt.Sprintf("%s[%d]", path, i)
			sep := strings.IndexAny(s, ":=")
			if sep < 0 {
				add(at, "", "")
				continue
			}
			add(at, s[:sep], strings.Trim(s[sep+1:], "[]"))
		}
	case map[string]any:
		for _, name := range slices.Sorted(maps.Keys(x)) {
			ip, _ := x[name].(string)
			add(path+"."+name, name, ip)
		}
	default:
		t.errorf(path, "%s: extra_hosts must be a list or a mapping", t.s.Name)
	}
	for _, ip := range slices.Sorted(maps.Keys(byIP)) {
		t.pod.spec.HostAliases = append(t.pod.spec.HostAliases, corev1.HostAlias{IP: ip, Hostnames: byIP[ip]})
	}
}
