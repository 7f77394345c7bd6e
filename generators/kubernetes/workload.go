package kubernetes

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"portschema/schema"
)

// ServicesDir holds one file per service below a cluster's directory.
const ServicesDir = "services"

// EnvSuffix ends the name of a service's ConfigMap.
const EnvSuffix = "-env"

// serviceDocument is a service's file: its ConfigMap, its workload and
// its Services, registered so that name clashes are reported.
func (g *clusterGen) serviceDocument(s *schema.Service) document {
	ns := g.p.Namespace(s)
	pos := s.At("")
	g.useNamespace(ns, g.host.At("cluster.namespace"))
	env := g.newEnvPlan(s)
	pod := g.translatePod(s, env)
	var objects []any
	template := g.podTemplate(s, pod, env)
	if len(env.plain) > 0 {
		cm := &corev1.ConfigMap{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"},
			ObjectMeta: g.meta(s, s.Name+EnvSuffix), Data: env.plain}
		g.register("ConfigMap", ns, cm.Name, pos)
		template.Annotations[AnnotationConfigHash] = digest(cm.Data)
		objects = append(objects, cm)
	}
	if w := g.workload(s, pod, template); w != nil {
		objects = append(objects, w)
	}
	for _, svc := range []*corev1.Service{g.clusterService(s), g.podsService(s, pod), g.publishedService(s)} {
		if svc != nil {
			g.register("Service", ns, svc.Name, pos)
			objects = append(objects, svc)
		}
	}
	return document{path: ServicesDir + "/" + s.Name + ".yaml", objects: objects}
}

// podTemplate is the pod of a service: its one container with its
// ports and environment, and the pod settings that keep compose's
// behaviour. Service links are off (compose puts no FOO_PORT variables
// in a container), and so is the service account token, which a
// compose container never had.
func (g *clusterGen) podTemplate(s *schema.Service, pod *pod, env *envPlan) corev1.PodTemplateSpec {
	c := pod.container
	for _, pr := range s.AllPorts() {
		c.Ports = append(c.Ports, corev1.ContainerPort{Name: PortName(pr), ContainerPort: int32(pr.ContainerPort), Protocol: protocolOf(pr)})
	}
	if len(env.plain) > 0 {
		c.EnvFrom = []corev1.EnvFromSource{{ConfigMapRef: &corev1.ConfigMapEnvSource{
			LocalObjectReference: corev1.LocalObjectReference{Name: s.Name + EnvSuffix}}}}
	}
	c.Env = env.vars()
	spec := pod.spec
	spec.Containers = []corev1.Container{c}
	spec.EnableServiceLinks = new(false)
	spec.AutomountServiceAccountToken = new(false)
	for _, name := range g.cluster.ImagePullSecrets {
		spec.ImagePullSecrets = append(spec.ImagePullSecrets, corev1.LocalObjectReference{Name: name})
	}
	annotations := map[string]string{}
	for k, v := range pod.annotations {
		annotations[k] = v
	}
	return corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labelsOf(g.p, s), Annotations: annotations}, Spec: spec}
}

// workload is the Deployment, StatefulSet or Job that runs a service.
func (g *clusterGen) workload(s *schema.Service, pod *pod, template corev1.PodTemplateSpec) any {
	ns, pos := g.p.Namespace(s), s.At("")
	replicas := pod.replicas
	if !s.Deployed {
		replicas = 0
	}
	meta := g.meta(s, s.Name)
	selector := &metav1.LabelSelector{MatchLabels: selectorOf(g.p, s)}
	oneShot := pod.restart == restartNo || pod.restart == restartOnFailure
	switch {
	case len(pod.claims) > 0 && oneShot:
		g.errorf(s.At("compose.volumes"), []schema.Pos{pod.restartPos}, "%s: keeps data in a named volume, which makes it a StatefulSet, and runs once (restart %q), which only a Job does; set restart: always or unless-stopped", s.Name, pod.restart)
		return nil
	case len(pod.claims) > 0:
		g.register("StatefulSet", ns, s.Name, pos)
		return &appsv1.StatefulSet{TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"}, ObjectMeta: meta,
			Spec: appsv1.StatefulSetSpec{Replicas: &replicas, Selector: selector, ServiceName: s.Name + PodsSuffix,
				Template: template, VolumeClaimTemplates: pod.claims}}
	case oneShot:
		g.register("Job", ns, s.Name, pos)
		return g.job(s, pod, meta, template)
	}
	g.register("Deployment", ns, s.Name, pos)
	return &appsv1.Deployment{TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}, ObjectMeta: meta,
		Spec: appsv1.DeploymentSpec{Replicas: &replicas, Selector: selector, Template: template,
			Strategy: appsv1.DeploymentStrategy{Type: appsv1.RecreateDeploymentStrategyType}}}
}

// job runs a service once, as compose does with restart "no" (no retry)
// or "on-failure" (retries up to its maximum, or Kubernetes' default
// of six). One that is not deployed is suspended.
func (g *clusterGen) job(s *schema.Service, pod *pod, meta metav1.ObjectMeta, template corev1.PodTemplateSpec) *batchv1.Job {
	spec := batchv1.JobSpec{Template: template, BackoffLimit: new(int32(0))}
	spec.Template.Spec.RestartPolicy = corev1.RestartPolicyNever
	if pod.restart == restartOnFailure {
		spec.Template.Spec.RestartPolicy = corev1.RestartPolicyOnFailure
		spec.BackoffLimit = pod.retries
	}
	if !s.Deployed {
		spec.Suspend = new(true)
	}
	if pod.replicas != 1 {
		spec.Parallelism = new(pod.replicas)
	}
	return &batchv1.Job{TypeMeta: metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"}, ObjectMeta: meta, Spec: spec}
}

// digest is a short hash of a ConfigMap's data; json.Marshal sorts the
// keys, so equal data gives equal digests, and it cannot fail on a map
// of strings.
func digest(data map[string]string) string {
	b, _ := json.Marshal(data)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}
