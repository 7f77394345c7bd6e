package kubernetes

import "portschema/schema"

// Labels every object of a service carries: the well-known
// app.kubernetes.io ones, and the model's own terms under the
// "portschema" prefix, so that kubectl can select by range, tier or
// host (kubectl get pods -l portschema/range=ai).
const (
	LabelName      = "app.kubernetes.io/name"
	LabelPartOf    = "app.kubernetes.io/part-of"
	LabelManagedBy = "app.kubernetes.io/managed-by"
	LabelHost      = "portschema/host"
	LabelRange     = "portschema/range"
	LabelTier      = "portschema/tier"
	// ManagedBy is the value of LabelManagedBy.
	ManagedBy = "portschema"
)

// AnnotationConfigHash on a pod template is a digest of the ConfigMap
// the pod reads: a changed environment changes the template, and the
// workload rolls its pods, as compose recreates a container whose
// environment changed.
const AnnotationConfigHash = "portschema/config-hash"

// selectorOf picks a service's pods; it never changes for a service.
func selectorOf(p *schema.Platform, s *schema.Service) map[string]string {
	return map[string]string{LabelName: s.Name, LabelPartOf: p.Name}
}

// labelsOf are a service's labels; an empty tier is left out.
func labelsOf(p *schema.Platform, s *schema.Service) map[string]string {
	l := selectorOf(p, s)
	l[LabelManagedBy] = ManagedBy
	l[LabelHost] = s.Host
	l[LabelRange] = s.Range
	if s.Tier != "" {
		l[LabelTier] = s.Tier
	}
	return l
}

// platformLabels are the labels of objects that belong to no service.
func platformLabels(p *schema.Platform, component string) map[string]string {
	return map[string]string{LabelName: component, LabelPartOf: p.Name, LabelManagedBy: ManagedBy}
}
