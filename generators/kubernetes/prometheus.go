package kubernetes

import (
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"portschema/schema"
)

// Prometheus that runs in a cluster finds the cluster's services
// through the Kubernetes API (kubernetes_sd_configs, role endpointslice):
// it scrapes every pod behind a Service, and needs no list of targets
// that could go stale. The prometheus generator writes those jobs; this
// gives the pod of prometheus.service the read access they take: its
// own service account, bound to a cluster role that reads Services,
// EndpointSlices and pods. ServiceMonitors would need the Prometheus
// operator, which a platform that keeps one prometheus.yml does not run.

// runsPrometheus reports whether s is the service that runs Prometheus
// on its cluster.
func (g *clusterGen) runsPrometheus(s *schema.Service) bool {
	pr := g.p.Prometheus
	return pr != nil && pr.Host == g.host.Name && pr.Service == s.Name
}

// DiscoveryRole is the name of the cluster role and binding that let
// Prometheus discover the platform's services.
func DiscoveryRole(p *schema.Platform) string { return p.Name + "-prometheus-discovery" }

// prometheusAccess is the service account of Prometheus's pod and the
// cluster role it is bound to.
func (g *clusterGen) prometheusAccess() []any {
	pr := g.p.Prometheus
	if pr == nil || pr.Host != g.host.Name {
		return nil
	}
	s := g.p.Service(pr.Service)
	if s == nil || s.Host != g.host.Name {
		return nil // reported by checkPrometheus
	}
	ns, name, pos := g.p.Namespace(s), DiscoveryRole(g.p), pr.At("service")
	g.register("ServiceAccount", ns, s.Name, pos)
	g.register("ClusterRole", "", name, pos)
	g.register("ClusterRoleBinding", "", name, pos)
	labels := platformLabels(g.p, "prometheus-discovery")
	read := []string{"get", "list", "watch"}
	return []any{
		&corev1.ServiceAccount{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ServiceAccount"}, ObjectMeta: g.meta(s, s.Name)},
		&rbacv1.ClusterRole{TypeMeta: metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRole"},
			ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
			Rules: []rbacv1.PolicyRule{
				{APIGroups: []string{""}, Resources: []string{"services", "endpoints", "pods"}, Verbs: read},
				{APIGroups: []string{"discovery.k8s.io"}, Resources: []string{"endpointslices"}, Verbs: read},
			}},
		&rbacv1.ClusterRoleBinding{TypeMeta: metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: "ClusterRoleBinding"},
			ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels},
			RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: name},
			Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Name: s.Name, Namespace: ns}}},
	}
}
