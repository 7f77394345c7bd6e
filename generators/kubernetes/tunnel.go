package kubernetes

import (
	"fmt"
	"path"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"portschema/generators/cloudflared"
	"portschema/generators/output"
	"portschema/schema"
)

// A cluster that runs the tunnel (a tunnel block on the cluster host)
// runs cloudflared in the cluster, as a Deployment reading the tunnel's
// generated configuration from a ConfigMap. That is the set-up a
// homelab on k3s runs, and the one Cloudflare documents for
// Kubernetes: no ingress controller, no node port open to the LAN for
// public traffic, the origins are the Services' cluster DNS names (the
// cloudflared generator asks the model from inside the cluster), and
// the tunnel moves with the cluster, not with one machine. A tunnel on
// another host reaches the cluster's services at the cluster's address
// and their published ports instead, like any other LAN host's.

// Names of the tunnel's objects.
const (
	TunnelName = "cloudflared"
	// TunnelCredentials is the Secret holding the tunnel's credentials
	// file, created by hand:
	// kubectl create secret generic cloudflared-credentials --from-file=<file>.
	TunnelCredentials = "cloudflared-credentials"
	tunnelConfigDir   = "/etc/cloudflared/config"
	tunnelConfigKey   = "config.yaml"
	// tunnelMetrics is where cloudflared answers /ready, its liveness.
	tunnelMetrics = 2000
)

// tunnelReplicas: two connectors, so that a rolling update or a crash
// leaves one serving, as Cloudflare recommends.
const tunnelReplicas = 2

// tunnelConfig is the cloudflared generator's file for the tunnel of
// cluster h among tunnels, byte for byte. It is asked only of a valid
// source: the cloudflared generator reports its own problems.
func tunnelConfig(tunnels []output.File, h *schema.Host) ([]byte, error) {
	for _, f := range tunnels {
		if f.Path == cloudflared.OutputPath(h) {
			return f.Data, nil
		}
	}
	return nil, fmt.Errorf("kubernetes: the cloudflared generator wrote no file for host %s", h.Name)
}

// tunnel is the cloudflared Deployment and ConfigMap of a cluster that
// runs a tunnel, on the configuration tunnelConfig found.
func (g *clusterGen) tunnel() []any {
	h := g.host
	if h.Tunnel == nil {
		return nil
	}
	creds := h.Tunnel.CredentialsFile
	if !path.IsAbs(creds) {
		g.errorf(h.At("tunnel.credentials_file"), nil, "cluster %s: in the cluster the tunnel's credentials file is mounted from the Secret %s at its directory; write an absolute path", h.Name, TunnelCredentials)
		return nil
	}
	ns := g.tunnelNamespace()
	pos := h.At("tunnel")
	g.useNamespace(ns, pos)
	g.register("ConfigMap", ns, TunnelName, pos)
	g.register("Deployment", ns, TunnelName, pos)
	labels := platformLabels(g.p, TunnelName)
	meta := metav1.ObjectMeta{Name: TunnelName, Namespace: ns, Labels: labels}
	data := map[string]string{tunnelConfigKey: string(g.tunnelConfig)}
	cm := &corev1.ConfigMap{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}, ObjectMeta: meta, Data: data}
	container := corev1.Container{
		Name: TunnelName, Image: g.cluster.CloudflaredImage,
		Args:  []string{"tunnel", "--config", path.Join(tunnelConfigDir, tunnelConfigKey), "--metrics", "0.0.0.0:2000", "--no-autoupdate", "run"},
		Ports: []corev1.ContainerPort{{Name: "metrics", ContainerPort: tunnelMetrics, Protocol: corev1.ProtocolTCP}},
		LivenessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{
			Path: "/ready", Port: intstr.FromInt32(tunnelMetrics)}}, InitialDelaySeconds: 10, PeriodSeconds: 10, FailureThreshold: 1},
		VolumeMounts: []corev1.VolumeMount{
			{Name: "config", MountPath: tunnelConfigDir, ReadOnly: true},
			{Name: "credentials", MountPath: path.Dir(creds), ReadOnly: true},
		},
	}
	spec := corev1.PodSpec{
		Containers:                   []corev1.Container{container},
		AutomountServiceAccountToken: new(false),
		EnableServiceLinks:           new(false),
		Volumes: []corev1.Volume{
			{Name: "config", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{
				LocalObjectReference: corev1.LocalObjectReference{Name: TunnelName}}}},
			{Name: "credentials", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: TunnelCredentials}}},
		},
	}
	deploy := &appsv1.Deployment{TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}, ObjectMeta: meta,
		Spec: appsv1.DeploymentSpec{Replicas: new(int32(tunnelReplicas)),
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{LabelName: TunnelName, LabelPartOf: g.p.Name}},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels,
				Annotations: map[string]string{AnnotationConfigHash: digest(data)}}, Spec: spec}}}
	g.secretNote(ns, "The tunnel's credentials are a Secret of their own, made from its credentials file:",
		"  kubectl create secret generic "+TunnelCredentials+" -n "+ns+" --from-file="+creds)
	return []any{cm, deploy}
}
