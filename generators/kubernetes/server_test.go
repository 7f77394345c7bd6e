package kubernetes

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"portschema/generators/cloudflared"
	"portschema/generators/gentest"
	"portschema/generators/kubernetes/kubetest"
	"portschema/generators/prepared"
	"portschema/schema"
)

// server is one API server for the package's tests, started by the
// first test that needs it. Its node port range is the one
// testdata/cluster declares (cluster.node_ports), as the cluster it
// describes would run.
var server = &kubetest.Shared{RepoRoot: repoRoot, Args: []string{"--service-node-port-range=3000-32767"}}

func TestMain(m *testing.M) {
	code := m.Run()
	server.Close()
	os.Exit(code)
}

// namespacesOf lists the namespaces a cluster's files declare.
func namespacesOf(t *testing.T, files map[string][]byte, dir string) []string {
	t.Helper()
	var names []string
	for _, o := range objects(t, files[dir+"/"+NamespacesFile]) {
		names = append(names, o.(*corev1.Namespace).Name)
	}
	return names
}

// objectCount is the number of objects in a cluster's manifests.
func objectCount(t *testing.T, files map[string][]byte, dir string) int {
	t.Helper()
	n := 0
	for path, data := range files {
		if strings.HasPrefix(path, dir+"/") && strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, KustomizationFile) {
			n += len(documents(t, data))
		}
	}
	return n
}

// acceptCluster applies a cluster's kustomization to the server as a
// dry run, once its namespaces exist (a dry run cannot create a
// namespace and use it), and checks that every object was accepted.
func acceptCluster(t *testing.T, srv *kubetest.Server, files map[string][]byte, dir string) {
	t.Helper()
	root := writeFiles(t, files)
	if err := srv.CreateNamespaces(namespacesOf(t, files, dir)...); err != nil {
		t.Fatal(err)
	}
	out, err := srv.DryRun("-k", filepath.Join(root, filepath.FromSlash(dir)))
	if err != nil {
		t.Fatalf("the API server rejected the manifests of %s:\n%v\n%s", dir, err, out)
	}
	accepted := strings.Count(out, "(server dry run)")
	if want := objectCount(t, files, dir); accepted != want {
		t.Errorf("the server accepted %d objects, the manifests hold %d:\n%s", accepted, want, out)
	}
}

// TestClusterManifestsAccepted: every manifest of testdata/cluster, one
// service for each way a compose block carries over, is accepted by a
// real API server.
func TestClusterManifestsAccepted(t *testing.T) {
	srv := server.Get(t)
	acceptCluster(t, srv, generated(t, gentest.Load(t, "testdata/cluster")), k3s)
}

// TestManaAsClusterAccepted: this project's own platform with its
// compose host turned into a cluster gives a file for every service of
// that host, all accepted by the API server; the tunnel routes to the
// Services in the cluster, and Prometheus finds their pods there.
func TestManaAsClusterAccepted(t *testing.T) {
	p, err := schema.Load(manaAsCluster(t))
	if err != nil {
		t.Fatalf("the platform as a cluster does not load: %v", err)
	}
	files := generated(t, p)
	const dir = "out/k8s/macmini"
	services := p.Host("macmini").Services
	if len(services) < 40 {
		t.Fatalf("only %d services on the cluster", len(services))
	}
	for _, s := range services {
		if _, ok := files[dir+"/services/"+s.Name+".yaml"]; !ok {
			t.Errorf("no manifests for %s", s.Name)
		}
	}
	tunnel := string(files[dir+"/"+TunnelFile])
	for _, want := range []string{"service: http://mana-auth.mana.svc.cluster.local:3001", "service: http://192.168.178.11:3020"} {
		if !strings.Contains(tunnel, want) {
			t.Errorf("the tunnel's configuration has no %q", want)
		}
	}
	acceptCluster(t, server.Get(t), files, dir)
}

// TestSecretsTemplatesMakeTheSecrets: each namespace's template lists
// exactly the keys its manifests read from the namespace's Secret, and
// kubectl makes the Secret from a filled-in copy.
func TestSecretsTemplatesMakeTheSecrets(t *testing.T) {
	srv := server.Get(t)
	files := generated(t, gentest.Load(t, "testdata/cluster"))
	if err := srv.CreateNamespaces(namespacesOf(t, files, k3s)...); err != nil {
		t.Fatal(err)
	}
	read := map[string][]string{} // namespace -> keys the manifests read
	for path := range files {
		name, ok := strings.CutPrefix(path, k3s+"/services/")
		if !ok {
			continue
		}
		name = strings.TrimSuffix(name, ".yaml")
		so := serviceFile(t, files, k3s, name)
		ns := so.services[name].Namespace
		_, c := so.podSpec(t)
		for _, e := range c.Env {
			if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				read[ns] = append(read[ns], e.ValueFrom.SecretKeyRef.Key)
			}
		}
	}
	for ns, keys := range read {
		path := k3s + "/" + SecretsTemplatesDir + "/" + ns + ".env.example"
		template := files[path]
		var listed []string
		var filled strings.Builder
		for _, line := range strings.Split(string(template), "\n") {
			if key, ok := strings.CutSuffix(line, "="); ok && !strings.HasPrefix(line, "#") {
				listed = append(listed, key)
				filled.WriteString(key + "=x\n")
			}
		}
		if got, want := strings.Join(listed, ","), strings.Join(slices.Compact(slices.Sorted(slices.Values(keys))), ","); got != want {
			t.Errorf("%s lists %s; the manifests read %s", path, got, want)
		}
		env := filepath.Join(t.TempDir(), "secrets.env")
		if err := os.WriteFile(env, []byte(filled.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := srv.Kubectl("create", "secret", "generic", "demo-secrets", "-n", ns, "--from-env-file="+env, "--dry-run=server"); err != nil {
			t.Errorf("kubectl does not make the Secret from %s: %v\n%s", path, err, out)
		}
	}
}

// TestServerRejectsWhatTheToolRejects: for the mistakes the API would
// catch, the manifest the mistake makes (built here past the tool's
// checks) is rejected by the server, as the tool rejected the source.
func TestServerRejectsWhatTheToolRejects(t *testing.T) {
	srv := server.Get(t)
	for _, c := range brokenCases {
		if c.server == "" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			_, p := c.broken(t)
			h := p.Host("k3s")
			var config []byte
			if h.Tunnel != nil {
				tunnels, err := prepared.Generate(cloudflared.Prepare, p)
				if err == nil {
					config, err = tunnelConfig(tunnels, h)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			g := newClusterGen(p, h, config)
			rendered, err := render(h, g.documents(h.Services))
			if err != nil {
				t.Fatal(err)
			}
			files := map[string][]byte{}
			for _, f := range rendered {
				files[f.Path] = f.Data
			}
			root := writeFiles(t, files)
			dir := filepath.Join(root, filepath.FromSlash(k3s))
			var out string
			switch c.name {
			case "namespace not a DNS label":
				out, err = srv.DryRun("-f", filepath.Join(dir, NamespacesFile))
			case "node port outside the API server's range":
				// A dry run checks no node port against the range: create.
				if err := srv.CreateNamespaces(namespacesOf(t, files, k3s)...); err != nil {
					t.Fatal(err)
				}
				web := filepath.Join(dir, "services", "web.yaml")
				out, err = srv.Kubectl("apply", "-f", web)
				t.Cleanup(func() { srv.Kubectl("delete", "--wait", "--ignore-not-found", "-f", web) })
			case "node port taken by another service":
				// A dry run allocates nothing: the other Service must exist.
				if err := srv.CreateNamespaces(namespacesOf(t, files, k3s)...); err != nil {
					t.Fatal(err)
				}
				legacy := filepath.Join(dir, "services", "legacy.yaml")
				if out, err := srv.Kubectl("apply", "-f", legacy); err != nil {
					t.Fatalf("creating legacy: %v\n%s", err, out)
				}
				t.Cleanup(func() { srv.Kubectl("delete", "--wait", "-f", legacy) })
				out, err = srv.DryRun("-f", filepath.Join(dir, "services", "web.yaml"))
			default:
				if err := srv.CreateNamespaces(namespacesOf(t, files, k3s)...); err != nil {
					t.Fatal(err)
				}
				out, err = srv.DryRun("-f", filepath.Join(dir, filepath.FromSlash(c.file)))
			}
			if err == nil || !strings.Contains(err.Error(), c.server) {
				t.Errorf("the server answered %v\n%s\nwant a rejection with %q", err, out, c.server)
			}
		})
	}
}
