package env

import (
	"maps"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/compose-spec/compose-go/v2/dotenv"

	"portschema/schema"
)

// trickyValues are values that break naive .env writers.
var trickyValues = []string{
	"",
	"plain",
	"two words",
	"ends with space ",
	"  leading spaces",
	"\ttab",
	"a # comment?",
	"#start",
	"a#b",
	`"double"`,
	`'single'`,
	`it's`,
	`"`,
	`'`,
	`\`,
	`ends with backslash\`,
	`\n is not a newline`,
	`\$`,
	"$HOME",
	"${HOME}",
	"${HOME:-default}",
	"$$",
	"$",
	"${",
	"$1 costs",
	"line\nbreak",
	"crlf\r\nline",
	"\n",
	"trailing newline\n",
	"export FOO=bar",
	"K=V",
	"null\x00byte",
	"\xff\xfe invalid utf-8",
	"\ufeffbom",
	"\u00a0nbsp\u0085nel",
	"grüße — ✓",
	"postgresql://u:p@host:5432/db?sslmode=disable&x=1",
	`\\\$\"`,
	"`backticks` and $(commands)",
}

// parse reads a rendered .env with compose's dotenv parser, looking
// variables up in lookup before the file.
func parse(t testing.TB, data []byte, lookup map[string]string) map[string]string {
	t.Helper()
	m, err := dotenv.UnmarshalBytesWithLookup(data, func(name string) (string, bool) {
		v, ok := lookup[name]
		return v, ok
	})
	if err != nil {
		t.Fatalf("dotenv cannot parse:\n%s\nerror: %v", data, err)
	}
	return m
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, v := range trickyValues {
		line := "K=" + Quote(v) + "\n"
		got := parse(t, []byte("A=1\n"+line+"B=2\n"), nil)
		want := map[string]string{"A": "1", "K": v, "B": "2"}
		if !maps.Equal(got, want) {
			t.Errorf("%q written as %q reads back as %q", v, line, got)
		}
		if strings.Count(line, "\n") != 1 {
			t.Errorf("%q takes more than one line: %q", v, line)
		}
	}
}

// TestQuoteKeepsWordsBare: values that need no quotes get none, so the
// files read as people write them.
func TestQuoteKeepsWordsBare(t *testing.T) {
	for v, want := range map[string]string{
		"production":                 "production",
		"3001":                       "3001",
		"http://localhost:3002/a,b":  "http://localhost:3002/a,b",
		"":                           "",
		"two words":                  `"two words"`,
		"$HOME":                      `"\$HOME"`,
		"a\nb":                       `"a\nb"`,
		`say "hi" \o/`:               `"say \"hi\" \\o/"`,
		"postgresql://h/db?ssl=true": `"postgresql://h/db?ssl=true"`,
	} {
		if got := Quote(v); got != want {
			t.Errorf("Quote(%q) = %s, want %s", v, got, want)
		}
	}
}

// fuzzSecret is what the parser's environment gives the secret that
// FuzzEnvRoundTrip's URL refers to.
const fuzzSecret = "s3cr$t\"${X}\\"

// FuzzEnvRoundTrip: any value, and any text from the source in the
// comments (a description, say), survives rendering through env.tmpl and
// reading back with compose's dotenv parser: the value is read exactly,
// a reference to a secret around it is filled in, and nothing leaks
// into other variables.
func FuzzEnvRoundTrip(f *testing.F) {
	for _, v := range trickyValues {
		f.Add(v, "a note")
	}
	f.Add("value", "note\nINJECTED=1")
	f.Add("x", "\rINJECTED=1")
	f.Fuzz(func(t *testing.T, value, note string) {
		doc := document{About: []string{note}, Sections: []section{{Title: note, Vars: []assignment{
			{Name: "A", Value: literal("1"), Comments: []string{note}},
			{Name: "S", Value: literal("")},
			{Name: "K", Value: literal(value), Comments: []string{note, note}},
			{Name: "U", Value: schema.SecretURL{Head: value, Secret: "S", Tail: note}},
			{Name: "Z", Value: literal("2")},
		}}}}
		data, err := render(doc)
		if err != nil {
			t.Fatal(err)
		}
		got := parse(t, data, map[string]string{"S": fuzzSecret})
		want := map[string]string{"A": "1", "S": "", "K": value, "U": value + fuzzSecret + note, "Z": "2"}
		if !maps.Equal(got, want) {
			t.Errorf("value %q, note %q:\n%s\nreads back as %q", value, note, data, got)
		}
		if utf8.ValidString(value) && utf8.ValidString(note) && !utf8.Valid(data) {
			t.Errorf("valid input made invalid UTF-8:\n%q", data)
		}
	})
}
