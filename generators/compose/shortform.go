package compose

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
)

// People write and review ports in the short syntax, so generated ports
// use it, but only where compose-go parses the short form back into
// exactly the port meant: anything the short form cannot say (a port's
// name, its mode) keeps the long form.

// shortPort is a port in the short syntax, [HOST_IP:][PUBLISHED:]TARGET
// with /PROTOCOL unless tcp, if compose-go reads it back as p exactly.
func shortPort(p types.ServicePortConfig) (string, bool) {
	if p.Name != "" || p.AppProtocol != "" || p.Mode != "ingress" || len(p.Extensions) > 0 {
		return "", false
	}
	spec := strconv.FormatUint(uint64(p.Target), 10)
	if p.Published != "" || p.HostIP != "" {
		spec = p.Published + ":" + spec
	}
	if p.HostIP != "" {
		ip := p.HostIP
		if strings.Contains(ip, ":") {
			ip = "[" + ip + "]"
		}
		spec = ip + ":" + spec
	}
	if p.Protocol != "tcp" {
		spec += "/" + p.Protocol
	}
	parsed, err := types.ParsePortConfig(spec)
	if err != nil || len(parsed) != 1 || !reflect.DeepEqual(parsed[0], p) {
		return "", false
	}
	return spec, true
}
