// Package kubernetes writes the manifests of every cluster host
// (kind: "cluster"): one file per service, the namespaces, the tunnel
// and Prometheus' access where they run in the cluster, a secrets
// template per namespace, and a kustomization.yaml, so that
// `kubectl apply -k out/k8s/<cluster>` applies them all.
//
// A service on a cluster keeps its compose block: the block is
// translated (see translate.go), so moving a service between a compose
// host and a cluster is a change of its host. Each service becomes:
//
//   - a Deployment (recreated on change, as compose recreates a
//     container, so that two copies never share a bind-mounted data
//     directory); a StatefulSet with a volume claim template per named
//     volume where it keeps data in one; a Job where compose would run it
//     once (restart "no", compose's default, or "on-failure");
//   - a ClusterIP Service named like the service, with every port at its
//     container port, which is how other services reach it inside the
//     cluster, as inside a compose network;
//   - a NodePort (or LoadBalancer, cluster.expose) Service
//     "<service>-published" with its published ports, each at the
//     service's port, which is how other machines reach it at the
//     cluster's address, as at a compose host's;
//   - a ConfigMap "<service>-env" with its plain environment; secrets
//     are references to the namespace's Secret (SecretName), never
//     values.
//
// Services that are not deployed are kept at zero replicas (a
// suspended Job), reviewable and one line from running.
//
// Every object is a typed k8s.io/api value, marshalled with
// sigs.k8s.io/yaml; names, ports and labels are checked against the
// API's rules here, before anything is written, and reported at the
// source's positions (see check.go).
package kubernetes

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"portschema/generators/cloudflared"
	"portschema/generators/output"
	"portschema/generators/prepared"
	"portschema/schema"
)

// DefaultDir is the directory of the clusters' manifests.
const DefaultDir = "out/k8s"

// OutputDir is where a cluster's manifests go: cluster.output, or
// out/k8s/<host>.
func OutputDir(h *schema.Host) string {
	if h.Cluster != nil && h.Cluster.Output != "" {
		return h.Cluster.Output
	}
	return DefaultDir + "/" + h.Name
}

// clusters are the platform's cluster hosts, in name order.
func clusters(p *schema.Platform) []*schema.Host {
	var out []*schema.Host
	for _, h := range p.Hosts {
		if h.IsCluster() && h.Cluster != nil {
			out = append(out, h)
		}
	}
	return out
}

// Plan is the clusters' manifests of one model, built once per run:
// every cluster's documents, with the problems found on the way, which
// both the rules (Diagnostics) and the files (Files) need.
type Plan struct {
	clusters []clusterDocuments
	diags    schema.Diagnostics
	// err is why the tunnels' configuration could not be had, which
	// only the files need.
	err error
}

type clusterDocuments struct {
	host *schema.Host
	docs []document
}

// Prepare builds every cluster's objects: the API's rules on names,
// ports and labels are checked (see check.go), and every compose key
// that cannot be carried into a cluster is found on the way. It reads
// no file.
func Prepare(p *schema.Platform, _ output.Read) (*Plan, error) {
	w := &Plan{}
	var tunnels []output.File // every host's tunnel configuration, built once
	for _, h := range clusters(p) {
		var config []byte
		if h.Tunnel != nil && w.err == nil {
			if tunnels == nil {
				tunnels, w.err = prepared.Generate(cloudflared.Prepare, p)
			}
			if w.err == nil {
				config, w.err = tunnelConfig(tunnels, h)
			}
		}
		g := newClusterGen(p, h, config)
		g.check(h.Services)
		docs := g.documents(h.Services)
		w.diags = append(w.diags, g.diags...)
		w.clusters = append(w.clusters, clusterDocuments{host: h, docs: docs})
	}
	w.diags = w.diags.Sort()
	return w, nil
}

// Diagnostics are the problems the clusters' objects meet, at their
// positions in the source.
func (w *Plan) Diagnostics() schema.Diagnostics { return w.diags }

// Files are the manifests of every cluster host, in host name order,
// for a source whose Diagnostics hold no error.
func (w *Plan) Files() ([]output.File, error) {
	if w.err != nil {
		return nil, w.err
	}
	var files []output.File
	for _, c := range w.clusters {
		fs, err := render(c.host, c.docs)
		if err != nil {
			return nil, fmt.Errorf("kubernetes: host %s: %w", c.host.Name, err)
		}
		files = append(files, fs...)
	}
	return files, nil
}

// documents are the cluster's files: one per service, the cluster's
// own, and the secrets templates, which list what the others read.
func (g *clusterGen) documents(services []*schema.Service) []document {
	var docs []document
	for _, s := range services {
		docs = append(docs, g.serviceDocument(s))
	}
	docs = append(docs, g.clusterDocuments()...)
	return append(docs, g.secretTemplates()...)
}

// render marshals the documents side by side, as that is most of the
// work on a large cluster, and adds the kustomization that lists them.
func render(h *schema.Host, docs []document) ([]output.File, error) {
	files := make([]output.File, len(docs)+1)
	errs := make([]error, len(docs))
	var wg sync.WaitGroup
	work := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				files[i].Path = OutputDir(h) + "/" + docs[i].path
				files[i].Data, errs[i] = docs[i].render()
			}
		})
	}
	for i := range docs {
		work <- i
	}
	close(work)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	kust, err := kustomization(docs)
	if err != nil {
		return nil, err
	}
	files[len(docs)] = output.File{Path: OutputDir(h) + "/" + KustomizationFile, Data: kust}
	return files, nil
}
