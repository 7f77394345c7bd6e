package kubernetes

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"portschema/schema"
)

// errReported stops a translation whose problem is already reported.
var errReported = errors.New("reported")

// pod is what a service's compose block becomes: its one container, the
// settings of its pod, the claims of its named volumes, and how it is
// run (restart policy, replicas).
type pod struct {
	container corev1.Container
	spec      corev1.PodSpec
	claims    []corev1.PersistentVolumeClaim
	// annotations are the compose labels, which hold any text.
	annotations map[string]string
	// restart is compose's restart policy ("no" when absent, as in
	// compose); retries is on-failure's maximum, if any.
	restart string
	retries *int32
	// replicas is deploy.replicas, or 1.
	replicas int32
	// restartPos is where the restart policy is written.
	restartPos schema.Pos
	built      bool
}

// Compose restart policies.
const (
	restartNo            = "no"
	restartAlways        = "always"
	restartOnFailure     = "on-failure"
	restartUnlessStopped = "unless-stopped"
)

// translator turns one service's compose block into a pod, reporting
// every key it cannot carry at the key's position.
type translator struct {
	g   *clusterGen
	s   *schema.Service
	pod *pod
	env *envPlan
	// volumes names each pod volume by the source position that made
	// it, and mounts each mount path, so that duplicates are reported.
	volumes map[string]schema.Pos
	mounts  map[string]schema.Pos
}

// translatePod reads the compose block of s.
func (g *clusterGen) translatePod(s *schema.Service, env *envPlan) *pod {
	t := &translator{g: g, s: s, env: env, pod: &pod{restart: restartNo, replicas: 1},
		volumes: map[string]schema.Pos{}, mounts: map[string]schema.Pos{}}
	t.pod.container.Name = s.Name
	for _, key := range slices.Sorted(maps.Keys(s.Compose)) {
		t.key(key, s.Compose[key])
	}
	if t.pod.container.Image == "" {
		if t.pod.built {
			t.errorf("compose.build", "%s: a cluster pulls images and this compose block only builds one; set compose.image to the name it is pushed under", s.Name)
		} else {
			t.errorf("compose", "%s: a cluster service needs an image (compose.image)", s.Name)
		}
	}
	return t.pod
}

// key translates one key of the compose block. Keys that mean nothing
// in a cluster are dropped on purpose, each for the reason given; any
// other key is an error rather than silently lost.
func (t *translator) key(key string, v any) {
	path := "compose." + key
	c := &t.pod.container
	switch key {
	case "image":
		c.Image = t.literal(path, v)
	case "build":
		// The image is built and pushed outside the cluster; image:
		// names it.
		t.pod.built = true
	case "pull_policy":
		t.pullPolicy(path, v)
	case "command":
		c.Args = t.command(path, v)
	case "entrypoint":
		c.Command = t.command(path, v)
	case "working_dir":
		c.WorkingDir = t.literal(path, v)
	case "user":
		t.user(path, v)
	case "healthcheck":
		c.ReadinessProbe = t.healthcheck(path, v)
	case "mem_limit", "mem_reservation", "cpus", "deploy":
		t.resources(key, path, v)
	case "restart":
		t.restart(path, v)
	case "volumes":
		t.volumeList(path, v)
	case "tmpfs":
		t.tmpfs(path, v)
	case "shm_size":
		t.shm(path, v)
	case "privileged", "cap_add", "cap_drop", "read_only":
		t.security(key, path, v)
	case "init":
		// A shared process namespace makes the pod's pause process PID
		// 1, which reaps zombies as docker's init does.
		if b, ok := t.boolean(path, v); ok && b {
			t.pod.spec.ShareProcessNamespace = new(true)
		}
	case "network_mode":
		t.networkMode(path, v)
	case "dns", "dns_search", "dns_opt":
		t.dns(key, path, v)
	case "extra_hosts":
		t.extraHosts(path, v)
	case "hostname":
		t.pod.spec.Hostname = t.literal(path, v)
	case "stop_grace_period":
		if d, ok := t.duration(path, v); ok {
			t.pod.spec.TerminationGracePeriodSeconds = new(int64(d))
		}
	case "tty":
		c.TTY, _ = t.boolean(path, v)
	case "stdin_open":
		c.Stdin, _ = t.boolean(path, v)
	case "labels":
		t.labels(path, v)
	case "platform":
		t.platform(path, v)
	case "expose":
		// Every container port is reachable inside the cluster's
		// network, as exposed ports are inside a compose network.
	case "logging":
		// Logs are the node's business in a cluster: its container
		// runtime keeps them and a log shipper reads them there.
	case "networks":
		t.networks(path, v)
	default:
		t.errorf(path, "%s: compose key %s has no translation to a Kubernetes cluster; remove it or keep the service on a compose host", t.s.Name, key)
	}
}

func (t *translator) errorf(path, format string, args ...any) {
	t.g.errorf(t.s.At(path), nil, format, args...)
}

// literal is a string value of a field Kubernetes does not expand.
func (t *translator) literal(path string, v any) string {
	s, ok := scalarString(v)
	if !ok {
		t.errorf(path, "%s: %s must be a string", t.s.Name, path)
		return ""
	}
	text, err := literalText(s)
	if err != nil {
		t.errorf(path, "%s: %s %v", t.s.Name, path, err)
	}
	return text
}

// command is a command or entrypoint: a list of words, or a string
// split as compose splits it (shell words). References to the host's
// environment become $(VAR) of variables the container reads from the
// namespace's Secret.
func (t *translator) command(path string, v any) []string {
	words, ok := stringList(v, true)
	if !ok {
		t.errorf(path, "%s: %s must be a string or a list of strings", t.s.Name, path)
		return nil
	}
	out := make([]string, 0, len(words))
	for i, w := range words {
		at := path
		if _, isList := v.([]any); isList {
			at = fmt.Sprintf("%s[%d]", path, i)
		}
		text, err := expandedText(w, func(ref string) (string, error) {
			if name, ok := t.env.secretVar(ref, t.s.At(at)); ok {
				return name, nil
			}
			return "", errReported
		})
		if err == errReported {
			continue
		}
		if err != nil {
			t.errorf(at, "%s: %s: %v", t.s.Name, at, err)
			continue
		}
		out = append(out, text)
	}
	return out
}

func (t *translator) pullPolicy(path string, v any) {
	policy := map[string]corev1.PullPolicy{"always": corev1.PullAlways, "never": corev1.PullNever,
		"missing": corev1.PullIfNotPresent, "if_not_present": corev1.PullIfNotPresent}
	s, _ := v.(string)
	if p, ok := policy[s]; ok {
		t.pod.container.ImagePullPolicy = p
		return
	}
	t.errorf(path, "%s: pull_policy %q has no equivalent in a cluster, which pulls images and never builds them (always, never, missing)", t.s.Name, s)
}

func (t *translator) restart(path string, v any) {
	s, _ := v.(string)
	t.pod.restartPos = t.s.At(path)
	policy, max, hasMax := strings.Cut(s, ":")
	switch {
	case policy == restartOnFailure && hasMax:
		n, err := strconv.ParseInt(max, 10, 32)
		if err != nil || n < 0 {
			t.errorf(path, "%s: restart %q: the maximum of on-failure must be a number", t.s.Name, s)
			return
		}
		t.pod.retries = new(int32(n))
	case hasMax:
		t.errorf(path, "%s: restart %q: only on-failure takes a maximum", t.s.Name, s)
		return
	case policy != restartNo && policy != restartAlways && policy != restartOnFailure && policy != restartUnlessStopped:
		t.errorf(path, "%s: restart %q is none of no, always, on-failure, unless-stopped", t.s.Name, s)
		return
	}
	t.pod.restart = policy
}

func (t *translator) boolean(path string, v any) (bool, bool) {
	b, ok := v.(bool)
	if !ok {
		t.errorf(path, "%s: %s must be true or false", t.s.Name, path)
	}
	return b, ok
}

// scalarString is a string, number or boolean as text.
func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// stringList is a list of strings, or with words a string split into
// shell words, as compose reads a command.
func stringList(v any, words bool) ([]string, bool) {
	switch x := v.(type) {
	case string:
		if !words {
			return []string{x}, true
		}
		out, err := shellWords(x)
		return out, err == nil
	case []any:
		out := make([]string, 0, len(x))
		for _, item := range x {
			s, ok := scalarString(item)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}
