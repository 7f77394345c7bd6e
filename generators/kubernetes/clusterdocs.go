package kubernetes

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Files of a cluster that belong to no one service.
const (
	NamespacesFile        = "namespaces.yaml"
	TunnelFile            = "cloudflared.yaml"
	KustomizationFile     = "kustomization.yaml"
	SecretsTemplatesDir   = "secrets"
	secretsTemplateSuffix = ".env.example"
)

// clusterDocuments are the files of the cluster beyond its services:
// the tunnel where it runs here, and the namespaces, made last so that
// they include the tunnel's.
func (g *clusterGen) clusterDocuments() []document {
	var docs []document
	if objects := g.tunnel(); len(objects) > 0 {
		docs = append(docs, document{path: TunnelFile, objects: objects})
	}
	var namespaces []any
	for _, name := range slices.Sorted(slices.Values(g.namespaces)) {
		namespaces = append(namespaces, &corev1.Namespace{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
			ObjectMeta: metav1.ObjectMeta{Name: name, Labels: map[string]string{LabelPartOf: g.p.Name, LabelManagedBy: ManagedBy}}})
	}
	if len(namespaces) > 0 {
		docs = append([]document{{path: NamespacesFile, objects: namespaces}}, docs...)
	}
	return docs
}
