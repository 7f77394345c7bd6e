package kubernetes

import (
	"bytes"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"portschema/generators/cloudflared"
	"portschema/generators/compose"
	"portschema/generators/gentest"
	"portschema/generators/output/golden"
	"portschema/generators/prepared"
)

const k3s = "out/k8s/k3s"

// TestGolden pins the layout of every file of testdata/cluster; the
// review of a golden diff is the review of a layout change.
func TestGolden(t *testing.T) {
	files := generated(t, gentest.Load(t, "testdata/cluster"))
	for _, path := range slices.Sorted(maps.Keys(files)) {
		golden.Check(t, filepath.Join("testdata", "cluster", "golden", filepath.FromSlash(path)), files[path])
	}
}

// TestSameSourceSameBytes: two runs give the same bytes.
func TestSameSourceSameBytes(t *testing.T) {
	a := generated(t, gentest.Load(t, "testdata/cluster"))
	b := generated(t, gentest.Load(t, "testdata/cluster"))
	if len(a) != len(b) {
		t.Fatalf("%d files, then %d", len(a), len(b))
	}
	for path, data := range a {
		if !bytes.Equal(data, b[path]) {
			t.Errorf("%s differs between two runs", path)
		}
	}
}

// TestEnvironment: plain values reach the container unchanged through
// the ConfigMap (which Kubernetes does not expand); secrets are Secret
// references; a URL with a password expands the variable that holds it,
// defined before it; a command reading the host's environment reads the
// Secret instead, and a literal $ stays literal.
func TestEnvironment(t *testing.T) {
	files := generated(t, gentest.Load(t, "testdata/cluster"))
	web := serviceFile(t, files, k3s, "web")
	for k, want := range map[string]string{
		"PORT": "8080", "NODE_ENV": "production", "PRICE": "5$", "RETRIES": "3",
		"API_URL": "http://api.demo-web.svc.cluster.local:3001",
	} {
		if got := web.configMap.Data[k]; got != want {
			t.Errorf("web ConfigMap %s = %q, want %q", k, got, want)
		}
	}
	tmpl, c := web.podSpec(t)
	if tmpl.Annotations[AnnotationConfigHash] != digest(web.configMap.Data) {
		t.Errorf("web's pod does not carry the digest of its ConfigMap")
	}
	env := map[string]int{}
	for i, e := range c.Env {
		env[e.Name] = i
	}
	want := map[string]string{"SESSION_KEY": "SESSION_KEY", "STRIPE_KEY": "STRIPE_SECRET_KEY", "DB_PASSWORD": "DB_PASSWORD"}
	for name, key := range want {
		e := c.Env[env[name]]
		if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil || e.ValueFrom.SecretKeyRef.Key != key || e.ValueFrom.SecretKeyRef.Name != "demo-secrets" || e.Value != "" {
			t.Errorf("web env %s = %+v, want key %s of Secret demo-secrets", name, e, key)
		}
	}
	db := c.Env[env["DATABASE_URL"]]
	if db.Value != "postgresql://app:$(DB_PASSWORD)@db.demo-data.svc.cluster.local:5432/app" || env["DATABASE_URL"] < env["DB_PASSWORD"] {
		t.Errorf("DATABASE_URL = %q at %d (DB_PASSWORD at %d), want it to expand DB_PASSWORD defined before it", db.Value, env["DATABASE_URL"], env["DB_PASSWORD"])
	}
	_, api := serviceFile(t, files, k3s, "api").podSpec(t)
	if got := strings.Join(api.Args, " "); got != "serve --token $(API_TOKEN) --admin-password $(ADMIN_PASSWORD) --home $$HOME" {
		t.Errorf("api args = %q", got)
	}
	if strings.Join(api.Command, " ") != "/bin/api" {
		t.Errorf("api command = %q", api.Command)
	}
	refs := map[string]string{}
	for _, e := range api.Env {
		if e.ValueFrom != nil {
			refs[e.Name] = e.ValueFrom.SecretKeyRef.Key
		}
	}
	if refs["API_TOKEN"] != "API_TOKEN" || refs["ADMIN_PASSWORD"] != "ADMIN_PASSWORD" {
		t.Errorf("api reads %v from the Secret, want API_TOKEN and ADMIN_PASSWORD", refs)
	}
}

// TestWorkloads: how a service runs follows its compose block: a named
// volume makes a StatefulSet with a claim and a headless Service, a
// run-once policy a Job, and not deployed zero replicas or a suspended
// Job; a Deployment is recreated, never rolled, as compose recreates.
func TestWorkloads(t *testing.T) {
	files := generated(t, gentest.Load(t, "testdata/cluster"))
	db := serviceFile(t, files, k3s, "db")
	if db.statefulSet == nil || db.statefulSet.Spec.ServiceName != "db-pods" {
		t.Fatalf("db: %+v, want a StatefulSet governed by db-pods", db)
	}
	if pods := db.services["db-pods"]; pods == nil || pods.Spec.ClusterIP != corev1.ClusterIPNone {
		t.Errorf("db-pods is not a headless Service: %+v", pods)
	}
	claim := db.statefulSet.Spec.VolumeClaimTemplates[0]
	if claim.Name != "db-data" || *claim.Spec.StorageClassName != "local-path" ||
		!claim.Spec.Resources.Requests[corev1.ResourceStorage].Equal(resource.MustParse("1Gi")) {
		t.Errorf("db claim = %+v", claim)
	}
	if _, ok := db.services["db-published"]; ok {
		t.Error("db publishes no port, yet has a published Service")
	}
	migrate := serviceFile(t, files, k3s, "migrate").job
	if migrate == nil || migrate.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyNever || *migrate.Spec.BackoffLimit != 0 || migrate.Spec.Suspend != nil {
		t.Errorf("migrate = %+v, want a Job run once", migrate)
	}
	reindex := serviceFile(t, files, k3s, "reindex").job
	if reindex == nil || reindex.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyOnFailure || *reindex.Spec.BackoffLimit != 3 || !*reindex.Spec.Suspend {
		t.Errorf("reindex = %+v, want a suspended Job retrying 3 times", reindex)
	}
	legacy := serviceFile(t, files, k3s, "legacy").deployment
	if legacy == nil || *legacy.Spec.Replicas != 0 {
		t.Errorf("legacy = %+v, want zero replicas", legacy)
	}
	api := serviceFile(t, files, k3s, "api").deployment
	if api == nil || *api.Spec.Replicas != 2 || api.Spec.Strategy.Type != "Recreate" {
		t.Errorf("api = %+v, want 2 replicas, recreated", api)
	}
}

// TestContainer: probes, resources, volumes and pod settings from the
// compose keys.
func TestContainer(t *testing.T) {
	files := generated(t, gentest.Load(t, "testdata/cluster"))
	_, web := serviceFile(t, files, k3s, "web").podSpec(t)
	p := web.ReadinessProbe
	if p == nil || strings.Join(p.Exec.Command, " ") != "/bin/sh -c wget -q --spider http://localhost:8080/health || exit 1" ||
		p.PeriodSeconds != 90 || p.TimeoutSeconds != 5 || p.FailureThreshold != 4 || web.LivenessProbe != nil {
		t.Errorf("web readiness = %+v", p)
	}
	if !web.Resources.Limits.Memory().Equal(resource.MustParse("256Mi")) || !web.Resources.Limits.Cpu().Equal(resource.MustParse("500m")) {
		t.Errorf("web limits = %v", web.Resources.Limits)
	}
	dbTmpl, db := serviceFile(t, files, k3s, "db").podSpec(t)
	if got := strings.Join(db.ReadinessProbe.Exec.Command, " "); got != "/bin/sh -c pg_isready -U $POSTGRES_USER" {
		t.Errorf("db probe = %q, want compose's $$ as the shell's $", got)
	}
	if v := dbTmpl.Spec.Volumes[0]; v.Name != "shm" || v.EmptyDir.Medium != corev1.StorageMediumMemory || !v.EmptyDir.SizeLimit.Equal(resource.MustParse("256Mi")) {
		t.Errorf("db shm = %+v", v)
	}
	apiTmpl, api := serviceFile(t, files, k3s, "api").podSpec(t)
	volumes := map[string]corev1.Volume{}
	for _, v := range apiTmpl.Spec.Volumes {
		volumes[v.Name] = v
	}
	mounts := map[string]corev1.Volume{}
	for _, m := range api.VolumeMounts {
		mounts[m.MountPath] = volumes[m.Name]
	}
	if v := mounts["/var/log/api"]; v.HostPath == nil || v.HostPath.Path != "/var/log/demo" {
		t.Errorf("absolute bind mount = %+v", v)
	}
	if v := mounts["/etc/api/api.yaml"]; v.HostPath == nil || v.HostPath.Path != "/srv/demo/conf/api.yaml" {
		t.Errorf("project bind mount = %+v, want below project_dir", v)
	}
	if v := mounts["/cache"]; v.EmptyDir == nil || v.EmptyDir.Medium != "" {
		t.Errorf("anonymous volume = %+v", v)
	}
	for _, target := range []string{"/run/api", "/tmp"} {
		if v := mounts[target]; v.EmptyDir == nil || v.EmptyDir.Medium != corev1.StorageMediumMemory {
			t.Errorf("tmpfs %s = %+v", target, v)
		}
	}
	sc := api.SecurityContext
	if *sc.RunAsUser != 1000 || *sc.RunAsGroup != 1000 || !*sc.ReadOnlyRootFilesystem || sc.Capabilities.Add[0] != "NET_BIND_SERVICE" {
		t.Errorf("api security = %+v", sc)
	}
	resTmpl, res := serviceFile(t, files, k3s, "resolver").podSpec(t)
	spec := resTmpl.Spec
	if !spec.HostNetwork || spec.DNSPolicy != corev1.DNSNone || strings.Join(spec.DNSConfig.Nameservers, ",") != "1.1.1.1,9.9.9.9" ||
		!*spec.ShareProcessNamespace || spec.NodeSelector["kubernetes.io/arch"] != "arm64" || *spec.TerminationGracePeriodSeconds != 60 ||
		!*res.SecurityContext.Privileged || len(spec.HostAliases) != 2 {
		t.Errorf("resolver pod = %+v", spec)
	}
	if res.Ports[1].Protocol != corev1.ProtocolUDP || res.Ports[1].ContainerPort != 53 {
		t.Errorf("resolver ports = %+v", res.Ports)
	}
}

// TestReachAcrossTheBoundary: inside the cluster a service is its
// Service's DNS name at its container port; outside, other hosts reach
// it at the cluster's address on its published port, which the
// published Service opens there; the cluster reaches other hosts at
// their addresses.
func TestReachAcrossTheBoundary(t *testing.T) {
	files := generated(t, gentest.Load(t, "testdata/cluster"))
	web := serviceFile(t, files, k3s, "web")
	pub := web.services["web"+PublishedSuffix]
	if pub == nil || pub.Spec.Type != corev1.ServiceTypeNodePort || pub.Spec.Ports[0].NodePort != 3000 || pub.Spec.Ports[0].TargetPort.IntValue() != 8080 {
		t.Fatalf("web's published Service = %+v, want node port 3000 to container port 8080", pub)
	}
	if in := web.services["web"]; in.Spec.Type != corev1.ServiceTypeClusterIP || in.Spec.Ports[0].Port != 8080 {
		t.Errorf("web's Service = %+v, want port 8080 inside the cluster", in)
	}
	if got := serviceFile(t, files, k3s, "api").configMap.Data["STT_URL"]; got != "http://192.0.2.2:9100" {
		t.Errorf("api's STT_URL = %q, want the LAN machine's address", got)
	}
	p := gentest.Load(t, "testdata/cluster")
	cf, err := compose.Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(cf[0].Data, []byte("WEB_URL: http://192.0.2.5:3000")) {
		t.Errorf("the compose host does not reach web at the cluster's address:\n%s", cf[0].Data)
	}
	if _, ok := serviceFile(t, files, k3s, "resolver").services["resolver"+PublishedSuffix]; ok {
		t.Error("a pod in its node's network listens there itself, yet has a published Service")
	}
}

// TestTunnelInTheCluster: the cluster's tunnel runs cloudflared in the
// cluster, on the cloudflared generator's file for this host, whose
// origins are the Services' cluster DNS names.
func TestTunnelInTheCluster(t *testing.T) {
	p := gentest.Load(t, "testdata/cluster")
	files := generated(t, p)
	cf, err := prepared.Generate(cloudflared.Prepare, p)
	if err != nil {
		t.Fatal(err)
	}
	var config []byte
	for _, f := range cf {
		if f.Path == cloudflared.OutputPath(p.Host("k3s")) {
			config = f.Data
		}
	}
	if !bytes.Contains(config, []byte("service: http://web.demo-web.svc.cluster.local:8080")) {
		t.Errorf("tunnel origin is not web's Service in the cluster:\n%s", config)
	}
	var cm *corev1.ConfigMap
	for _, o := range objects(t, files[k3s+"/"+TunnelFile]) {
		if c, ok := o.(*corev1.ConfigMap); ok {
			cm = c
		}
	}
	if cm == nil || cm.Data["config.yaml"] != string(config) || cm.Namespace != "demo-tunnel" {
		t.Errorf("tunnel ConfigMap = %+v, want the cloudflared file in namespace demo-tunnel", cm)
	}
}
