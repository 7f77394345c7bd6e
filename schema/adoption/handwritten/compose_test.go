package handwritten

import (
	"strings"
	"testing"
)

const composeSample = `name: demo
x-common: &common
  restart: always
  environment:
    TZ: Europe/Berlin
services:
  web:
    <<: *common
    image: web:local
    container_name: demo-web
    environment:
      PORT: 3000
      API_URL: http://api:${API_PORT:-4000}
      EMPTY:
    ports:
      - "${WEB_PORT:-8080}:3000"
      - "127.0.0.1:9000-9001:9000-9001/udp"
  api:
    image: api
    environment:
      - PORT=4000
      - SECRET
    expose: ["4000"]
    ports:
      - target: 4000
        published: "4001"
    networks:
      default:
        aliases: [backend]
  worker:
    <<: *common
    image: worker
`

func TestParseComposeKeepsLinesOfServicesPortsAndEnv(t *testing.T) {
	f, err := ParseCompose("c.yml", []byte(composeSample))
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "demo" || len(f.Services) != 3 || f.Services[0].Name != "web" || f.Services[1].Name != "api" {
		t.Fatalf("services = %+v", f.Services)
	}
	web := f.Service("web")
	if web.Pos.Line != 7 || web.ContainerName != "demo-web" || web.ContainerNamePos.Line != 10 {
		t.Errorf("web = %+v", web)
	}
	wantPorts := []PortMapping{
		{Pos: Pos{"c.yml", 16}, Raw: "${WEB_PORT:-8080}:3000", Published: 8080, PublishedRaw: "${WEB_PORT:-8080}", Target: 3000, Protocol: "tcp"},
		{Pos: Pos{"c.yml", 17}, Raw: "127.0.0.1:9000-9001:9000-9001/udp", HostIP: "127.0.0.1", Published: 9000, PublishedRaw: "9000-9001", Target: 9000, Protocol: "udp"},
		{Pos: Pos{"c.yml", 17}, Raw: "127.0.0.1:9000-9001:9000-9001/udp", HostIP: "127.0.0.1", Published: 9001, PublishedRaw: "9000-9001", Target: 9001, Protocol: "udp"},
	}
	if len(web.Ports) != len(wantPorts) {
		t.Fatalf("web ports = %+v", web.Ports)
	}
	for i, p := range wantPorts {
		if web.Ports[i] != p {
			t.Errorf("port %d = %+v, want %+v", i, web.Ports[i], p)
		}
	}
	if e, ok := web.Env("API_URL"); !ok || e.Value != "http://api:${API_PORT:-4000}" || e.Pos.Line != 13 {
		t.Errorf("API_URL = %+v", e)
	}
	if e, ok := web.Env("EMPTY"); !ok || e.HasValue {
		t.Errorf("EMPTY = %+v", e)
	}
	if _, ok := web.Env("TZ"); ok {
		t.Error("web writes its own environment, so the merged one must not add TZ (merge keys are shallow)")
	}
	if e, ok := f.Service("worker").Env("TZ"); !ok || e.Pos.Line != 5 {
		t.Errorf("merged TZ = %+v, want line 5 of the anchor", e)
	}
	api := f.Service("api")
	if e, ok := api.Env("PORT"); !ok || e.Value != "4000" || e.Pos.Line != 21 {
		t.Errorf("list-form PORT = %+v", e)
	}
	if e, ok := api.Env("SECRET"); !ok || e.HasValue {
		t.Errorf("SECRET = %+v", e)
	}
	if len(api.Ports) != 1 || api.Ports[0].Published != 4001 || api.Ports[0].Target != 4000 || api.Ports[0].Pos.Line != 25 {
		t.Errorf("long-syntax port = %+v", api.Ports)
	}
	if len(api.Expose) != 1 || api.Expose[0].Port != 4000 {
		t.Errorf("expose = %+v", api.Expose)
	}
	if got := strings.Join(api.DNSNames(), ","); got != "api,backend" {
		t.Errorf("DNSNames = %s", got)
	}
	if api.Model["image"] != "api" {
		t.Errorf("model = %v", api.Model)
	}
}

func TestParseComposeErrorsNameFileAndLine(t *testing.T) {
	for name, src := range map[string]string{
		"duplicate key": "services:\n  a:\n    image: x\n    image: y\n",
		"bad yaml":      "services: [\n",
		"unknown key":   "services:\n  a:\n    image: x\n    bogus: 1\n",
		"empty":         "",
		"not a mapping": "- a\n",
	} {
		_, err := ParseCompose("c.yml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), "c.yml") {
			t.Errorf("%s: err = %v, want an error naming c.yml", name, err)
		}
	}
}
