package schema

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"portschema/schema/memo"
)

// checkSecretValues applies the secret rule (see LooksSecret) to every
// value the source passes through to an output: a service's compose
// keys (labels, command, healthcheck, build args, x-* and the rest), a
// compose host's volumes, networks, secrets and configs, tunnel
// origin_request settings, Prometheus' global, alerting and jobs, and
// metrics labels. A service's env has its own check (checkEnv). The
// message names the field, never the value. Services clean knows are
// not read again; those found clean are noted in it.
func checkSecretValues(c *collector, p *Platform, clean *cleanServices) {
	report := func(pos Pos, who, field, why string) {
		c.errorf(pos, nil, "%s: %s looks like a secret (%s); declare it by name (a service's secrets:) so that its value comes from the host's environment, and write a ${NAME} reference here", who, field, why)
	}
	sc := &secretScan{}
	for _, s := range p.Services {
		if clean.known(s.Name) {
			continue
		}
		before := len(c.diags)
		sc.walk(s.Compose, "compose", func(path, why string) { report(s.At(path), s.Name, path, why) })
		if sec, ok := sc.in("", s.Description); ok {
			c.errorf(s.At("description"), nil, "%s: description holds what looks like a secret (%s); keep secrets out of the source", s.Name, sec.Why)
		}
		if s.Metrics != nil {
			for _, k := range sortedKeys(s.Metrics.Labels) {
				if sec, ok := sc.in(k, s.Metrics.Labels[k]); ok {
					path := "metrics.labels." + k
					report(s.At(path), s.Name, path, sec.Why)
				}
			}
		}
		if len(c.diags) == before {
			clean.found(s.Name)
		}
	}
	for _, h := range p.Hosts {
		who := "host " + h.Name
		at := func(path, why string) { report(h.At(path), who, path, why) }
		if h.Compose != nil {
			for key, block := range map[string]map[string]any{"compose.volumes": h.Compose.Volumes, "compose.networks": h.Compose.Networks, "compose.secrets": h.Compose.Secrets, "compose.configs": h.Compose.Configs} {
				sc.walk(block, key, at)
			}
		}
		if h.Tunnel != nil {
			sc.walk(h.Tunnel.OriginRequest, "tunnel.origin_request", at)
			for i, r := range h.Tunnel.Rules {
				sc.walk(r.OriginRequest, fmt.Sprintf("tunnel.rules[%d].origin_request", i), at)
			}
		}
	}
	if pr := p.Prometheus; pr != nil {
		at := func(path, why string) { report(pr.At(path), "prometheus", path, why) }
		sc.walk(pr.Global, "global", at)
		sc.walk(pr.Alerting, "alerting", at)
		for i, job := range pr.Jobs {
			sc.walk(job, fmt.Sprintf("jobs[%d]", i), at)
		}
	}
}

// Found is a secret found in a value: why it is one, the text that is
// the secret (the whole value or a part: a flag's argument, an
// assignment's value, a token), and the variable name the value
// suggests for it ("" when only its form gave it away).
type Found struct {
	Why, Text, Name string
}

// cleanServices remember, in the memo, the services in whose values the
// secret rule found nothing. The rule reads nothing of a service but
// its own values, and a service's value is named by what it evaluated
// from (see serviceKey): a service of a key found clean before is not
// read again. A root's are one entry, the ids of its services found
// clean, rewritten when they change; only findings are reported, so a
// service with one is read again in every run. One rule uses it, on
// one goroutine.
type cleanServices struct {
	store memo.Store
	entry memo.Key
	keys  map[string]memo.Key // of each service's value
	held  map[[32]byte]bool   // the ids the entry held
	now   []memo.Key          // of the services found clean in this run, or known
}

// openCleanServices reads the entry of the root at absRoot, for the
// services of the value keys given (nil for a source evaluated other
// than in chunks: every service is read).
func openCleanServices(store memo.Store, absRoot string, keys map[string]memo.Key) *cleanServices {
	if !store.On() || keys == nil {
		return nil
	}
	cs := &cleanServices{store: store, keys: keys, held: map[[32]byte]bool{},
		entry: store.NewKey(cleanStep).AddString(absRoot).Key()}
	if data, ok := store.Get(cs.entry); ok {
		for _, id := range memo.SplitIDs(data) {
			cs.held[id] = true
		}
	}
	return cs
}

// cleanStep names the entries of cleanServices.
const cleanStep = "the secret rule finds nothing in the services v1"

// known reports whether the service's value was found clean before.
func (cs *cleanServices) known(name string) bool {
	if cs == nil {
		return false
	}
	k, ok := cs.keys[name]
	if ok && cs.held[k.ID()] {
		cs.now = append(cs.now, k)
		return true
	}
	return false
}

// found notes that the rule found nothing in the service's value.
func (cs *cleanServices) found(name string) {
	if cs == nil {
		return
	}
	if k, ok := cs.keys[name]; ok {
		cs.now = append(cs.now, k)
	}
}

// keep writes the entry when the services found clean are not those it
// held.
func (cs *cleanServices) keep() {
	if cs == nil {
		return
	}
	same := len(cs.now) == len(cs.held)
	for _, k := range cs.now {
		same = same && cs.held[k.ID()]
	}
	if !same {
		slices.SortFunc(cs.now, func(a, b memo.Key) int { x, y := a.ID(), b.ID(); return bytes.Compare(x[:], y[:]) })
		cs.store.Put(cs.entry, memo.JoinIDs(cs.now))
	}
}

// secretScan applies the secret rule to the values of a source,
// remembering its answer for each key and value: the same ones come
// back service after service (restart: unless-stopped, a healthcheck's
// interval), and the rule runs its regexps on each.
type secretScan struct {
	answers map[secretQuery]secretAnswer
}

// secretQuery is a value under a key name (secretIn), or a list item
// after an item that may be a flag (item set: SecretItem).
type secretQuery struct {
	item        bool
	name, value string
}

type secretAnswer struct {
	sec Found
	ok  bool
}

// in is secretIn, remembered.
func (sc *secretScan) in(name, value string) (Found, bool) {
	return sc.answer(secretQuery{name: name, value: value})
}

// item is SecretItem, remembered.
func (sc *secretScan) item(flag, value string) (Found, bool) {
	return sc.answer(secretQuery{item: true, name: flag, value: value})
}

func (sc *secretScan) answer(q secretQuery) (Found, bool) {
	if a, ok := sc.answers[q]; ok {
		return a.sec, a.ok
	}
	var a secretAnswer
	if q.item {
		a.sec, a.ok = SecretItem(q.name, q.value)
	} else {
		a.sec, a.ok = secretIn(q.name, q.value)
	}
	if sc.answers == nil {
		sc.answers = map[secretQuery]secretAnswer{}
	}
	sc.answers[q] = a
	return a.sec, a.ok
}

// walk calls found with the path (as Positions keys are written) of
// every value below v that is a secret, and why. Keys are met in the
// map's order: the diagnostics are sorted.
func (sc *secretScan) walk(v any, path string, found func(path, why string)) {
	switch v := v.(type) {
	case map[string]any:
		// A value's path is written only for a secret found or a block
		// to go into: most values are neither.
		for k, item := range v {
			if s, ok := scalarText(item); ok {
				if sec, ok := sc.in(k, s); ok {
					found(joinElem(path, k), sec.Why)
				}
				continue
			}
			sc.walk(item, joinElem(path, k), found)
		}
	case []any:
		flag := ""
		for i, item := range v {
			s, ok := scalarText(item)
			if !ok {
				sc.walk(item, fmt.Sprintf("%s[%d]", path, i), found)
				flag = ""
				continue
			}
			if sec, ok := sc.item(flag, s); ok {
				found(fmt.Sprintf("%s[%d]", path, i), sec.Why)
			}
			flag = FlagName(s)
		}
	}
}

// scalarText is a leaf value as text; false for maps and lists.
func scalarText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case map[string]any, []any, nil:
		return "", false
	default:
		return fmt.Sprint(v), true
	}
}

// assignmentIn is assignment's submatches in word, nil for none.
func assignmentIn(word string) []string {
	if !strings.Contains(word, "=") {
		return nil
	}
	return assignment().FindStringSubmatch(word)
}

// assignment matches NAME=value and --flag=value inside a string.
var assignment = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^-{0,2}([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$`) })

// secretIn finds the secret in a value under key name, if it holds
// one: the value itself by the name, a part by its form, or by an
// assignment or flag inside it (a command line, a label, a config's
// content).
func secretIn(name, value string) (Found, bool) {
	if name != "" && secretByName(name, value) {
		return Found{Why: "by its name", Text: value, Name: normalName(name)}, true
	}
	if text := secretFormText(value); text != "" {
		return Found{Why: "by its form", Text: text}, true
	}
	flag := ""
	for line := range strings.SplitSeq(value, "\n") {
		for word := range strings.FieldsSeq(line) {
			word = strings.Trim(word, `"'(),;`)
			// Every assignment holds "=": the others need no match.
			if m := assignmentIn(word); m != nil && secretByName(m[1], m[2]) {
				return Found{Why: "by the name " + m[1] + " it is assigned to", Text: m[2], Name: normalName(m[1])}, true
			}
			if flag != "" && secretByName(strings.TrimLeft(flag, "-"), word) {
				return Found{Why: "by the flag " + flag + " before it", Text: word, Name: normalName(strings.TrimLeft(flag, "-"))}, true
			}
			flag = FlagName(word)
		}
		flag = ""
	}
	return Found{}, false
}

// SecretIn finds the secret in a value under key name, if it holds one
// (see secretIn); the importer takes secrets out with it.
func SecretIn(name, value string) (Found, bool) { return secretIn(name, value) }

// SecretItem finds the secret in an item of a list that follows the
// item flag (see FlagName): ["--requirepass", "hunter2"], the flag
// names the next item.
func SecretItem(flag, item string) (Found, bool) {
	if flag != "" && secretByName(strings.TrimLeft(flag, "-"), item) {
		return Found{Why: "by the flag before it", Text: item, Name: normalName(strings.TrimLeft(flag, "-"))}, true
	}
	return secretIn("", item)
}

// FlagName is a word that names the value after it, as written: a
// command-line flag without a value (--requirepass, -password) or a
// label in prose (password:); "" for any other word.
func FlagName(word string) string {
	switch {
	case strings.HasSuffix(word, ":") && len(word) > 1 && !strings.Contains(word, "//"):
		return strings.TrimSuffix(word, ":")
	case !strings.HasPrefix(word, "-") || strings.Contains(word, "=") || strings.Trim(word, "-") == "":
		return ""
	}
	return word
}

// VariableName is a valid variable name for a secret found under key
// (or named name by its flag or assignment), prefixed with prefix:
// VariableName("api", "admin-password") is API_ADMIN_PASSWORD.
func VariableName(prefix, name string) string {
	name = normalName(name)
	p := normalName(prefix)
	if p != "" && !strings.HasPrefix(name, p+"_") {
		name = p + "_" + name
	}
	var b strings.Builder
	for _, r := range name {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "SECRET_" + out
	}
	return out
}
