package portdoc

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"portschema/generators/gentest"
	"portschema/schema"
)

// TestDeterministic: the same source gives the same bytes, across two
// loads and two renders of one model.
func TestDeterministic(t *testing.T) {
	for _, root := range []string{"testdata/basic", "testdata/hostile", "testdata/minimal"} {
		a := generate(t, gentest.Load(t, root))
		p := gentest.Load(t, root)
		b := generate(t, p)
		c := generate(t, p)
		if !bytes.Equal(a, b) || !bytes.Equal(b, c) {
			t.Errorf("%s: two runs gave different bytes", root)
		}
	}
}

// TestAddingSnippetLoads: the "Adding a service" snippet is valid
// source. Appended to the file it names, the platform still loads, with
// the new service in it.
func TestAddingSnippetLoads(t *testing.T) {
	for _, root := range []string{"testdata/basic", "testdata/hostile", "testdata/minimal"} {
		p := gentest.Load(t, root)
		doc := parseMarkdown(t, generate(t, p))
		snippet := strings.Join(doc.Fences["cue"], "\n") + "\n"
		add := Build(p).Adding
		if snippet != add.Snippet {
			t.Fatalf("%s: cue block = %q, want the snippet %q", root, snippet, add.Snippet)
		}
		tmp := t.TempDir()
		copyDir(t, filepath.Join(root, "schema"), filepath.Join(tmp, "schema"))
		f, err := os.OpenFile(filepath.Join(tmp, add.File), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatalf("%s: the snippet's file: %v", root, err)
		}
		if _, err := f.WriteString("\n" + snippet); err != nil {
			t.Fatal(err)
		}
		f.Close()
		q, err := schema.Load(tmp)
		if err != nil {
			t.Fatalf("%s: the source with the snippet does not load:\n%v\n%s", root, err, snippet)
		}
		if q.Service(add.Service) == nil {
			t.Errorf("%s: service %s missing after adding the snippet", root, add.Service)
		}
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(to, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestProjectSource checks the document of this project's own platform
// source (schema/*.cue at the repository root).
func TestProjectSource(t *testing.T) {
	const root = "../.."
	p := gentest.Load(t, root)
	if len(p.Services) == 0 {
		t.Fatal("the project's source declares no service")
	}
	src := generate(t, p)
	checkDoc(t, p, src)
	if b := generate(t, gentest.Load(t, root)); !bytes.Equal(src, b) {
		t.Error("two runs gave different bytes")
	}
}

func TestInline(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Hono/Bun", "Hono/Bun"},
		{"Go (v1.26), fast; 100% ok!", "Go (v1.26), fast; 100% ok!"},
		{"a | b", `a \| b`},
		{"a\nb\r\nc\rd", "a<br>b<br>c<br>d"},
		{"  padded  \n  lines  ", "padded<br>lines"},
		{"<script>", `\<script\>`},
		{"`x`", "\\`x\\`"},
		{`back\slash`, `back\\slash`},
		{"&amp;", `\&amp;`},
		{"- item", `\- item`},
		{"12. item", `12\. item`},
		{"3) item", `3\) item`},
		{"# h", `\# h`},
		{"C#", `C\#`},
		{"a\x00b\x1bc\td", "a\uFFFDb\uFFFDc d"},
		{"", ""},
	} {
		if got := Inline(c.in); got != c.want {
			t.Errorf("Inline(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCode(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"macmini", "`macmini`"},
		{"a`b", "`` a`b ``"},
		{"a``b`", "``` a``b` ```"},
		{"a\nb", "`a b`"},
	} {
		if got := Code(c.in); got != c.want {
			t.Errorf("Code(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMermaidLabel(t *testing.T) {
	in := "Dave's \"box\" <b> #1 & `x`\nline"
	want := "Dave's #quot;box#quot; #lt;b#gt; #35;1 #amp; #96;x#96; line"
	if got := MermaidLabel(in); got != want {
		t.Errorf("MermaidLabel(%q) = %q, want %q", in, got, want)
	}
	if got := decodeMermaid(MermaidLabel(in)); got != normalizeLine(in) {
		t.Errorf("round trip = %q", got)
	}
}

func TestIDs(t *testing.T) {
	x := newIDs()
	got := []string{x.make("pub", "a-b.example.com"), x.make("pub", "a.b-example.com"),
		x.make("pub", "a-b-example-com"), x.make("pub", "*.example.com"), x.make("svc", "end")}
	want := []string{"pub_a_b_example_com", "pub_a_b_example_com_2", "pub_a_b_example_com_3",
		"pub___example_com", "svc_end"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ids = %q, want %q", got, want)
	}
}

// FuzzCell: whatever the text, it stays in its cell of a GFM table, the
// table keeps its columns, and the cell reads back as the text.
func FuzzCell(f *testing.F) {
	for _, s := range []string{
		"plain", "a | b", "a\\|b", "\\", "a\\", "|", "||", "`|`", "``a|b``", "<script>alert(1)</script>",
		"line\nbreak", "\r\n", "&amp;", "&#124;", "*a*", "_a_", "~~a~~", "[a](b)", "![a](b)", "<https://x.y>",
		"- a", "1. a", "# a", "a #", "> a", "---", "===", "日本語 🎤", "\x00", "\t", "$x$", "\\`",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		src := "| A | B | C |\n| --- | --- | --- |\n| x | " + Cell(s) + " | y |\n"
		doc := parseMarkdown(t, []byte(src))
		if len(doc.Tables) != 1 || len(doc.Tables[0].Rows) != 1 {
			t.Fatalf("no single-row table for %q:\n%s", s, src)
		}
		row := doc.Tables[0].Rows[0]
		if len(row) != 3 || row[0] != "x" || row[2] != "y" {
			t.Fatalf("row = %q for %q:\n%s", row, s, src)
		}
		if want := normalize(s); row[1] != want {
			t.Fatalf("cell = %q, want %q:\n%s", row[1], want, src)
		}
		if len(doc.Markup) > 0 {
			t.Fatalf("markup %q for %q:\n%s", doc.Markup, s, src)
		}
	})
}

// Inline returns plain text as it is without escaping it; every string
// of the characters that decide whether it may (letters, digits, the
// block markers, the escaped characters, spaces and line breaks, a
// control and a non-ASCII letter) renders exactly as the escaping does.
func TestInlineShortcutIsEscaping(t *testing.T) {
	alphabet := []string{"a", "Z", "1", " ", ".", ")", "#", "-", "+", "=", ">", "|", "\\", "`", "*", "&", "~", "$", "!", "/", "\t", "\n", "\r", "\x00", "\x7f", "é"}
	plain := 0
	gentest.EachString(alphabet, 4, func(s string) {
		if got, want := Inline(s), escapeText(s); got != want {
			t.Errorf("Inline(%q) = %q, escaping gives %q", s, got, want)
		}
		if isPlain(s) {
			plain++
		}
	})
	if plain == 0 {
		t.Fatal("no string took the shortcut")
	}
}
