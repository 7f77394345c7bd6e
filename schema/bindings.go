package schema

import "net/netip"

// A binding is where a port is published on its host: one address, or
// every address. Docker publishes a port without a host IP, or with
// 0.0.0.0 or ::, on every address of the host, so such a binding
// overlaps a binding of the same port on any single address; two
// single addresses overlap only when they are the same address. An
// address compose substitutes from a variable (${TAILSCALE_IP}) is
// compared as written: the same variable is the same address.
type binding struct {
	all  bool
	addr string
}

// bindingsOf are the bindings of a port: one per host IP, or one on
// every address when it names none.
func bindingsOf(hostIPs []string) []binding {
	if len(hostIPs) == 0 {
		return []binding{{all: true}}
	}
	out := make([]binding, 0, len(hostIPs))
	for _, ip := range hostIPs {
		out = append(out, bindingOf(ip))
	}
	return out
}

func bindingOf(ip string) binding {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return binding{addr: ip}
	}
	if a.IsUnspecified() {
		return binding{all: true}
	}
	return binding{addr: a.Unmap().String()}
}

// overlaps reports whether two bindings of one port take the same socket.
func (b binding) overlaps(o binding) bool {
	return b.all || o.all || b.addr == o.addr
}

// describe names the addresses of a port for messages: "" for every
// address, else " (address 127.0.0.1)".
func (b binding) describe() string {
	if b.all {
		return ""
	}
	return " (address " + b.addr + ")"
}

// AddressesOverlap reports whether one port published on the host IPs
// a and on the host IPs b (none meaning every address) would take the
// same socket, as docker sees it.
func AddressesOverlap(a, b []string) bool {
	for _, x := range bindingsOf(a) {
		for _, y := range bindingsOf(b) {
			if x.overlaps(y) {
				return true
			}
		}
	}
	return false
}
