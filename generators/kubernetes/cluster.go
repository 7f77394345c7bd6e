package kubernetes

import (
	"fmt"

	"portschema/schema"
)

// clusterGen builds the objects of one cluster and gathers every
// problem on the way.
type clusterGen struct {
	p       *schema.Platform
	host    *schema.Host
	cluster *schema.Cluster
	diags   schema.Diagnostics
	// secrets lists, per namespace, each key of the Secret and the
	// services that read it, in the order they were met.
	secrets map[string]*secretKeys
	// claims owns each named volume by the service that mounts it.
	claims map[string]*schema.Service
	// objects places every object by kind, namespace and name, so that
	// two objects of one name are reported, not silently merged.
	objects map[objectKey]schema.Pos
	// namespaces are the namespaces used, in the order met.
	namespaces []string
	// badNamespaces are the invalid namespaces already reported.
	badNamespaces map[string]bool
	// tunnelConfig is the cloudflared configuration of the cluster's
	// tunnel, or nil while checking (see tunnelConfig).
	tunnelConfig []byte
}

type objectKey struct{ kind, namespace, name string }

// secretKeys are the keys of one namespace's Secret, with their readers.
type secretKeys struct {
	order   []string
	readers map[string][]string
	// notes are comment lines for the namespace's template.
	notes []string
}

func newClusterGen(p *schema.Platform, h *schema.Host, tunnelConfig []byte) *clusterGen {
	return &clusterGen{p: p, host: h, cluster: h.Cluster, tunnelConfig: tunnelConfig, secrets: map[string]*secretKeys{},
		claims: map[string]*schema.Service{}, objects: map[objectKey]schema.Pos{}, badNamespaces: map[string]bool{}}
}

func (g *clusterGen) errorf(pos schema.Pos, related []schema.Pos, format string, args ...any) {
	g.diags = append(g.diags, schema.Diagnostic{Severity: schema.Error, Pos: pos, Related: related, Message: fmt.Sprintf(format, args...)})
}

// useSecret records that service reads key of its namespace's Secret.
func (g *clusterGen) useSecret(namespace, key, service string) {
	sk := g.secrets[namespace]
	if sk == nil {
		sk = &secretKeys{readers: map[string][]string{}}
		g.secrets[namespace] = sk
	}
	readers, seen := sk.readers[key]
	if !seen {
		sk.order = append(sk.order, key)
	}
	if len(readers) == 0 || readers[len(readers)-1] != service {
		sk.readers[key] = append(readers, service)
	}
}

// claimOwner makes s the owner of a named volume, or returns the
// service that already is.
func (g *clusterGen) claimOwner(volume string, s *schema.Service) (*schema.Service, bool) {
	if other, ok := g.claims[volume]; ok && other != s {
		return other, true
	}
	g.claims[volume] = s
	return nil, false
}

// register places an object; a second object of the same kind and name
// in a namespace is an error at the second one's source.
func (g *clusterGen) register(kind, namespace, name string, pos schema.Pos) {
	k := objectKey{kind, namespace, name}
	if other, ok := g.objects[k]; ok {
		where := "namespace " + namespace
		if namespace == "" {
			where = "the cluster"
		}
		g.errorf(pos, []schema.Pos{other}, "cluster %s: two objects would be %s %s in %s", g.host.Name, kind, name, where)
		return
	}
	g.objects[k] = pos
	if kind == "Namespace" {
		g.namespaces = append(g.namespaces, name)
	}
}

// useNamespace registers a namespace the first time it is met.
func (g *clusterGen) useNamespace(name string, pos schema.Pos) {
	if _, ok := g.objects[objectKey{"Namespace", "", name}]; !ok {
		g.register("Namespace", "", name, pos)
	}
}

// tunnelNamespace is where the cluster's tunnel runs: the namespace
// rule with "tunnel" for the range and tier, so the one namespace of a
// cluster that has one, and a namespace of its own otherwise.
func (g *clusterGen) tunnelNamespace() string {
	return schema.FillPlaceholders(g.cluster.Namespace, "{platform}", g.p.Name, "{range}", "tunnel", "{tier}", "tunnel")
}
