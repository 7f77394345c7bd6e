package kubernetes

import (
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"portschema/schema"
)

// PublishedSuffix ends the name of the Service that publishes a
// service's ports outside the cluster.
const PublishedSuffix = "-published"

// MainPortName names a service's main port in its pod and Services;
// named ports keep their names.
const MainPortName = "main"

// PortName is a port's name in Kubernetes.
func PortName(pr schema.PortRef) string {
	if pr.Name == schema.MainPort {
		return MainPortName
	}
	return pr.Name
}

func protocolOf(pr schema.PortRef) corev1.Protocol {
	if pr.Protocol == "udp" {
		return corev1.ProtocolUDP
	}
	return corev1.ProtocolTCP
}

// clusterService reaches every port of a service inside the cluster at
// its container port, under the service's own name.
func (g *clusterGen) clusterService(s *schema.Service) *corev1.Service {
	svc := &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: g.meta(s, s.Name),
		Spec:       corev1.ServiceSpec{Type: corev1.ServiceTypeClusterIP, Selector: selectorOf(g.p, s)},
	}
	for _, pr := range s.AllPorts() {
		svc.Spec.Ports = append(svc.Spec.Ports, corev1.ServicePort{Name: PortName(pr), Protocol: protocolOf(pr),
			Port: int32(pr.ContainerPort), TargetPort: intstr.FromInt32(int32(pr.ContainerPort))})
	}
	return svc
}

// publishedPorts are the ports a service publishes at its host's
// address; none for a pod in its node's network, which listens there
// itself.
func publishedPorts(s *schema.Service) []schema.PortRef {
	if s.HostNetwork() {
		return nil
	}
	var out []schema.PortRef
	for _, pr := range s.AllPorts() {
		if pr.Publish {
			out = append(out, pr)
		}
	}
	return out
}

// publishedService publishes a service's published ports at the
// cluster's address, each at the service's port: as the node port of a
// NodePort Service, or as the port of a LoadBalancer Service.
func (g *clusterGen) publishedService(s *schema.Service) *corev1.Service {
	ports := publishedPorts(s)
	if len(ports) == 0 {
		return nil
	}
	svc := &corev1.Service{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Service"},
		ObjectMeta: g.meta(s, s.Name+PublishedSuffix),
		Spec:       corev1.ServiceSpec{Type: corev1.ServiceTypeNodePort, Selector: selectorOf(g.p, s)},
	}
	if g.cluster.Expose == schema.ExposeLoadBalancer {
		svc.Spec.Type = corev1.ServiceTypeLoadBalancer
	}
	for _, pr := range ports {
		sp := corev1.ServicePort{Name: PortName(pr), Protocol: protocolOf(pr), Port: int32(pr.Port),
			TargetPort: intstr.FromInt32(int32(pr.ContainerPort))}
		if svc.Spec.Type == corev1.ServiceTypeNodePort {
			sp.NodePort = int32(pr.Port)
		}
		svc.Spec.Ports = append(svc.Spec.Ports, sp)
	}
	return svc
}

// meta is the metadata of an object of a service.
func (g *clusterGen) meta(s *schema.Service, name string) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: name, Namespace: g.p.Namespace(s), Labels: labelsOf(g.p, s)}
}

// PodsSuffix ends the name of a service's headless Service, whose DNS
// name resolves to the addresses of its ready pods: Prometheus in the
// cluster finds the pods to scrape through it, and a StatefulSet names
// its pods under it.
const PodsSuffix = "-pods"

// podsService is the headless Service of a service that Prometheus
// scrapes or that runs as a StatefulSet, with every port of the pod.
func (g *clusterGen) podsService(s *schema.Service, pod *pod) *corev1.Service {
	if s.Metrics == nil && len(pod.claims) == 0 {
		return nil
	}
	svc := g.clusterService(s)
	svc.Name = s.Name + PodsSuffix
	svc.Spec.ClusterIP = corev1.ClusterIPNone
	return svc
}

// PodsDNSName is the DNS name of a service's headless Service, which
// resolves to the addresses of its ready pods.
func PodsDNSName(p *schema.Platform, s *schema.Service) string {
	return s.Name + PodsSuffix + strings.TrimPrefix(p.ClusterDNSName(s), s.Name)
}
