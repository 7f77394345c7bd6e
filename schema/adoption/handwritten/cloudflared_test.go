package handwritten

import "testing"

func TestParseCloudflaredReadsRulesWithLines(t *testing.T) {
	src := `tunnel: abc
credentials-file: /etc/cloudflared/abc.json
originRequest:
  connectTimeout: 30s
ingress:
  - hostname: a.example.com
    service: http://localhost:3001
  - hostname: "*.example.com"
    path: ^/api/
    service: https://10.0.0.2:8443
    originRequest:
      noTLSVerify: true
      access: {required: true}
  - service: http_status:404
`
	f, err := ParseCloudflared("t.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f.Tunnel != "abc" || f.TunnelPos.Line != 1 || f.CredentialsFilePos.Line != 2 || f.IngressPos.Line != 5 {
		t.Errorf("file = %+v", f)
	}
	if f.OriginRequest["connectTimeout"] != "30s" {
		t.Errorf("defaults = %v", f.OriginRequest)
	}
	if len(f.Rules) != 3 {
		t.Fatalf("rules = %+v", f.Rules)
	}
	r := f.Rules[1]
	if r.Number != 2 || r.Pos.Line != 8 || r.Hostname != "*.example.com" || r.Path != "^/api/" || r.ServicePos.Line != 10 {
		t.Errorf("rule 2 = %+v", r)
	}
	if r.OriginRequest["noTLSVerify"] != "true" || r.OriginRequest["access.required"] != "true" {
		t.Errorf("rule 2 options = %v", r.OriginRequest)
	}
	if f.Rules[0].IsCatchAll() || !f.Rules[2].IsCatchAll() {
		t.Error("catch-all misjudged")
	}
}

func TestParseCloudflaredRejectsWrongShapes(t *testing.T) {
	for _, src := range []string{"ingress: 3\n", "ingress:\n  - just-a-string\n", "ingress: [\n"} {
		if _, err := ParseCloudflared("t.yml", []byte(src)); err == nil {
			t.Errorf("%q: no error", src)
		}
	}
}
