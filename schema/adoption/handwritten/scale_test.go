package handwritten

import (
	"fmt"
	"strings"
	"testing"
)

// TestComposeOfThousandsOfServicesLoads reads a compose file whose
// nodes are far more than compose-go's default cap on node visits
// (100,000), as a platform of thousands of services writes: the cap
// grows with the file, so it loads.
func TestComposeOfThousandsOfServicesLoads(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a large file")
	}
	const n = 3000
	labels := strings.Repeat("k=v, ", 39) + "k=v"
	var b strings.Builder
	b.WriteString("services:\n")
	for i := range n {
		fmt.Fprintf(&b, "  svc%d:\n    image: nginx:1.25\n    ports: [\"%d:80\"]\n    environment:\n      PORT: \"80\"\n      NAME: svc%d\n      MODE: prod\n      LEVEL: info\n    labels: [%s]\n", i, 10000+i, i, labels)
	}
	f, err := ParseCompose("big.yml", []byte(b.String()))
	if err != nil {
		t.Fatalf("a %d-service compose file (%d bytes) does not load: %v", n, b.Len(), err)
	}
	if len(f.Services) != n || f.Services[n-1].Model == nil {
		t.Fatalf("read %d services, want %d with their model", len(f.Services), n)
	}
}
