package kubernetes

import (
	"fmt"
	"strings"

	"portschema/schema"
)

// The API's rules that a source can break, checked before anything is
// written and reported at the source: names (a Service's is a DNS-1035
// label, a namespace's a DNS-1123 label), label values, port names, a
// Service's ports (one per number and protocol) and the cluster's node
// ports (in the API server's range, one service each).

// check applies the rules to a cluster's services and settings.
func (g *clusterGen) check(services []*schema.Service) {
	g.checkSettings()
	nodePorts := map[int]schema.PortRef{}
	for _, s := range services {
		g.checkNames(s)
		g.checkPorts(s, nodePorts)
	}
}

func (g *clusterGen) checkSettings() {
	c, h := g.cluster, g.host
	if c.NodePorts.From > c.NodePorts.To {
		g.errorf(h.At("cluster.node_ports"), nil, "cluster %s: node_ports runs from %d to %d, which is empty", h.Name, c.NodePorts.From, c.NodePorts.To)
	}
	if c.StorageClass != "" && !isDNS1123Subdomain(c.StorageClass) {
		g.errorf(h.At("cluster.storage_class"), nil, "cluster %s: storage class %q is not a DNS name", h.Name, c.StorageClass)
	}
	for i, name := range c.ImagePullSecrets {
		if !isDNS1123Subdomain(name) {
			g.errorf(h.At(fmt.Sprintf("cluster.image_pull_secrets[%d]", i)), nil, "cluster %s: image pull secret %q is not a DNS name", h.Name, name)
		}
	}
	if h.Tunnel != nil {
		if ns := g.tunnelNamespace(); !isDNS1123Label(ns) {
			g.errorf(h.At("cluster.namespace"), nil, "cluster %s: the tunnel's namespace would be %q, which is not a DNS label (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)", h.Name, ns)
		}
	}
}

// checkNames: the service's name makes its Services' names, its
// namespace comes from the cluster's rule, and its host, range and
// tier are label values.
func (g *clusterGen) checkNames(s *schema.Service) {
	if !isDNS1035Label(s.Name) {
		g.errorf(s.At(""), nil, "%s: the name of a Kubernetes Service must be at most 63 lower-case letters, digits and '-', starting with a letter and ending with a letter or digit", s.Name)
	} else if !isDNS1035Label(s.Name + PublishedSuffix) {
		// Names are checked whether or not the Services exist today: a
		// service that publishes a port or gains metrics later should
		// not find its name too long then.
		g.errorf(s.At(""), nil, "%s: the Services %s%s and %s%s would be longer than the 63 characters Kubernetes allows; shorten the name to %d", s.Name, s.Name, PublishedSuffix, s.Name, PodsSuffix, 63-len(PublishedSuffix))
	}
	ns := g.p.Namespace(s)
	switch rule := g.cluster.Namespace; {
	case s.Tier == "" && strings.Contains(rule, "{tier}"):
		g.errorf(s.At(""), []schema.Pos{g.host.At("cluster.namespace")}, "%s: has no tier, which the namespace rule %q of cluster %s needs", s.Name, rule, g.host.Name)
	case !isDNS1123Label(ns) && !g.badNamespaces[ns]:
		g.badNamespaces[ns] = true
		g.errorf(g.host.At("cluster.namespace"), []schema.Pos{s.At("")}, "cluster %s: the namespace of %s would be %q, which is not a DNS label (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit)", g.host.Name, s.Name, ns)
	}
	for _, f := range []struct{ field, value string }{{"host", s.Host}, {"range", s.Range}, {"tier", s.Tier}} {
		if f.value != "" && !isLabelValue(f.value) {
			g.errorf(s.At(f.field), nil, "%s: %s %q cannot be a Kubernetes label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit", s.Name, f.field, f.value)
		}
	}
}

// checkPorts: port names, one Service port per container port and
// protocol, and node ports in the API server's range and unique in the
// cluster whatever their protocol.
func (g *clusterGen) checkPorts(s *schema.Service, nodePorts map[int]schema.PortRef) {
	type slot struct {
		port     int
		protocol string
	}
	inService := map[slot]schema.PortRef{}
	for _, pr := range s.AllPorts() {
		switch {
		case pr.Name == schema.MainPort:
		case pr.Name == MainPortName:
			g.errorf(pr.Pos, nil, "%s: port name %s names the main port in Kubernetes; rename this one", s.Name, pr.Name)
		case !isPortName(pr.Name):
			g.errorf(pr.Pos, nil, "%s: port name %s cannot name a Kubernetes port: at most 15 lower-case letters, digits and '-', without '--' or a '-' at either end", s.Name, pr.Name)
		}
		k := slot{pr.ContainerPort, pr.Protocol}
		if other, dup := inService[k]; dup {
			g.errorf(pr.Pos, []schema.Pos{other.Pos}, "%s: ports %s and %s both listen on container port %d/%s, which one Service cannot tell apart", s.Name, other.Label(), pr.Label(), pr.ContainerPort, pr.Protocol)
		}
		inService[k] = pr
	}
	if g.cluster.Expose != schema.ExposeNodePort {
		return
	}
	span := g.cluster.NodePorts
	for _, pr := range publishedPorts(s) {
		if !span.Contains(pr.Port) {
			g.errorf(pr.Pos, []schema.Pos{g.host.At("cluster.node_ports")}, "%s: port %d is published as a node port of cluster %s, whose node ports run from %d to %d; move it, widen cluster.node_ports as the API server allows (--service-node-port-range), or set cluster.expose: %q",
				pr.Label(), pr.Port, g.host.Name, span.From, span.To, schema.ExposeLoadBalancer)
			continue
		}
		if other, taken := nodePorts[pr.Port]; taken && other.Service != s {
			g.errorf(pr.Pos, []schema.Pos{other.Pos}, "%s: node port %d of cluster %s is already %s's", pr.Label(), pr.Port, g.host.Name, other.Label())
			continue
		}
		nodePorts[pr.Port] = pr
	}
}
