package kubernetes

import (
	"fmt"
	"path"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"portschema/schema"
)

// Compose volumes carry over by kind:
//   - a named volume keeps data: it becomes a volume claim template, and
//     the service a StatefulSet that keeps the claim across restarts;
//   - a bind mount of a host path becomes a hostPath volume of the same
//     path; one of a path in the project (./conf), the project's
//     checkout on the node (cluster.project_dir) joined with it;
//   - tmpfs and anonymous volumes become emptyDir volumes, in memory
//     for tmpfs.

// mount is one volume of a service as compose describes it.
type mount struct {
	kind     string // "volume", "bind", "tmpfs" or "anonymous"
	source   string
	target   string
	readOnly bool
	// size is tmpfs' size in bytes, if set.
	size int64
}

func (t *translator) volumeList(at string, v any) {
	list, ok := v.([]any)
	if !ok {
		t.errorf(at, "%s: volumes must be a list", t.s.Name)
		return
	}
	for i, item := range list {
		itemAt := fmt.Sprintf("%s[%d]", at, i)
		var m mount
		var err error
		switch x := item.(type) {
		case string:
			m, err = shortVolume(x)
		case map[string]any:
			m, err = longVolume(x)
		default:
			err = fmt.Errorf("must be a string or a mapping")
		}
		if err != nil {
			t.errorf(itemAt, "%s: volume %v", t.s.Name, err)
			continue
		}
		t.addMount(itemAt, m, fmt.Sprintf("%s-%d", m.kind, i))
	}
}

// shortVolume reads SOURCE:TARGET[:MODE] or TARGET.
func shortVolume(s string) (mount, error) {
	text, err := literalText(s)
	if err != nil {
		return mount{}, err
	}
	parts := strings.Split(text, ":")
	var m mount
	switch len(parts) {
	case 1:
		m = mount{kind: "anonymous", target: parts[0]}
	case 2, 3:
		m = mount{source: parts[0], target: parts[1], kind: sourceKind(parts[0])}
		if len(parts) == 3 {
			if m.readOnly, err = volumeMode(parts[2]); err != nil {
				return m, err
			}
		}
	default:
		return m, fmt.Errorf("%q is not SOURCE:TARGET[:MODE]", text)
	}
	return m, nil
}

// sourceKind tells a bind mount's path from a named volume's name, as
// compose does.
func sourceKind(source string) string {
	if strings.HasPrefix(source, "/") || strings.HasPrefix(source, ".") || strings.HasPrefix(source, "~") {
		return "bind"
	}
	return "volume"
}

// volumeMode reads a short volume's options; only ro changes anything
// in a cluster, the rest are docker's hints.
func volumeMode(mode string) (readOnly bool, err error) {
	for _, opt := range strings.Split(mode, ",") {
		switch opt {
		case "ro":
			readOnly = true
		case "rw", "z", "Z", "nocopy", "cached", "delegated", "consistent":
		default:
			return false, fmt.Errorf("option %q has no equivalent in a cluster", opt)
		}
	}
	return readOnly, nil
}

func longVolume(v map[string]any) (mount, error) {
	var m mount
	var err error
	str := func(key string) string {
		s, ok := v[key].(string)
		if ok && err == nil {
			s, err = literalText(s)
		}
		return s
	}
	m.kind, m.source, m.target = str("type"), str("source"), str("target")
	m.readOnly, _ = v["read_only"].(bool)
	if err != nil {
		return m, err
	}
	switch m.kind {
	case "bind", "volume":
		if m.source == "" && m.kind == "volume" {
			m.kind = "anonymous"
		}
	case "tmpfs":
		if opts, ok := v["tmpfs"].(map[string]any); ok {
			if size, ok := opts["size"].(float64); ok {
				m.size = int64(size)
			}
		}
	default:
		return m, fmt.Errorf("of type %q has no equivalent in a cluster (bind, volume and tmpfs do)", m.kind)
	}
	return m, nil
}

// addMount adds the pod volume and the container's mount of m; name
// is the volume's unless it is a named volume's claim.
func (t *translator) addMount(at string, m mount, name string) {
	if !path.IsAbs(m.target) {
		t.errorf(at, "%s: volume target %q must be an absolute path", t.s.Name, m.target)
		return
	}
	vol := corev1.Volume{}
	switch m.kind {
	case "volume":
		name, ok := t.claim(at, m.source)
		if !ok {
			return
		}
		vol.Name = name
	case "bind":
		host, ok := t.hostPath(at, m.source)
		if !ok {
			return
		}
		vol = corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: host}}}
	case "tmpfs":
		vol = memoryVolume(name, m.size)
	case "anonymous":
		vol = corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}
	}
	t.addVolume(at, vol, corev1.VolumeMount{Name: vol.Name, MountPath: path.Clean(m.target), ReadOnly: m.readOnly})
}

// addVolume adds a pod volume (none for a claim template's) and its
// mount, refusing a second volume of one name or a second mount at one
// path, which the API rejects.
func (t *translator) addVolume(at string, vol corev1.Volume, vm corev1.VolumeMount) {
	pos := t.s.At(at)
	if other, dup := t.volumes[vol.Name]; dup {
		t.g.errorf(pos, []schema.Pos{other}, "%s: two volumes of the pod would be named %s", t.s.Name, vol.Name)
		return
	}
	if other, dup := t.mounts[vm.MountPath]; dup {
		t.g.errorf(pos, []schema.Pos{other}, "%s: two volumes are mounted at %s", t.s.Name, vm.MountPath)
		return
	}
	t.volumes[vol.Name], t.mounts[vm.MountPath] = pos, pos
	if vol.VolumeSource != (corev1.VolumeSource{}) {
		t.pod.spec.Volumes = append(t.pod.spec.Volumes, vol)
	}
	t.pod.container.VolumeMounts = append(t.pod.container.VolumeMounts, vm)
}

// claim makes a named volume a claim template of the service and
// returns its name: the volume's name as a DNS label (redis_data is
// redis-data). A claim template belongs to one StatefulSet, so a volume
// two services of a cluster share cannot carry over.
func (t *translator) claim(at, volume string) (string, bool) {
	name := strings.NewReplacer("_", "-", ".", "-").Replace(strings.ToLower(volume))
	if !isDNS1123Label(name) {
		t.errorf(at, "%s: volume %s cannot name a volume claim: as %s it is not a DNS label (lower-case letters, digits and '-', at most 63)", t.s.Name, volume, name)
		return "", false
	}
	if other, shared := t.g.claimOwner(volume, t.s); shared {
		t.g.errorf(t.s.At(at), []schema.Pos{other.At("compose.volumes")}, "%s: volume %s is also %s's; in a cluster a named volume is one StatefulSet's claim, so two services cannot share it", t.s.Name, volume, other.Name)
		return "", false
	}
	size, err := resource.ParseQuantity(t.g.cluster.VolumeSize)
	if err != nil {
		t.g.errorf(t.g.host.At("cluster.volume_size"), nil, "cluster %s: volume_size %q is not a quantity", t.g.host.Name, t.g.cluster.VolumeSize)
		return "", false
	}
	pvc := corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: size}},
		},
	}
	if class := t.g.cluster.StorageClass; class != "" {
		pvc.Spec.StorageClassName = &class
	}
	t.pod.claims = append(t.pod.claims, pvc)
	return name, true
}

// hostPath is where a bind mount's source is on the node.
func (t *translator) hostPath(at, source string) (string, bool) {
	switch {
	case strings.HasPrefix(source, "/"):
		return path.Clean(source), true
	case strings.HasPrefix(source, "~"):
		t.errorf(at, "%s: volume source %s is in a home directory, which a cluster's nodes do not share; write the absolute path", t.s.Name, source)
		return "", false
	case t.g.cluster.ProjectDir == "":
		t.errorf(at, "%s: volume source %s is a path in the project; set cluster.project_dir on host %s to where the project is checked out on its nodes", t.s.Name, source, t.g.host.Name)
		return "", false
	}
	return path.Join(t.g.cluster.ProjectDir, source), true
}

func memoryVolume(name string, size int64) corev1.Volume {
	dir := &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory}
	if size > 0 {
		dir.SizeLimit = resource.NewQuantity(size, resource.BinarySI)
	}
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{EmptyDir: dir}}
}

// tmpfs is a path or a list of paths mounted in memory.
func (t *translator) tmpfs(at string, v any) {
	paths, ok := stringList(v, false)
	if !ok {
		t.errorf(at, "%s: tmpfs must be a path or a list of paths", t.s.Name)
		return
	}
	for i, p := range paths {
		target, _, _ := strings.Cut(p, ":") // options such as size=... follow
		itemAt := at
		if _, isList := v.([]any); isList {
			itemAt = fmt.Sprintf("%s[%d]", at, i)
		}
		t.addMount(itemAt, mount{kind: "tmpfs", target: target}, fmt.Sprintf("tmp-%d", i))
	}
}

// shm is /dev/shm of a given size, in memory.
func (t *translator) shm(at string, v any) {
	q := t.memory(at, v)
	if q == nil {
		return
	}
	t.addVolume(at, memoryVolume("shm", q.Value()), corev1.VolumeMount{Name: "shm", MountPath: "/dev/shm"})
}
