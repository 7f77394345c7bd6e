package compose

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"

	"go.yaml.in/yaml/v4"
)

// The short form is chosen only where compose-go's loader reads it back
// as the same typed value as the long form; everything else stays long.
func TestShortPortsAreLossless(t *testing.T) {
	cases := []struct{ long, short string }{
		{"{target: 80, published: '8080'}", `8080:80`},
		{"{target: 53, published: '53', protocol: udp}", `53:53/udp`},
		{"{target: 9000, published: '9000', host_ip: 127.0.0.1}", `127.0.0.1:9000:9000`},
		{"{target: 9000, published: '9001', host_ip: '::1'}", `[::1]:9001:9000`},
		{"{target: 8080}", `8080`},
		{"{target: 8080, protocol: udp}", `8080/udp`},
		// The short syntax has no room for these.
		{"{target: 22, published: '2222', name: ssh}", ""},
		{"{target: 80, published: '80', mode: host}", ""},
		{"{target: 80, published: '80', app_protocol: http}", ""},
	}
	for _, tc := range cases {
		long := loadAsWritten(t, "long.yml", []byte("services: {a: {image: x, ports: ["+tc.long+"]}}")).Services["a"].Ports
		if len(long) != 1 {
			t.Fatalf("%s: %d ports", tc.long, len(long))
		}
		got, ok := shortPort(long[0])
		if !ok {
			got = ""
		}
		if got != tc.short {
			t.Errorf("%s: short form %q, want %q", tc.long, got, tc.short)
			continue
		}
		if got == "" {
			continue
		}
		short := loadAsWritten(t, "short.yml", []byte(`services: {a: {image: x, ports: ["`+got+`"]}}`)).Services["a"].Ports
		if !reflect.DeepEqual(short, long) {
			t.Errorf("%s: %q reads back as %+v, not %+v", tc.long, got, short, long)
		}
	}
}

// Every port of the generated files is short unless the short syntax
// cannot say it, and no depends_on entry spells out the default
// required: true.
func TestGeneratedFilesUseTheShortSyntax(t *testing.T) {
	for name, p := range platforms(t) {
		for path, data := range generate(t, p) {
			project := loadAsWritten(t, path, data)
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			services := mappingValue(doc.Content[0], "services")
			for i := 0; i < len(services.Content); i += 2 {
				svcName, block := services.Content[i].Value, services.Content[i+1]
				svc := project.Services[svcName]
				for j, port := range nodeItems(mappingValue(block, "ports")) {
					if _, short := shortPort(svc.Ports[j]); short != (port.Kind == yaml.ScalarNode) {
						t.Errorf("%s: %s: %s: port %d is long though the short syntax says it, or the reverse", name, path, svcName, j)
					}
				}
				deps := mappingValue(block, "depends_on")
				for _, dep := range mappingValues(deps) {
					if mappingValue(dep, "required") != nil && mappingValue(dep, "required").Value == "true" {
						t.Errorf("%s: %s: %s: depends_on spells out required: true", name, path, svcName)
					}
				}
			}
		}
	}
}

// nodeItems are a sequence node's items, or none.
func nodeItems(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// mappingValues are a mapping node's values, or none.
func mappingValues(n *yaml.Node) []*yaml.Node {
	var out []*yaml.Node
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 1; i < len(n.Content); i += 2 {
		out = append(out, n.Content[i])
	}
	return out
}

// mappingValue is the value of key in a mapping node, or nil.
func mappingValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Where plainPort answers for compose-go, compose-go agrees: on ports
// of every protocol, address and way of writing a number.
func TestPlainPortsReadBack(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pick := func(options ...string) string { return options[r.IntN(len(options))] }
	plain := 0
	for range 20000 {
		p := types.ServicePortConfig{
			Mode:      "ingress",
			Protocol:  pick("tcp", "udp", "sctp", "TCP", ""),
			HostIP:    pick("", "", "127.0.0.1", "0.0.0.0", "10.0.0.1", "::1", "::", "127.000.0.1", "localhost", "1.2.3"),
			Target:    uint32(pick2(r, 0, 1, 80, 65535, 65536, 70000)),
			Published: pick("", "8080", "1", "65535", "65536", "0", "080", "8080-8081", "+80", " 80", "x"),
		}
		if !plainPort(p) {
			continue
		}
		plain++
		spec := strconv.FormatUint(uint64(p.Target), 10)
		spec = p.Published + ":" + spec
		if p.HostIP != "" {
			spec = p.HostIP + ":" + spec
		}
		if p.Protocol != "tcp" {
			spec += "/" + p.Protocol
		}
		parsed, err := types.ParsePortConfig(spec)
		if err != nil || len(parsed) != 1 || !reflect.DeepEqual(parsed[0], p) {
			t.Fatalf("%+v: plainPort says %q reads back, compose-go reads %+v (%v)", p, spec, parsed, err)
		}
	}
	if plain < 300 {
		t.Errorf("only %d plain ports drawn", plain)
	}
}

func pick2(r *rand.Rand, options ...int) int { return options[r.IntN(len(options))] }
