package kubernetes

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"portschema/generators/output"
	"portschema/schema"
)

// check is what the registry's Check of this output reports.
func check(p *schema.Platform) schema.Diagnostics {
	w, _ := Prepare(p, nil)
	return w.Diagnostics()
}

// generate is what the registry's Generate of this output returns: the
// files of a source without errors, the errors otherwise.
func generate(p *schema.Platform) ([]output.File, error) {
	w, err := Prepare(p, nil)
	if err != nil {
		return nil, err
	}
	if w.Diagnostics().Errors() > 0 {
		return nil, w.Diagnostics()
	}
	return w.Files()
}

// generated maps each generated path to its bytes.
func generated(t *testing.T, p *schema.Platform) map[string][]byte {
	t.Helper()
	files, err := generate(p)
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Data
	}
	return out
}

// writeFiles lays generated files out below a fresh directory, as regen
// would below the project root, and returns the directory.
func writeFiles(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for path, data := range files {
		full := filepath.Join(dir, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// documents splits a YAML stream into its documents, checking the
// generated header first.
func documents(t *testing.T, data []byte) [][]byte {
	t.Helper()
	if !bytes.HasPrefix(data, []byte(output.Header(output.HashComment))) {
		t.Fatalf("file does not start with the generated header:\n%s", data)
	}
	var docs [][]byte
	for _, part := range bytes.Split(data, []byte("\n---\n"))[1:] {
		docs = append(docs, part)
	}
	return docs
}

// objects decodes a generated file strictly (an unknown field fails)
// into typed objects by kind.
func objects(t *testing.T, data []byte) []any {
	t.Helper()
	var out []any
	for _, doc := range documents(t, data) {
		var head struct {
			Kind string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &head); err != nil {
			t.Fatal(err)
		}
		var o any
		switch head.Kind {
		case "Deployment":
			o = &appsv1.Deployment{}
		case "StatefulSet":
			o = &appsv1.StatefulSet{}
		case "Job":
			o = &batchv1.Job{}
		case "Service":
			o = &corev1.Service{}
		case "ConfigMap":
			o = &corev1.ConfigMap{}
		case "Namespace":
			o = &corev1.Namespace{}
		default:
			t.Fatalf("unexpected kind %q", head.Kind)
		}
		if err := yaml.UnmarshalStrict(doc, o); err != nil {
			t.Fatalf("decoding a %s: %v\n%s", head.Kind, err, doc)
		}
		out = append(out, o)
	}
	return out
}

// serviceObjects are the objects of one service's file of cluster k3s.
type serviceObjects struct {
	configMap   *corev1.ConfigMap
	deployment  *appsv1.Deployment
	statefulSet *appsv1.StatefulSet
	job         *batchv1.Job
	services    map[string]*corev1.Service
}

func serviceFile(t *testing.T, files map[string][]byte, dir, name string) serviceObjects {
	t.Helper()
	data, ok := files[dir+"/services/"+name+".yaml"]
	if !ok {
		t.Fatalf("no file for service %s", name)
	}
	so := serviceObjects{services: map[string]*corev1.Service{}}
	for _, o := range objects(t, data) {
		switch o := o.(type) {
		case *corev1.ConfigMap:
			so.configMap = o
		case *appsv1.Deployment:
			so.deployment = o
		case *appsv1.StatefulSet:
			so.statefulSet = o
		case *batchv1.Job:
			so.job = o
		case *corev1.Service:
			so.services[o.Name] = o
		}
	}
	return so
}

// podSpec is the pod of whichever workload the file holds.
func (so serviceObjects) podSpec(t *testing.T) (corev1.PodTemplateSpec, corev1.Container) {
	t.Helper()
	var tmpl corev1.PodTemplateSpec
	switch {
	case so.deployment != nil:
		tmpl = so.deployment.Spec.Template
	case so.statefulSet != nil:
		tmpl = so.statefulSet.Spec.Template
	case so.job != nil:
		tmpl = so.job.Spec.Template
	default:
		t.Fatal("no workload")
	}
	if len(tmpl.Spec.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(tmpl.Spec.Containers))
	}
	return tmpl, tmpl.Spec.Containers[0]
}

// writeSource lays out a project whose schema/ holds one file.
func writeSource(t *testing.T, src string) string {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "schema"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "schema", "platform.cue"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// clusterSource is testdata/cluster's source.
func clusterSource(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/cluster/schema/platform.cue")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// repoRoot is the repository root, whose schema/ is this project's own
// platform.
const repoRoot = "../.."

// manaAsCluster copies this project's own platform with its compose
// host, the Mac Mini, turned into a cluster, and returns the new root.
// The edits are the ones a team makes: the host's kind, its compose
// block replaced by cluster settings (LoadBalancer Services, as k3s's
// ServiceLB runs them, so that published ports such as 25 and 3001
// stay as they are; the project's checkout on the node for the bind
// mounts of ./docker/...), and an image name for the three services
// that only had a build, since a cluster pulls images.
func manaAsCluster(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	src := filepath.Join(repoRoot, schema.SourceDir)
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(root, schema.SourceDir), 0o755); err != nil {
		t.Fatal(err)
	}
	composeBlock := regexp.MustCompile(`(?s)\n\tcompose: \{\n.*?\n\t\}\n`)
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || (!strings.HasSuffix(name, ".cue") && !strings.HasSuffix(name, ".yml")) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		switch name {
		case "hosts.cue":
			text = mustReplace(t, text, `kind:  "compose"`, `kind:  "cluster"`)
			if !composeBlock.MatchString(text) {
				t.Fatal("hosts.cue has no compose block to replace")
			}
			text = composeBlock.ReplaceAllString(text, "\n\tcluster: {expose: \"loadbalancer\", project_dir: \"/srv/mana\"}\n")
		case "services_ai.cue":
			text = addImage(t, text, "mana-llm")
		case "services_apps.cue":
			text = addImage(t, addImage(t, text, "llm-playground"), "whopixels")
		}
		if err := os.WriteFile(filepath.Join(root, schema.SourceDir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// addImage names the image of a service whose compose block only builds.
func addImage(t *testing.T, text, service string) string {
	t.Helper()
	start := strings.Index(text, "services: "+service+": {")
	if start < 0 {
		start = strings.Index(text, `services: "`+service+`": {`)
	}
	if start < 0 {
		t.Fatalf("no service %s", service)
	}
	at := strings.Index(text[start:], "compose: {") + start + len("compose: {")
	return text[:at] + "\n\t\timage: \"" + service + ":local\"" + text[at:]
}

func mustReplace(t *testing.T, text, old, new string) string {
	t.Helper()
	if !strings.Contains(text, old) {
		t.Fatalf("%q not found", old)
	}
	return strings.Replace(text, old, new, 1)
}
