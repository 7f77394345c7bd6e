package kubernetes

import (
	"math"
	"strconv"

	"github.com/docker/go-units"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// resources carries compose's limits and reservations: mem_limit and
// cpus (or deploy.resources.limits) become the container's limits,
// mem_reservation (or deploy.resources.reservations) its requests.
// Without a reservation Kubernetes requests what the limit allows,
// which reserves the memory a compose host would only cap. deploy's
// replicas carries over too; the rest of deploy is swarm's.
func (t *translator) resources(key, path string, v any) {
	switch key {
	case "mem_limit":
		t.setResource(&t.pod.container.Resources.Limits, corev1.ResourceMemory, t.memory(path, v))
	case "mem_reservation":
		t.setResource(&t.pod.container.Resources.Requests, corev1.ResourceMemory, t.memory(path, v))
	case "cpus":
		t.setResource(&t.pod.container.Resources.Limits, corev1.ResourceCPU, t.cpus(path, v))
	case "deploy":
		t.deploy(path, v)
	}
}

func (t *translator) deploy(path string, v any) {
	d, ok := v.(map[string]any)
	if !ok {
		t.errorf(path, "%s: deploy must be a mapping", t.s.Name)
		return
	}
	for key, val := range d {
		at := path + "." + key
		switch key {
		case "replicas":
			n, ok := val.(float64)
			if !ok || n < 0 || n != math.Trunc(n) || n > math.MaxInt32 {
				t.errorf(at, "%s: deploy.replicas must be a whole number", t.s.Name)
				continue
			}
			t.pod.replicas = int32(n)
		case "resources":
			t.deployResources(at, val)
		default:
			t.errorf(at, "%s: deploy.%s has no translation to a Kubernetes cluster (replicas and resources do)", t.s.Name, key)
		}
	}
}

func (t *translator) deployResources(path string, v any) {
	r, _ := v.(map[string]any)
	for key, val := range r {
		at := path + "." + key
		list := &t.pod.container.Resources.Limits
		switch key {
		case "limits":
		case "reservations":
			list = &t.pod.container.Resources.Requests
		default:
			t.errorf(at, "%s: deploy.resources.%s has no translation to a Kubernetes cluster", t.s.Name, key)
			continue
		}
		m, _ := val.(map[string]any)
		for name, amount := range m {
			switch name {
			case "memory":
				t.setResource(list, corev1.ResourceMemory, t.memory(at+"."+name, amount))
			case "cpus":
				t.setResource(list, corev1.ResourceCPU, t.cpus(at+"."+name, amount))
			default:
				t.errorf(at+"."+name, "%s: deploy.resources.%s.%s has no translation to a Kubernetes cluster (memory and cpus do)", t.s.Name, key, name)
			}
		}
	}
}

func (t *translator) setResource(list *corev1.ResourceList, name corev1.ResourceName, q *resource.Quantity) {
	if q == nil {
		return
	}
	if *list == nil {
		*list = corev1.ResourceList{}
	}
	(*list)[name] = *q
}

// memory reads compose's byte amounts ("192m" is 192 MiB, as docker
// counts) into a binary quantity ("192Mi").
func (t *translator) memory(path string, v any) *resource.Quantity {
	var n int64
	var err error
	switch x := v.(type) {
	case float64:
		n = int64(x)
	case string:
		n, err = strconv.ParseInt(x, 10, 64)
		if err != nil {
			n, err = units.RAMInBytes(x)
		}
	default:
		err = strconv.ErrSyntax
	}
	if err != nil || n <= 0 {
		t.errorf(path, "%s: %s must be an amount of memory such as 512m or 2g", t.s.Name, path)
		return nil
	}
	return resource.NewQuantity(n, resource.BinarySI)
}

// cpus reads a number of CPUs ("0.5") into millicores ("500m").
func (t *translator) cpus(path string, v any) *resource.Quantity {
	var f float64
	var err error
	switch x := v.(type) {
	case float64:
		f = x
	case string:
		f, err = strconv.ParseFloat(x, 64)
	default:
		err = strconv.ErrSyntax
	}
	milli := int64(math.Round(f * 1000))
	if err != nil || milli <= 0 {
		t.errorf(path, "%s: %s must be a positive number of CPUs such as 0.5", t.s.Name, path)
		return nil
	}
	return resource.NewMilliQuantity(milli, resource.DecimalSI)
}
