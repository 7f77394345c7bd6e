package kubernetes

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"portschema/schema"
)

// The compose keys that set the container's identity and privileges and
// the pod's place: user, capabilities, privileges, labels, platform,
// network mode.

// user is "uid[:gid]"; a cluster runs by number only.
func (t *translator) user(path string, v any) {
	s := t.literal(path, v)
	uid, gid, hasGid := strings.Cut(s, ":")
	u, err := strconv.ParseInt(uid, 10, 64)
	g, gerr := strconv.ParseInt(gid, 10, 64)
	if err != nil || hasGid && gerr != nil {
		t.errorf(path, "%s: user %q must be numeric (uid or uid:gid) in a cluster, which cannot look names up in the image", t.s.Name, s)
		return
	}
	sc := t.securityContext()
	sc.RunAsUser = new(u)
	if hasGid {
		sc.RunAsGroup = new(g)
	}
}

// labels become the pod's annotations: a compose label holds any text,
// which a Kubernetes label value cannot, and labels are read by tools
// (traefik, watchtower) the way annotations are.
func (t *translator) labels(path string, v any) {
	out := map[string]string{}
	switch m := v.(type) {
	case map[string]any:
		for k, val := range m {
			s, _ := scalarString(val)
			out[k] = t.literal(path+"."+k, s)
		}
	case []any:
		for i, item := range m {
			s, _ := item.(string)
			k, val, _ := strings.Cut(s, "=")
			out[k] = t.literal(fmt.Sprintf("%s[%d]", path, i), val)
		}
	default:
		t.errorf(path, "%s: labels must be a mapping or a list of key=value", t.s.Name)
		return
	}
	for k := range out {
		if !isQualifiedName(k) {
			t.errorf(path, "%s: label %s cannot be a Kubernetes annotation key: a name of at most 63 letters, digits, '-', '_' and '.', optionally after a DNS prefix and '/'", t.s.Name, k)
			delete(out, k)
		}
	}
	t.pod.annotations = out
}

// platform "os/arch[/variant]" picks nodes by the well-known labels.
func (t *translator) platform(path string, v any) {
	s := t.literal(path, v)
	parts := strings.Split(s, "/")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		t.errorf(path, "%s: platform %q must be os/arch", t.s.Name, s)
		return
	}
	t.pod.spec.NodeSelector = map[string]string{"kubernetes.io/os": parts[0], "kubernetes.io/arch": parts[1]}
}

// networkMode: only host carries over (the pod shares its node's
// network); a cluster gives every pod one flat network otherwise.
func (t *translator) networkMode(path string, v any) {
	switch s, _ := v.(string); s {
	case schema.NetworkModeHost:
		t.pod.spec.HostNetwork = true
		// Its needs are the cluster's names, which it resolves like any
		// other pod, unless dns: names its own servers.
		if t.pod.spec.DNSPolicy == "" {
			t.pod.spec.DNSPolicy = corev1.DNSClusterFirstWithHostNet
		}
	case "bridge":
	default:
		t.errorf(path, "%s: network_mode %q has no equivalent in a cluster (host and bridge do)", t.s.Name, s)
	}
}

// networks: a cluster has one network in which every Service name
// resolves; aliases and fixed addresses would be lost, and are errors.
func (t *translator) networks(path string, v any) {
	m, ok := v.(map[string]any)
	if !ok {
		return // the list form names networks only
	}
	for name, def := range m {
		opts, _ := def.(map[string]any)
		for _, k := range slices.Sorted(maps.Keys(opts)) {
			t.errorf(path+"."+name+"."+k, "%s: networks.%s.%s has no equivalent in a cluster, where every service is reached by its own name", t.s.Name, name, k)
		}
	}
}

// securityContext is the container's, made on first use.
func (t *translator) securityContext() *corev1.SecurityContext {
	if t.pod.container.SecurityContext == nil {
		t.pod.container.SecurityContext = &corev1.SecurityContext{}
	}
	return t.pod.container.SecurityContext
}

// security carries privileged, read_only, cap_add and cap_drop.
func (t *translator) security(key, path string, v any) {
	switch key {
	case "privileged", "read_only":
		b, ok := t.boolean(path, v)
		if !ok || !b {
			return
		}
		if key == "privileged" {
			t.securityContext().Privileged = new(true)
		} else {
			t.securityContext().ReadOnlyRootFilesystem = new(true)
		}
	case "cap_add", "cap_drop":
		caps, ok := stringList(v, false)
		if !ok {
			t.errorf(path, "%s: %s must be a list of capabilities", t.s.Name, key)
			return
		}
		sc := t.securityContext()
		if sc.Capabilities == nil {
			sc.Capabilities = &corev1.Capabilities{}
		}
		for _, c := range caps {
			c = strings.TrimPrefix(strings.ToUpper(c), "CAP_")
			if key == "cap_add" {
				sc.Capabilities.Add = append(sc.Capabilities.Add, corev1.Capability(c))
			} else {
				sc.Capabilities.Drop = append(sc.Capabilities.Drop, corev1.Capability(c))
			}
		}
	}
}
