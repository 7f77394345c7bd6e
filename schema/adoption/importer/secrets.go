package importer

import (
	"fmt"
	"strings"

	"portschema/schema"
	"portschema/schema/adoption/handwritten"
)

// stripSecrets takes every literal secret out of what the inputs pass
// through, so the source never holds one (the environment has its own
// reading, see readEnvironment). Compose reads ${NAME} from the host's
// environment, so in a service's or a host's compose keys the secret
// becomes a reference to a variable named after its key, which the
// host's secrets template then lists; Prometheus and cloudflared read no
// environment, so there the field is removed and the comment says to
// set it on the host. Each is reported, never with its value.
func (b *builder) stripSecrets() {
	b.stripDescriptions()
	for _, s := range b.svcs {
		if s.Compose == nil {
			continue
		}
		st := &stripper{prefix: s.Name, interpolated: true}
		for k, v := range s.Compose {
			s.Compose[k] = st.value(v, "compose."+k)
		}
		b.reportStripped(s.Notes, s.pos, s.Name, st.removed)
	}
	for _, h := range b.src.Platform.Hosts {
		notes := b.hostNotes(h)
		at := handwritten.Pos{}
		if h.Compose != nil {
			for _, block := range []struct {
				key string
				m   *map[string]any
			}{{"volumes", &h.Compose.Volumes}, {"networks", &h.Compose.Networks}, {"secrets", &h.Compose.Secrets}, {"configs", &h.Compose.Configs}} {
				if *block.m == nil {
					continue
				}
				st := &stripper{interpolated: true}
				*block.m, _ = st.value(*block.m, "compose."+block.key).(map[string]any)
				b.reportStripped(notes, at, "host "+h.Name, st.removed)
			}
		}
		if t := h.Tunnel; t != nil {
			if t.OriginRequest != nil {
				st := &stripper{}
				t.OriginRequest, _ = st.value(t.OriginRequest, "tunnel.origin_request").(map[string]any)
				b.reportStripped(notes, at, "host "+h.Name, st.removed)
			}
			for i := range t.Rules {
				if t.Rules[i].OriginRequest != nil {
					st := &stripper{}
					t.Rules[i].OriginRequest, _ = st.value(t.Rules[i].OriginRequest, fmt.Sprintf("tunnel.rules[%d].origin_request", i)).(map[string]any)
					b.reportStripped(notes, at, "host "+h.Name, st.removed)
				}
			}
		}
	}
	if pr := b.src.Platform.Prometheus; pr != nil {
		notes := b.src.notes("prometheus")
		var at handwritten.Pos
		if b.in.Prometheus != nil {
			at.File = b.in.Prometheus.File.Path
		}
		for _, block := range []struct {
			key string
			m   *map[string]any
		}{{"global", &pr.Global}, {"alerting", &pr.Alerting}} {
			if *block.m != nil {
				st := &stripper{}
				*block.m, _ = st.value(*block.m, block.key).(map[string]any)
				b.reportStripped(notes, at, "prometheus", st.removed)
			}
		}
		for i := range pr.Jobs {
			st := &stripper{}
			pr.Jobs[i], _ = st.value(pr.Jobs[i], fmt.Sprintf("jobs[%d]", i)).(map[string]any)
			b.reportStripped(notes, at, "prometheus", st.removed)
		}
	}
}

// reportStripped comments and reports each secret taken out.
func (b *builder) reportStripped(notes Notes, at handwritten.Pos, who string, removed []removedSecret) {
	for _, r := range removed {
		field := strings.TrimPrefix(r.path, "compose.")
		if r.variable != "" {
			notes.Add("", fmt.Sprintf("%s held a literal secret (%s); it reads ${%s} now: set %s on the host", field, r.why, r.variable, r.variable))
			b.finding("secret-value", at, "%s: %s held a literal secret; it is not copied and reads ${%s} from the host's environment", who, r.path, r.variable)
			continue
		}
		notes.Add("", fmt.Sprintf("%s held a literal secret (%s) and was removed: this file reads no environment, so configure it on the host (for Prometheus, a *_file setting)", field, r.why))
		b.finding("secret-value", at, "%s: %s held a literal secret; it is not copied (configure it on the host)", who, r.path)
	}
}

// stripDescriptions takes secrets out of the descriptions the port
// document gave the services: the text stays, the secret does not.
func (b *builder) stripDescriptions() {
	for _, s := range b.svcs {
		for range 16 {
			sec, ok := schema.SecretIn("", s.Description)
			if !ok {
				break
			}
			next := strings.ReplaceAll(s.Description, sec.Text, "****")
			if next == s.Description {
				next = "(removed: it held a secret)"
			}
			s.Description = next
			s.Notes.Add("description", "the description held a secret ("+sec.Why+"); it was removed")
			b.finding("secret-value", s.pos, "%s: its description held a secret; it is not copied", s.Name)
		}
	}
}
