package env

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"portschema/generators/gentest"
	"portschema/generators/output"
	"portschema/generators/output/golden"
	"portschema/generators/prepared"
	"portschema/generators/rendered"
	"portschema/schema"
)

func generate(t *testing.T, dir string) (*schema.Platform, map[string]output.File) {
	t.Helper()
	p, err := schema.Load(dir)
	if err != nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	files, err := prepared.Generate(Prepare, p)
	if err != nil {
		t.Fatalf("generating: %v", err)
	}
	byPath := map[string]output.File{}
	for _, f := range files {
		if _, dup := byPath[f.Path]; dup {
			t.Errorf("%s is generated twice", f.Path)
		}
		byPath[f.Path] = f
	}
	return p, byPath
}

// TestEnvFilesAgreeWithTheModel reads every generated .env back with
// compose's dotenv parser and compares it with what the model says the
// service's environment is on a laptop: exactly its port variable, its
// needs' URLs, its plain values and its secrets, no more.
func TestEnvFilesAgreeWithTheModel(t *testing.T) {
	p, files := generate(t, "testdata/platform")
	for _, s := range p.Services {
		paths := append([]string{path.Join(p.Outputs.EnvDir, s.Name+".env")}, s.EnvFiles...)
		for i, name := range paths {
			f, ok := files[name]
			if !ok {
				t.Errorf("%s: no %s", s.Name, name)
				continue
			}
			if f.Local != (i > 0) {
				t.Errorf("%s: Local is %v; only the paths of env_files are kept out of version control", name, f.Local)
			}
			if !bytes.HasPrefix(f.Data, []byte(output.Header(output.HashComment))) {
				t.Errorf("%s does not start with the header", name)
			}
			if got, want := parse(t, f.Data, nil), expectedEnv(t, p, s, nil); !maps.Equal(got, want) {
				t.Errorf("%s reads back as\n%q\nwant\n%q", name, got, want)
			}
			// With the secrets set, the URLs carry them.
			secrets := secretValues(s)
			if got, want := parse(t, f.Data, secrets), expectedEnv(t, p, s, secrets); !maps.Equal(got, want) {
				t.Errorf("%s with secrets set reads back as\n%q\nwant\n%q", name, got, want)
			}
		}
	}
}

// expectedEnv is a service's laptop environment according to the model,
// with secrets taking their values from secrets (or "" as the file says).
func expectedEnv(t *testing.T, p *schema.Platform, s *schema.Service, secrets map[string]string) map[string]string {
	t.Helper()
	env := map[string]string{}
	if s.PortEnv != "" {
		env[s.PortEnv] = strconv.Itoa(s.Port) // the host port: a laptop has no containers
	}
	for _, sec := range s.Secrets {
		env[sec.Env] = ""
	}
	for _, n := range s.Needs {
		if n.NoURL {
			continue // url: false only orders the start
		}
		u, err := p.NeedURL(schema.Vantage{Kind: schema.Laptop}, n)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if n.Password != "" {
			env[n.Password] = ""
			u = strings.Replace(u, "${"+n.Password+"}", secrets[n.Password], 1)
		}
		env[n.EnvName()] = u
	}
	for name, v := range s.Env {
		env[name] = v.Value
	}
	return env
}

// secretValues gives every secret variable of a service a value that
// dotenv would mangle if it re-read it.
func secretValues(s *schema.Service) map[string]string {
	values := map[string]string{}
	for _, sec := range s.Secrets {
		values[sec.Env] = "v-" + sec.Env + "-$x\"'#"
	}
	for _, n := range s.Needs {
		if n.Password != "" {
			values[n.Password] = "p-" + n.Password + "@:/$y"
		}
	}
	return values
}

func TestEnvFilePaths(t *testing.T) {
	_, files := generate(t, "testdata/platform")
	want := []string{
		"deploy/shop.env.example",
		"out/env.box.example",
		"out/env/api.env", "out/env/cache.env", "out/env/db.env", "out/env/legacy.env",
		"out/env/shopfront.env", "out/env/stt.env", "out/env/web.env",
		"services/api/.env",
	}
	if got := slices.Sorted(maps.Keys(files)); !slices.Equal(got, want) {
		t.Errorf("generated\n%q\nwant\n%q", got, want)
	}
}

// TestGolden pins the layout people read: sections, comments, order.
// `go test ./generators/env -update` rewrites the golden files.
func TestGolden(t *testing.T) {
	_, files := generate(t, "testdata/platform")
	for name, f := range files {
		golden.Check(t, filepath.Join("testdata", "golden", filepath.FromSlash(name)), f.Data)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	p, first := generate(t, "testdata/platform")
	for range 5 {
		again, err := prepared.Generate(Prepare, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range again {
			if !bytes.Equal(f.Data, first[f.Path].Data) {
				t.Fatalf("%s changed between two runs", f.Path)
			}
		}
	}
}

// TestPasswordReadFromTheWrongVariable: a need's password is read from
// the variable named after its host secret; when the service's .env
// sets that variable to something else, generating fails at the need.
func TestPasswordReadFromTheWrongVariable(t *testing.T) {
	p, err := schema.Load("testdata/conflict")
	if err != nil {
		t.Fatal(err)
	}
	_, err = prepared.Generate(Prepare, p)
	var diags schema.Diagnostics
	if !errors.As(err, &diags) {
		t.Fatalf("want Diagnostics, got %v", err)
	}
	want := "schema/platform.cue:15:43: app: the password of DB_URL is read from variable DB_PASSWORD, which holds secret APP_DB_PASSWORD (schema/platform.cue:18:13)\n" +
		"schema/platform.cue:16:50: app: the password of REPLICA_URL is read from variable DB_PASS, which env.DB_PASS sets to something else (schema/platform.cue:19:17)"
	if got := diags.Error(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestCommentKeepsSourceTextOnOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                 "plain",
		"two\nlines":            "two lines",
		" spaced \t out\r\n":    "spaced out",
		"sep\u2028line\u0085x":  "sep line x",
		"nul\x00and\x1b escape": "nul and escape",
	} {
		if got := comment(in); got != want {
			t.Errorf("comment(%q) = %q, want %q", in, got, want)
		}
	}
}

// comment returns text already on one line as it is; every string of
// the characters that decide whether it may (spaces, tabs, line
// breaks, controls, non-ASCII spaces and letters) comes out exactly as
// the joining of its fields does.
func TestCommentShortcutIsJoining(t *testing.T) {
	alphabet := []string{"a", "Z", "1", "#", " ", "\t", "\n", "\r", "\x00", "\x1b", "\x7f", "\u0085", "\u00a0", "\u2028", "é"}
	kept := 0
	gentest.EachString(alphabet, 4, func(s string) {
		if got, want := comment(s), joinFields(s); got != want {
			t.Errorf("comment(%q) = %q, joining gives %q", s, got, want)
		}
		if isOneLine(s) {
			kept++
		}
	})
	if kept == 0 {
		t.Fatal("no string took the shortcut")
	}
}

// A document's digest changes with every text in it: each string the
// document's types hold, found through reflection (so that a field
// added later is found too), is changed in turn, and each list grown.
func TestDocumentDigestCoversEveryText(t *testing.T) {
	doc := document{About: []string{"about"}, Sections: []section{{Title: "title",
		Vars: []assignment{{Name: "NAME", Value: schema.SecretURL{Head: "h", Secret: "S", Tail: "t"}, Comments: []string{"c"}}}}}}
	base := doc.digest(rendered.NewDigester())
	changes := 0
	var visit func(v reflect.Value, path string)
	visit = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			old := v.String()
			v.SetString(old + "x")
			if doc.digest(rendered.NewDigester()) == base {
				t.Errorf("changing %s leaves the digest as it was", path)
			}
			v.SetString(old)
			changes++
		case reflect.Struct:
			for i := range v.NumField() {
				visit(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		case reflect.Slice:
			for i := range v.Len() {
				visit(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
			old := v.Interface()
			v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
			if doc.digest(rendered.NewDigester()) == base {
				t.Errorf("growing %s leaves the digest as it was", path)
			}
			v.Set(reflect.ValueOf(old))
		default:
			t.Errorf("%s is a %s, which the digest does not write", path, v.Kind())
		}
	}
	visit(reflect.ValueOf(&doc).Elem(), "document")
	if changes < 7 || doc.digest(rendered.NewDigester()) != base {
		t.Errorf("%d texts changed, digest restored %v", changes, doc.digest(rendered.NewDigester()) == base)
	}
}
