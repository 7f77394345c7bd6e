package schema

// Cluster holds what a cluster host declares for its manifests. Its
// services keep their compose blocks: the Kubernetes generator
// translates them, so moving a service between a compose host and a
// cluster is a change of its host alone.
type Cluster struct {
	// Namespace is the naming rule of the services' namespaces; see
	// Platform.Namespace.
	Namespace string `json:"namespace"`
	// Expose is ExposeNodePort or ExposeLoadBalancer.
	Expose string `json:"expose"`
	// NodePorts is the API server's NodePort range.
	NodePorts PortSpan `json:"node_ports"`
	// DNSDomain is the cluster's DNS domain ("cluster.local").
	DNSDomain        string   `json:"dns_domain"`
	StorageClass     string   `json:"storage_class"`
	VolumeSize       string   `json:"volume_size"`
	ImagePullSecrets []string `json:"image_pull_secrets"`
	// ProjectDir is where the project is checked out on the nodes, or "".
	ProjectDir       string `json:"project_dir"`
	CloudflaredImage string `json:"cloudflared_image"`
	// Output is the manifests' directory; "" means the default.
	Output string `json:"output"`
}

// PortSpan is an inclusive span of ports.
type PortSpan struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Contains reports whether port lies in the span.
func (s PortSpan) Contains(port int) bool { return port >= s.From && port <= s.To }

// How a cluster exposes published ports at its address.
const (
	// ExposeNodePort publishes a port as the node port of a NodePort
	// Service: every node answers on it.
	ExposeNodePort = "nodeport"
	// ExposeLoadBalancer publishes a port as the port of a LoadBalancer
	// Service, at the address the cluster's load balancer gives it.
	ExposeLoadBalancer = "loadbalancer"
)

// Namespace is the namespace a service of a cluster runs in: the
// cluster's naming rule with {platform}, {range} and {tier} replaced.
// It is "" for a service not on a cluster.
func (p *Platform) Namespace(s *Service) string {
	h := p.Host(s.Host)
	if h == nil || h.Cluster == nil {
		return ""
	}
	return FillPlaceholders(h.Cluster.Namespace, "{platform}", p.Name, "{range}", s.Range, "{tier}", s.Tier)
}

// ClusterDNSName is the name a service's Service answers to inside its
// cluster: <service>.<namespace>.svc.<dns domain>.
func (p *Platform) ClusterDNSName(s *Service) string {
	domain := "cluster.local"
	if h := p.Host(s.Host); h != nil && h.Cluster != nil && h.Cluster.DNSDomain != "" {
		domain = h.Cluster.DNSDomain
	}
	return s.Name + "." + p.Namespace(s) + ".svc." + domain
}

// clusterEndpoint is a port of a cluster service seen from inside its
// cluster: its Service's DNS name and the container port, which the
// Service's port repeats, as a compose network reaches it.
func (p *Platform) clusterEndpoint(pr PortRef) Endpoint {
	return Endpoint{Scheme: pr.Scheme, Host: p.ClusterDNSName(pr.Service), Port: pr.ContainerPort}
}
