package audit

import "testing"

// queueCompose adds to baseCompose a service that publishes nothing and
// says where it listens (expose).
const queueCompose = baseCompose + `  queue:
    image: rabbitmq
    expose: ["5672"]
`

// TestDocPortNotPublished: a doc port that is a service's container
// port but published on no host port is reported; its nearest cases (the
// host port, a doc that says the port is internal, in the row, in a
// Published column, in the section's title) are not.
func TestDocPortNotPublished(t *testing.T) {
	for name, tc := range map[string]struct {
		doc, want string
	}{
		"container port of a service published elsewhere": {
			doc:  "| Port | Service |\n|---|---|\n| 5000 | web |\n",
			want: "doc-port-not-published d.md:3 c.yml:14 c.yml:15",
		},
		"container port of a service that publishes nothing": {
			doc:  "| Port | Service |\n|---|---|\n| 5672 | queue |\n",
			want: "doc-port-not-published d.md:3 c.yml:18",
		},
		"a list item of a service that publishes nothing": {
			doc:  "# Ports\n\n- queue `5672`\n",
			want: "doc-port-not-published d.md:3 c.yml:18",
		},
		"the host port": {
			doc: "| Port | Service |\n|---|---|\n| 8080 | web |\n| 3002 | credits |\n",
		},
		"the row says it is internal": {
			doc: "| Port | Service | Note |\n|---|---|---|\n| 5672 | queue | internal only |\n",
		},
		"a Published column says no": {
			doc: "| Port | Service | Published |\n|---|---|---|\n| 5672 | queue | no |\n\n## All ports\n\n| Port | Service |\n|---|---|\n| 5672 | queue |\n",
		},
		"the section says the ports are not exposed": {
			doc: "## Queue (not exposed to the host)\n\n| Port | Service |\n|---|---|\n| 5672 | queue |\n",
		},
		"a table of container ports": {
			doc: "## Container ports\n\n| Port | Service |\n|---|---|\n| 5000 | web |\n| 5672 | queue |\n",
		},
		"another port altogether is a contradiction, not this": {
			doc:  "| Port | Service |\n|---|---|\n| 5673 | queue |\n",
			want: "doc-mismatch d.md:3 c.yml:18",
		},
	} {
		t.Run(name, func(t *testing.T) {
			got := brief(auditOf(t, sources{compose: queueCompose, doc: tc.doc}))
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
