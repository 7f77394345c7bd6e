package audit

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestWriteJSONHasTheDocumentedShape(t *testing.T) {
	fs := Findings{{Kind: EnvURLMismatch, Rule: "r", Confidence: Certain, Message: "m", Fix: "f",
		Locations: []Location{{File: "c.yml", Line: 3}, {File: "c.yml", Line: 9}}}}
	var b bytes.Buffer
	if err := fs.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"findings": []any{map[string]any{
		"kind": "env-url-mismatch", "rule": "r", "confidence": "certain", "message": "m", "fix": "f",
		"locations": []any{map[string]any{"file": "c.yml", "line": 3.0}, map[string]any{"file": "c.yml", "line": 9.0}},
	}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("JSON = %s", b.String())
	}
}

func TestMinConfidenceKeepsOnlySureFindings(t *testing.T) {
	fs := Findings{{Kind: DocMismatch, Confidence: Certain}, {Kind: DocRowUnknown, Confidence: Likely}}
	if got := fs.AtLeast(Certain); len(got) != 1 || got[0].Kind != DocMismatch {
		t.Errorf("certain: %+v", got)
	}
	if got := fs.AtLeast(Likely); len(got) != 2 {
		t.Errorf("likely: %+v", got)
	}
}

// TestEveryKindHasRuleConfidenceAndFix guards the promise of --json:
// no finding goes out without its rule, confidence and fix.
func TestEveryKindHasRuleConfidenceAndFix(t *testing.T) {
	for k, info := range kinds {
		if info.rule == "" || info.fix == "" || (info.confidence != Certain && info.confidence != Likely) {
			t.Errorf("%s: %+v", k, info)
		}
	}
}

func TestEmptyAuditRendersAsEmptyListAndNoFindings(t *testing.T) {
	var js, human bytes.Buffer
	if err := Write(&js, nil, JSON); err != nil {
		t.Fatal(err)
	}
	if err := Write(&human, nil, Human); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(js.String()) != `{
  "findings": []
}` {
		t.Errorf("JSON = %s", js.String())
	}
	if human.String() != "no findings\n" {
		t.Errorf("human = %q", human.String())
	}
}

func TestWriteHumanGroupsByKindWithEveryLocation(t *testing.T) {
	fs := Findings{
		{Kind: DocMismatch, Confidence: Certain, Message: "a", Fix: "fa", Locations: []Location{{File: "d.md", Line: 1}, {File: "c.yml", Line: 2}}},
		{Kind: HostPortCollision, Confidence: Certain, Message: "b", Fix: "fb", Locations: []Location{{File: "c.yml", Line: 5}}},
		{Kind: HostPortCollision, Confidence: Likely, Message: "c", Fix: "fc", Locations: []Location{{File: "c.yml", Line: 7}}},
	}
	var b bytes.Buffer
	if err := fs.WriteHuman(&b); err != nil {
		t.Fatal(err)
	}
	want := `doc-mismatch: the port doc states a port that the compose file contradicts (1)
  d.md:1: [certain] a
      c.yml:2
      fix: fa

host-port-collision: two compose services publish the same host port (2)
  c.yml:5: [certain] b
      fix: fb
  c.yml:7: [likely] c
      fix: fc

3 findings
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// TestHostileValuesStayOnOneLine audits a compose file whose names and
// values carry newlines, quotes, '#', '$', bidi controls and emoji: each
// finding must stay one line in the human report and survive JSON.
func TestHostileValuesStayOnOneLine(t *testing.T) {
	compose := "services:\n  web:\n    image: web\n    environment:\n      PORT: 5000\n  app:\n    image: a\n    environment:\n      \"A_URL\\nfake.yml:1: injected\": \"http://web:5001/\\\"#$$x\\u202e\\U0001F680\"\n      B_URL: \"http://ghost\\u2028:1\"\n"
	fs := auditOf(t, sources{compose: compose})
	if len(fs) != 1 || fs[0].Kind != EnvURLMismatch {
		t.Fatalf("findings = %+v", fs)
	}
	var human, js bytes.Buffer
	if err := fs.WriteHuman(&human); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimRight(human.String(), "\n"), "\n") {
		if line != "" && !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "env-url-mismatch:") && line != "1 finding" {
			t.Errorf("stray line %q in\n%s", line, human.String())
		}
	}
	if !strings.Contains(human.String(), `A_URL\nfake.yml:1: injected`) || strings.Contains(human.String(), "\u202e") {
		t.Errorf("escapes missing:\n%s", human.String())
	}
	if err := fs.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back struct{ Findings Findings }
	if err := json.Unmarshal(js.Bytes(), &back); err != nil || !reflect.DeepEqual(back.Findings, fs) {
		t.Errorf("JSON round trip: %v\n%s", err, js.String())
	}
}
