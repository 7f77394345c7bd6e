package compose

import (
	"net/netip"
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
	if plainPort(p) {
		return spec, true
	}
	parsed, err := types.ParsePortConfig(spec)
	if err != nil || len(parsed) != 1 || !reflect.DeepEqual(parsed[0], p) {
		return "", false
	}
	return spec, true
}

// plainPort reports whether compose-go reads p's short form back as p
// for sure, without asking it: a tcp or udp port, published at a port
// written as compose-go writes it and on no address or an IPv4 one
// written as Go writes it; most ports are. A test holds it to
// compose-go's answer.
func plainPort(p types.ServicePortConfig) bool {
	if p.Protocol != "tcp" && p.Protocol != "udp" || p.Target == 0 || p.Target > 65535 || p.Published == "" {
		return false
	}
	if n, err := strconv.ParseUint(p.Published, 10, 16); err != nil || n == 0 || strconv.FormatUint(n, 10) != p.Published {
		return false
	}
	if p.HostIP == "" {
		return true
	}
	ip, err := netip.ParseAddr(p.HostIP)
	return err == nil && ip.Is4() && ip.String() == p.HostIP
}
