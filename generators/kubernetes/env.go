package kubernetes

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	corev1 "k8s.io/api/core/v1"

	"portschema/schema"
)

// envPlan is a service's environment in a cluster. Plain values go to
// the service's ConfigMap: the port variable, the env values, and the
// URL of every need that carries no password. Secrets are references to
// keys of the namespace's Secret (SecretName), never values. A URL with
// a password is an env value that Kubernetes expands: $(VAR) of the
// variable holding the password, which comes before it.
type envPlan struct {
	g *clusterGen
	s *schema.Service
	// plain is the ConfigMap's data; plainAt where each entry comes from.
	plain   map[string]string
	plainAt map[string]schema.Pos
	// secretVars are the variables read from the Secret, in order;
	// byKey maps a Secret key to the variable holding it.
	secretVars []corev1.EnvVar
	byKey      map[string]string
	// expanded are the variables that read secretVars, after them.
	expanded []corev1.EnvVar
}

// SecretName is the Secret each namespace of a cluster holds the
// platform's secrets in; the cluster's secrets templates list its keys.
func SecretName(p *schema.Platform) string { return p.Name + "-secrets" }

// newEnvPlan gathers a service's environment.
func (g *clusterGen) newEnvPlan(s *schema.Service) *envPlan {
	e := &envPlan{g: g, s: s, plain: map[string]string{}, plainAt: map[string]schema.Pos{}, byKey: map[string]string{}}
	if s.PortEnv != "" {
		e.setPlain(s.PortEnv, strconv.Itoa(s.ContainerPort), s.At("port_env"))
	}
	for _, name := range slices.Sorted(maps.Keys(s.Env)) {
		e.setPlain(name, s.Env[name].Value, s.At("env."+name))
	}
	for _, sec := range s.Secrets {
		if _, held := e.byKey[sec.From]; !held {
			e.byKey[sec.From] = sec.Env
		}
		e.secretVars = append(e.secretVars, secretRef(g.p, sec.Env, sec.From))
		g.useSecret(g.p.Namespace(s), sec.From, s.Name)
	}
	home := g.p.HomeVantage(s)
	for i, n := range s.Needs {
		if n.NoURL {
			continue
		}
		at := s.At(fmt.Sprintf("needs[%d]", i))
		u, err := g.p.NeedSecretURL(home, n)
		if err != nil {
			// Load reports unreachable needs; this only fires for a
			// model built by hand.
			g.errorf(at, nil, "%s: cannot reach %s from the %s: %v", s.Name, n.Service, home, err)
			continue
		}
		if u.Secret == "" {
			e.setPlain(n.EnvName(), u.String(), at)
			continue
		}
		name, ok := e.secretVar(u.Secret, at)
		if !ok {
			continue
		}
		value := escapeExpansion(u.Head) + "$(" + name + ")" + escapeExpansion(u.Tail)
		e.expanded = append(e.expanded, corev1.EnvVar{Name: n.EnvName(), Value: value})
	}
	return e
}

func (e *envPlan) setPlain(name, value string, at schema.Pos) {
	e.plain[name] = value
	e.plainAt[name] = at
}

// secretVar is the variable that holds Secret key `key` in the
// container: the service's secret of that key, else a variable of the
// key's own name, added. A plain variable of that name would hide the
// Secret's value: that is reported at `at`, and ok is false.
func (e *envPlan) secretVar(key string, at schema.Pos) (name string, ok bool) {
	if name, ok := e.byKey[key]; ok {
		return name, true
	}
	if other, ok := e.plainAt[key]; ok {
		e.g.errorf(at, []schema.Pos{other}, "%s: reads host secret %s, which needs variable %s in the container, and %s is also a plain value", e.s.Name, key, key, key)
		return "", false
	}
	e.byKey[key] = key
	e.secretVars = append(e.secretVars, secretRef(e.g.p, key, key))
	e.g.useSecret(e.g.p.Namespace(e.s), key, e.s.Name)
	return key, true
}

func secretRef(p *schema.Platform, name, key string) corev1.EnvVar {
	return corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: SecretName(p)}, Key: key}}}
}

// vars are the container's env entries: the Secret's first, so that
// the URLs after them can expand them.
func (e *envPlan) vars() []corev1.EnvVar {
	return append(append([]corev1.EnvVar(nil), e.secretVars...), e.expanded...)
}
