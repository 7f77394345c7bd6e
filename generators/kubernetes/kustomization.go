package kubernetes

import (
	"bytes"
	"slices"

	"sigs.k8s.io/yaml"

	"portschema/generators/output"
)

// kustomizationFile is a kustomization that lists a cluster's manifests,
// so that `kubectl apply -k DIR` applies them all (namespaces first:
// kustomize orders by kind).
type kustomizationFile struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Resources  []string `json:"resources"`
}

// kustomization lists every manifest among docs, in path order.
func kustomization(docs []document) ([]byte, error) {
	k := kustomizationFile{APIVersion: "kustomize.config.k8s.io/v1beta1", Kind: "Kustomization", Resources: []string{}}
	for _, d := range docs {
		if d.objects != nil {
			k.Resources = append(k.Resources, d.path)
		}
	}
	slices.Sort(k.Resources)
	data, err := yaml.Marshal(k)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(output.Header(output.HashComment))
	b.Write(data)
	return b.Bytes(), nil
}
