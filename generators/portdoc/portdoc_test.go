package portdoc

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"portschema/generators/gentest"
	"portschema/generators/output"
	"portschema/generators/output/golden"
	"portschema/schema"
)

// generate renders the document of p.
func generate(t testing.TB, p *schema.Platform) []byte {
	t.Helper()
	files, err := Generate(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 {
		t.Fatalf("Generate returned %d files, want 1", len(files))
	}
	if want := p.Outputs.PortDoc; files[0].Path != want {
		t.Errorf("path = %q, want %q", files[0].Path, want)
	}
	return files[0].Data
}

func TestBasic(t *testing.T) {
	p := gentest.Load(t, "testdata/basic")
	src := generate(t, p)
	checkDoc(t, p, src)

	golden.Check(t, filepath.Join("testdata", "basic", "PORT_SCHEMA.md.golden"), src)
}

// TestBasicContent checks facts of the small platform that checkDoc
// cannot derive from the model alone.
func TestBasicContent(t *testing.T) {
	p := gentest.Load(t, "testdata/basic")
	doc := parseMarkdown(t, generate(t, p))
	core := findTable(t, doc, "3000–3009: Core platform services")
	row := findRow(t, core, "Service", "mana-credits")
	if got := row[core.column("Planned")]; got != "→ 3002" {
		t.Errorf("mana-credits Planned = %q, want %q", got, "→ 3002")
	}
	data := findTable(t, doc, "9000–9199: Infrastructure & exporters")
	row = findRow(t, data, "Service", "postgres")
	if got := row[data.column("Planned")]; got != "exception: the well-known port, clients expect it" {
		t.Errorf("postgres Planned = %q", got)
	}
	ai := findTable(t, doc, "3020–3029: AI/ML services")
	row = findRow(t, ai, "Service", "mana-voice-bot")
	if got := row[ai.column("Planned")]; got != "not deployed" {
		t.Errorf("mana-voice-bot Planned = %q", got)
	}
	gpu := findTable(t, doc, "gpu: Windows GPU server")
	findRow(t, gpu, "Port", "11435/udp")
	mac := findTable(t, doc, "macmini: Mac Mini")
	row = findRow(t, mac, "Service", "redis")
	if got := row[mac.column("Published")]; got != "no" {
		t.Errorf("redis Published = %q, want no", got)
	}
	row = findRow(t, mac, "Service", "mana-web:api")
	if got := row[mac.column("Container port")]; got != "8080" {
		t.Errorf("mana-web:api Container port = %q, want 8080", got)
	}
	if !containsLine(doc.Paragraphs, "Free: 8 of 10: 3000, 3003–3009.") {
		t.Errorf("core's free ports are missing or wrong: %q", doc.Paragraphs)
	}
	if !containsLine(doc.Paragraphs, "Note: The GPU box runs these as scheduled tasks.") {
		t.Errorf("ai's note is missing: %q", doc.Paragraphs)
	}
	pub := findTable(t, doc, "Public hostnames")
	row = findRow(t, pub, "Service", "ssh://localhost:22")
	if row[pub.column("Hostname")] != "ssh.mana.how" {
		t.Errorf("tunnel rule row = %q", row)
	}
}

// TestMinimal: a platform with nothing optional still gives a valid
// document, with every empty section saying so.
func TestMinimal(t *testing.T) {
	p := gentest.Load(t, "testdata/minimal")
	src := generate(t, p)
	doc := checkDoc(t, p, src)
	for _, want := range []string{
		"Free: none, every port of the range is used or planned.",
		"No service is declared in this range yet.",
		"None: every service with a plan is at its planned slot.",
		"Every declared service is deployed.",
		"No service has a public hostname.",
	} {
		if !containsLine(doc.Paragraphs, want) {
			t.Errorf("missing %q in %q", want, doc.Paragraphs)
		}
	}
	if slices.Contains(doc.Headings, "Principles") {
		t.Error("a platform without principles has no Principles section")
	}
}

// TestHostile proves that text meant to break the document (pipes, line
// breaks, HTML, backticks, Markdown, unicode) stays text in its cell,
// heading, list item or label, and reads back unchanged.
func TestHostile(t *testing.T) {
	p := gentest.Load(t, "testdata/hostile")
	src := generate(t, p)
	doc := checkDoc(t, p, src)

	for _, s := range p.Services {
		if s.Description == "" {
			t.Fatalf("%s: hostile services all need a description", s.Name)
		}
	}
	if !bytes.Contains(src, []byte("<br>")) || bytes.Contains(src, []byte("<script>")) {
		t.Error("line breaks should become <br>, and <script> should never appear unescaped")
	}
	if len(doc.Lists) == 0 || len(doc.Lists[0]) != len(p.Principles) {
		t.Fatalf("principles list = %q, want %d items", doc.Lists, len(p.Principles))
	}
	for i, want := range p.Principles {
		if got := doc.Lists[0][i]; got != normalize(want) {
			t.Errorf("principle %d = %q, want %q", i+1, got, normalize(want))
		}
	}
	note := "Note: " + normalize(p.Range("core").Note)
	if !containsLine(doc.Paragraphs, note) {
		t.Errorf("note %q not found in %q", note, doc.Paragraphs)
	}
	tunnel := findTable(t, doc, "Public hostnames")
	findRow(t, tunnel, "Service", normalize(p.Host("box").Tunnel.Rules[0].Service))
}

// checkDoc proves, from the model, what any platform's document must
// show: every service with its port in its range table, every deployed
// port in its host table, the backlog, the services not deployed, every
// public hostname, a Mermaid diagram of sanitised IDs and escaped
// labels, and the header. Text from the source must read back unchanged
// (normalized: see normalize). It returns the parsed document.
func checkDoc(t *testing.T, p *schema.Platform, src []byte) *mdDoc {
	t.Helper()
	if first, _, _ := strings.Cut(string(src), "\n"); first+"\n" != output.Header(output.HTMLComment) {
		t.Errorf("first line = %q, want the generated-file header", first)
	}
	doc := parseMarkdown(t, src)
	if len(doc.Markup) > 0 {
		t.Errorf("escaped text produced markup: %q", doc.Markup)
	}
	if len(doc.Headings) == 0 || doc.Headings[0] != "Port schema: "+normalizeLine(p.Name) {
		t.Errorf("title = %q", doc.Headings)
	}
	for _, tb := range doc.Tables {
		for _, row := range tb.Rows {
			if len(row) != len(tb.Header) {
				t.Errorf("table %q: row %q has %d cells, want %d", tb.Heading, row, len(row), len(tb.Header))
			}
		}
	}
	checkRanges(t, p, doc)
	checkHosts(t, p, doc)
	checkBacklog(t, p, doc)
	checkPublic(t, p, doc)
	checkMermaid(t, p, doc)
	return doc
}

func checkRanges(t *testing.T, p *schema.Platform, doc *mdDoc) {
	t.Helper()
	for _, r := range p.Ranges {
		heading := fmt.Sprintf("%d–%d: %s", r.From, r.To, normalizeLine(r.Purpose))
		var services []*schema.Service
		for _, s := range p.Services {
			if s.Range == r.Name {
				services = append(services, s)
			}
		}
		if len(services) == 0 {
			if !slices.Contains(doc.Headings, heading) {
				t.Errorf("range %s: no heading %q", r.Name, heading)
			}
			continue
		}
		tb := findTable(t, doc, heading)
		if len(tb.Rows) != len(services) {
			t.Errorf("range %s: %d rows, want %d services", r.Name, len(tb.Rows), len(services))
		}
		for _, s := range services {
			row := findRow(t, tb, "Service", s.Name)
			want := map[string]string{
				"Port": strconv.Itoa(s.Port), "Host": s.Host,
				"Runtime": normalize(s.Runtime), "Description": normalize(s.Description),
			}
			for col, w := range want {
				if got := row[tb.column(col)]; got != w {
					t.Errorf("range %s, %s: %s = %q, want %q", r.Name, s.Name, col, got, w)
				}
			}
			planned := row[tb.column("Planned")]
			if s.Planned != nil && s.Planned.Port != s.Port && !strings.Contains(planned, "→ "+strconv.Itoa(s.Planned.Port)) {
				t.Errorf("range %s, %s: Planned = %q, want the move to %d", r.Name, s.Name, planned, s.Planned.Port)
			}
			if s.Exception != "" && !strings.Contains(planned, "exception: "+normalize(s.Exception)) {
				t.Errorf("range %s, %s: Planned = %q, want the exception", r.Name, s.Name, planned)
			}
			if !s.Deployed && !strings.Contains(planned, "not deployed") {
				t.Errorf("range %s, %s: Planned = %q, want \"not deployed\"", r.Name, s.Name, planned)
			}
		}
	}
}

func checkHosts(t *testing.T, p *schema.Platform, doc *mdDoc) {
	t.Helper()
	for _, h := range p.Hosts {
		heading := h.Name + ": " + normalizeLine(h.Title)
		var ports []schema.PortRef
		for _, s := range h.Services {
			if s.Deployed {
				ports = append(ports, s.AllPorts()...)
			}
		}
		if len(ports) == 0 {
			if !slices.Contains(doc.Headings, heading) {
				t.Errorf("host %s: no heading %q", h.Name, heading)
			}
			continue
		}
		tb := findTable(t, doc, heading)
		if len(tb.Rows) != len(ports) {
			t.Errorf("host %s: %d rows, want %d ports", h.Name, len(tb.Rows), len(ports))
		}
		for _, pr := range ports {
			row := findRow(t, tb, "Service", pr.Label())
			port := strconv.Itoa(pr.Port)
			if pr.Protocol == "udp" {
				port += "/udp"
			}
			if got := row[tb.column("Port")]; got != port {
				t.Errorf("host %s, %s: Port = %q, want %q", h.Name, pr.Label(), got, port)
			}
			if h.Kind == schema.KindCompose {
				if got := row[tb.column("Container port")]; got != strconv.Itoa(pr.ContainerPort) {
					t.Errorf("host %s, %s: Container port = %q, want %d", h.Name, pr.Label(), got, pr.ContainerPort)
				}
			}
		}
	}
	undeployed := 0
	for _, s := range p.Services {
		if s.Deployed {
			continue
		}
		undeployed++
		tb := findTable(t, doc, "Not deployed")
		row := findRow(t, tb, "Service", s.Name)
		if row[tb.column("Host")] != s.Host || row[tb.column("Port")] != strconv.Itoa(s.Port) ||
			row[tb.column("Description")] != normalize(s.Description) {
			t.Errorf("not deployed: row %q does not show %s", row, s.Name)
		}
	}
	if undeployed > 0 && len(findTable(t, doc, "Not deployed").Rows) != undeployed {
		t.Errorf("not deployed: want %d rows", undeployed)
	}
}

func checkBacklog(t *testing.T, p *schema.Platform, doc *mdDoc) {
	t.Helper()
	moves := 0
	for _, s := range p.Services {
		if s.Planned == nil || s.Planned.Port == s.Port && (s.Planned.Range == "" || s.Planned.Range == s.Range) {
			continue
		}
		moves++
		tb := findTable(t, doc, "Planned moves")
		row := findRow(t, tb, "Service", s.Name)
		rng := s.Range
		if s.Planned.Range != "" {
			rng = s.Planned.Range
		}
		want := []string{s.Name, s.Host, strconv.Itoa(s.Port), strconv.Itoa(s.Planned.Port), rng}
		if strings.Join(row, "|") != strings.Join(want, "|") {
			t.Errorf("planned moves: row %q, want %q", row, want)
		}
	}
	if moves > 0 && len(findTable(t, doc, "Planned moves").Rows) != moves {
		t.Errorf("planned moves: want %d rows", moves)
	}
}

func checkPublic(t *testing.T, p *schema.Platform, doc *mdDoc) {
	t.Helper()
	type name struct{ hostname, path string }
	var want []name
	for _, s := range p.Services {
		for _, pub := range s.Public {
			want = append(want, name{pub.Hostname, pub.Path})
			tb := findTable(t, doc, "Public hostnames")
			row := findRowWhere(t, tb, func(r []string) bool {
				return r[tb.column("Hostname")] == pub.Hostname && r[tb.column("Path")] == pub.Path
			}, pub.Hostname+pub.Path)
			pr, _ := s.PortNamed(pub.Port)
			if got := row[tb.column("Service")]; strings.TrimSuffix(got, " (not deployed)") != s.Name {
				t.Errorf("public %s%s: Service = %q, want %s", pub.Hostname, pub.Path, got, s.Name)
			}
			if got := row[tb.column("Host")]; got != s.Host {
				t.Errorf("public %s%s: Host = %q, want %s", pub.Hostname, pub.Path, got, s.Host)
			}
			if got := row[tb.column("Port")]; !strings.HasPrefix(got, strconv.Itoa(pr.Port)) {
				t.Errorf("public %s%s: Port = %q, want %d", pub.Hostname, pub.Path, got, pr.Port)
			}
		}
	}
	for _, h := range p.Hosts {
		if h.Tunnel == nil {
			continue
		}
		for _, r := range h.Tunnel.Rules {
			if r.Hostname != "" {
				want = append(want, name{r.Hostname, r.Path})
			}
		}
	}
	if len(want) == 0 {
		return
	}
	tb := findTable(t, doc, "Public hostnames")
	if len(tb.Rows) != len(want) {
		t.Errorf("public hostnames: %d rows, want %d", len(tb.Rows), len(want))
	}
	for i := 1; i < len(tb.Rows); i++ {
		if tb.Rows[i-1][0] > tb.Rows[i][0] {
			t.Errorf("public hostnames not sorted: %q before %q", tb.Rows[i-1][0], tb.Rows[i][0])
		}
	}
}

// The lines of the generated Mermaid flowchart.
var (
	mermaidID       = `[A-Za-z0-9_]+`
	mermaidLabel    = `"([^"<>` + "`" + `]*)"`
	mermaidSubgraph = regexp.MustCompile(`^  subgraph (` + mermaidID + `)\[` + mermaidLabel + `\]$`)
	mermaidNode     = regexp.MustCompile(`^    (` + mermaidID + `)(?:\[` + mermaidLabel + `\]|\(\[` + mermaidLabel + `\]\))$`)
	mermaidEdge     = regexp.MustCompile(`^  (` + mermaidID + `) --> (` + mermaidID + `)$`)
)

// checkMermaid parses the diagram line by line: every ID is sanitised
// and declared once, every label is quoted without a raw quote, angle
// bracket or backtick, and decodes to the expected text.
func checkMermaid(t *testing.T, p *schema.Platform, doc *mdDoc) {
	t.Helper()
	lines, ok := doc.Fences["mermaid"]
	if !ok || len(lines) == 0 || lines[0] != "flowchart LR" {
		t.Fatalf("no mermaid flowchart LR block: %q", lines)
	}
	labels := map[string]string{} // id -> decoded label
	var edges [][2]string
	var subgraphs []string
	for _, l := range lines[1:] {
		switch m := mermaidSubgraph.FindStringSubmatch(l); {
		case m != nil:
			declare(t, labels, m[1], m[2])
			subgraphs = append(subgraphs, decodeMermaid(m[2]))
		case mermaidNode.MatchString(l):
			m := mermaidNode.FindStringSubmatch(l)
			declare(t, labels, m[1], m[2]+m[3])
		case mermaidEdge.MatchString(l):
			m := mermaidEdge.FindStringSubmatch(l)
			edges = append(edges, [2]string{m[1], m[2]})
		case l == "  end":
		default:
			t.Errorf("mermaid: unexpected line %q", l)
		}
	}
	byLabel := map[string]string{}
	for id, label := range labels {
		byLabel[label] = id
	}
	for _, e := range edges {
		if labels[e[0]] == "" || labels[e[1]] == "" {
			t.Errorf("mermaid: edge %s --> %s names an undeclared node", e[0], e[1])
		}
	}
	for _, s := range p.Services {
		id, ok := byLabel[s.Name+" :"+strconv.Itoa(s.Port)]
		if ok != s.Deployed {
			t.Errorf("mermaid: %s deployed=%v, node found=%v", s.Name, s.Deployed, ok)
		}
		if !s.Deployed {
			continue
		}
		if !slices.Contains(subgraphs, s.Host+": "+normalizeLine(p.Host(s.Host).Title)) {
			t.Errorf("mermaid: no subgraph for host %s", s.Host)
		}
		for _, pub := range s.Public {
			from, ok := byLabel[pub.Hostname+pub.Path]
			if !ok || !containsEdge(edges, from, id) {
				t.Errorf("mermaid: no edge from %s%s to %s", pub.Hostname, pub.Path, s.Name)
			}
		}
	}
}

func declare(t *testing.T, labels map[string]string, id, label string) {
	t.Helper()
	if _, dup := labels[id]; dup {
		t.Errorf("mermaid: id %s declared twice", id)
	}
	labels[id] = decodeMermaid(label)
}

// decodeMermaid resolves the entity codes MermaidLabel writes.
func decodeMermaid(s string) string {
	return strings.NewReplacer("#quot;", `"`, "#35;", "#", "#lt;", "<", "#gt;", ">", "#amp;", "&", "#96;", "`").Replace(s)
}

func containsEdge(edges [][2]string, from, to string) bool {
	for _, e := range edges {
		if e == [2]string{from, to} {
			return true
		}
	}
	return false
}

// normalize is what a text of the source reads as in a cell: each line
// trimmed, lines joined by "\n", tabs as spaces, other control
// characters as U+FFFD.
func normalize(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		var b strings.Builder
		for _, r := range strings.TrimSpace(l) {
			switch {
			case r == '\t':
				b.WriteByte(' ')
			case unicode.IsControl(r):
				b.WriteRune(unicode.ReplacementChar)
			default:
				b.WriteRune(r)
			}
		}
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n")
}

// normalizeLine is what a text reads as in a heading or a label.
func normalizeLine(s string) string { return strings.ReplaceAll(normalize(s), "\n", " ") }

func findTable(t testing.TB, doc *mdDoc, heading string) mdTable {
	t.Helper()
	for _, tb := range doc.Tables {
		if tb.Heading == heading {
			return tb
		}
	}
	var hs []string
	for _, tb := range doc.Tables {
		hs = append(hs, tb.Heading)
	}
	t.Fatalf("no table under heading %q; tables under %q", heading, hs)
	return mdTable{}
}

func findRow(t testing.TB, tb mdTable, column, value string) []string {
	t.Helper()
	col := tb.column(column)
	if col < 0 {
		t.Fatalf("table %q has no column %q: %q", tb.Heading, column, tb.Header)
	}
	return findRowWhere(t, tb, func(r []string) bool { return r[col] == value }, value)
}

func findRowWhere(t testing.TB, tb mdTable, match func([]string) bool, what string) []string {
	t.Helper()
	var found []string
	for _, r := range tb.Rows {
		if len(r) == len(tb.Header) && match(r) {
			if found != nil {
				t.Errorf("table %q: two rows for %q", tb.Heading, what)
			}
			found = r
		}
	}
	if found == nil {
		t.Fatalf("table %q: no row for %q in %q", tb.Heading, what, tb.Rows)
	}
	return found
}

func containsLine(paragraphs []string, s string) bool {
	for _, p := range paragraphs {
		for _, l := range strings.Split(p, "\n") {
			if l == s {
				return true
			}
		}
		if p == s {
			return true
		}
	}
	return false
}
