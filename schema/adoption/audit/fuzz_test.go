package audit

import (
	"testing"

	"portschema/schema/adoption/handwritten"
)

// FuzzDocChecks runs every doc check on any Markdown against a small
// platform with a tunnel: the audit never panics, and every finding it
// gives has a known kind and a first location in one of the files.
func FuzzDocChecks(f *testing.F) {
	f.Add("| Port | Service | Published |\n|---|---|---|\n| 5000 | web | no |\n")
	f.Add("| URL | Service |\n|---|---|\n| credits.example.com | web |\n| https://x.example.com/a(b | (credits) |\n")
	f.Add("# Plan\n\n> Aspirational.\n\n| Port | Service |\n|---|---|\n| 1-65535 | billing |\n")
	f.Add("- web `8080` (public: `credits.example.com/[`)\n- queue 5672 internal\n")
	compose, err := handwritten.ParseCompose("c.yml", []byte(queueCompose))
	if err != nil {
		f.Fatal(err)
	}
	tunnel, err := handwritten.ParseCloudflared("t.yml", []byte(routesTunnel+"  - hostname: \"*.example.com\"\n    path: \"^/api(\"\n    service: http://localhost:1\n"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		files := handwritten.Files{
			Compose:     []*handwritten.ComposeFile{compose},
			Cloudflared: []*handwritten.CloudflaredFile{tunnel},
			Doc:         handwritten.ParseDoc("d.md", []byte(doc)),
		}
		for _, finding := range Check(files) {
			if _, ok := kinds[finding.Kind]; !ok {
				t.Errorf("unknown kind %q", finding.Kind)
			}
			if len(finding.Locations) == 0 {
				t.Errorf("%s: no location", finding.Kind)
			}
		}
	})
}
