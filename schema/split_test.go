package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"cuelang.org/go/cue/scanner"
	"cuelang.org/go/cue/token"

	"portschema/schema/memo"
	"portschema/schema/synthetic"
)

// extraServices declares services in the other forms a split must
// cut correctly: a braced struct of several, separated by commas and
// newlines, with a pattern constraint every part keeps, and a reference
// to a top-level hidden field.
const extraServices = `package platform

_batchRange: "exporters"

services: {
	"extra-a": {host: "batch", port: 9120, range: _batchRange}, "extra-b": {host: "batch", port: 9121, range: _batchRange}
	"extra-c": {
		host:  "batch"
		port:  9122
		range: _batchRange
	},
	[=~"^extra-"]: description: "declared in a braced struct"
}
`

// splitSource writes a source large enough to be split.
func splitSource(t *testing.T, extra string) string {
	t.Helper()
	root := t.TempDir()
	if err := synthetic.Write(root, splitAt+20); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, SourceDir, "extra.cue"), []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// wholeAndSplit evaluates the source of root both ways.
func wholeAndSplit(t *testing.T, root string) (whole *Platform, wholeErr error, split *Platform, splitErr error) {
	t.Helper()
	abs, _ := filepath.Abs(root)
	src, err := readSource(filepath.Join(abs, SourceDir))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := loadInstance(src)
	if err != nil {
		t.Fatal(err)
	}
	if planSplit(src, parsePlain(src)) == nil {
		t.Fatal("the source is not split")
	}
	shape, err := SourceShape()
	if err != nil {
		t.Fatal(err)
	}
	ix := newPositionIndex(abs, inst.Files, shape)
	data, _, wholeErr := evaluateWhole(abs, ix, inst)
	if wholeErr == nil {
		if whole, err = decode([][]byte{data}, ix, nil); err != nil {
			t.Fatal(err)
		}
	}
	split, splitErr = Load(root)
	return whole, wholeErr, split, splitErr
}

// A split source gives the model the whole source gives, whether its
// parts are built from the parsed syntax or, where a file with services
// refers to its own top level, parsed from their bytes.
func TestSplitLoadIsTheWholeLoad(t *testing.T) {
	withoutFileScope := strings.NewReplacer("_batchRange: \"exporters\"\n", "", "_batchRange", `"exporters"`).Replace(extraServices)
	for name, extra := range map[string]string{"from the bytes": extraServices, "from the syntax": withoutFileScope} {
		t.Run(name, func(t *testing.T) { splitLoadIsTheWholeLoad(t, extra, name == "from the syntax") })
	}
}

func splitLoadIsTheWholeLoad(t *testing.T, extra string, fromSyntax bool) {
	root := splitSource(t, extra)
	src, err := readSource(filepath.Join(root, SourceDir))
	if err != nil {
		t.Fatal(err)
	}
	if plan := planSplit(src, parsePlain(src)); plan == nil || (plan.syntax != nil) != fromSyntax {
		t.Fatalf("the parts are not built as meant (from the syntax: %v)", fromSyntax)
	}
	whole, werr, split, serr := wholeAndSplit(t, root)
	if werr != nil || serr != nil {
		t.Fatalf("whole: %v\nsplit: %v", werr, serr)
	}
	if len(split.Services) != splitAt+20+1+3 {
		t.Errorf("the split load has %d services", len(split.Services))
	}
	if s := split.Service("extra-b"); s == nil || s.Description != "declared in a braced struct" || s.Range != "exporters" {
		t.Errorf("extra-b = %+v", s)
	}
	// The fields only Load sets, and the warnings validate adds.
	whole.Root, whole.Source, whole.SourceFiles = split.Root, split.Source, split.SourceFiles
	_, whole.Warnings = validate(whole, nil)
	if !reflect.DeepEqual(whole, split) {
		for _, s := range whole.Services {
			if o := split.Service(s.Name); !reflect.DeepEqual(s, o) {
				t.Errorf("service %s:\nwhole %+v\nsplit %+v", s.Name, s, o)
				break
			}
		}
		t.Fatal("the split load differs from the whole load")
	}
}

// A source with errors is evaluated whole, so its diagnostics are those
// of the whole source.
func TestSplitSourceWithErrorsReportsAsWhole(t *testing.T) {
	bad := strings.Replace(extraServices, "port: 9121", "port: 70000", 1)
	bad = strings.Replace(bad, "range: _batchRange\n\t},", "range: _batchRange\n\t\tbogus: 1\n\t},", 1)
	root := splitSource(t, bad)
	_, werr, _, serr := wholeAndSplit(t, root)
	if werr == nil || serr == nil {
		t.Fatalf("whole: %v\nsplit: %v", werr, serr)
	}
	if werr.Error() != serr.Error() {
		t.Errorf("diagnostics differ:\nwhole: %v\nsplit: %v", werr, serr)
	}
	for _, want := range []string{`extra.cue:6:95: services."extra-b".port: a port is a whole number from 1 to 65535; got 70000`, `extra.cue:11:3: services.extra-c: unknown field "bogus"; allowed: host, port,`} {
		if !strings.Contains(serr.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, serr)
		}
	}
}

// Only sources whose services cannot see each other are split.
func TestPlanPartsRefusesDependentSources(t *testing.T) {
	const plain = `package platform
services: x: {host: "h", port: 1, range: "r"}
`
	cases := []struct {
		name, src string
		split     bool
	}{
		{"plain services", plain, true},
		{"braced services and a pattern constraint", `package platform
services: {a: {port: 1}, b: {port: 2}
	[string]: range: "r"
}`, true},
		{"references to other entities", plain + `hosts: h: title: "t"
_r: "r"
services: y: {host: hosts.h.title, range: _r}`, true},
		{"a reference to services", plain + `hosts: h: title: services.x.host`, false},
		{"a let naming services", plain + `let s = services
hosts: h: title: s.x.host`, false},
		{"a service naming a sibling", `package platform
services: {x: {port: 1}, y: x & {port: 2}}`, false},
		{"an alias of a service", `package platform
services: {X="x": {port: 1}, y: {port: X.port}}`, false},
		{"a hidden field among the services", `package platform
services: {_base: {port: 1}, y: _base}`, false},
		{"a comprehension among the services", `package platform
services: {for n in ["a"] {(n): {port: 1}}}`, false},
		{"a dynamic service name", `package platform
services: {("x"): {port: 1}}`, false},
		{"computed services", `package platform
services: close({x: {port: 1}})`, false},
		{"optional services", `package platform
services?: {x: {port: 1}}`, false},
		{"a top-level embedding", `package platform
{services: x: port: 1}`, false},
		{"a top-level pattern", `package platform
[=~"^s"]: x: port: 1`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), SourceDir)
			os.MkdirAll(dir, 0o755)
			if err := os.WriteFile(filepath.Join(dir, "s.cue"), []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			src, err := readSource(dir)
			if err != nil {
				t.Fatal(err)
			}
			inst, err := loadInstance(src)
			if err != nil || inst.Err != nil {
				t.Fatal(err, inst.Err)
			}
			if got := planParts(inst.Files) != nil; got != c.split {
				t.Errorf("split = %v, want %v", got, c.split)
			}
		})
	}
}

// A part keeps exactly its own services, whatever the form they are
// declared in, and everything else.
func TestPartKeepsItsServicesOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), SourceDir)
	os.MkdirAll(dir, 0o755)
	const source = `package platform
services: {a: {port: 1}, b: {port: 2},
	c: {port: 3}
	e: {port: 5}, [string]: {host: "h", range: "r"}
}
services: d: port: 4
other: 1
platform: name: "p"
`
	if err := os.WriteFile(filepath.Join(dir, "s.cue"), []byte(source), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := readSource(dir)
	if err != nil {
		t.Fatal(err)
	}
	inst, _ := loadInstance(src)
	plan := planParts(inst.Files)
	if plan == nil {
		t.Fatal("the source cannot be split")
	}
	part := map[string]int{"a": 0, "b": 1, "c": 0, "d": 1, "e": 1}
	for i, want := range []string{"a c", "b d e"} {
		data, err := evaluatePart(src, plan.only(src, part, i), false)
		if err != nil {
			t.Fatalf("part %d: %v\n%s", i, err, plan.only(src, part, i)["s.cue"])
		}
		var got struct {
			Services map[string]struct{ Host string }
			Other    int
		}
		if err := json.Unmarshal(data, &got); err != nil {
			t.Fatal(err)
		}
		var names []string
		for name, s := range got.Services {
			names = append(names, name)
			if s.Host != "h" {
				t.Errorf("part %d: %s lost the pattern constraint", i, name)
			}
		}
		sort.Strings(names)
		if strings.Join(names, " ") != want || got.Other != 1 {
			t.Errorf("part %d has services %v and other %d, want %s and 1", i, names, got.Other, want)
		}
	}
}

// Parts are even and bounded: every service is in exactly one part,
// no part holds more than one service over another (the cores finish
// together), none holds half as many again as partSize says (what the
// parts evaluated at once hold is bounded), and there are two parts
// from two services on, so that both cores work.
func TestPartsAreEvenAndBounded(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 49, 149, 150, 151, 249, 250, 251, 500, 999, 1000, 1001, 4000, 6001, 10049, 10050, 12345} {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("svc-%05d", i)
		}
		part, parts := partition(names)
		if len(part) != n {
			t.Errorf("%d services: %d are in a part", n, len(part))
			continue
		}
		if want := min(n, 2); parts < want {
			t.Errorf("%d services in %d parts, want at least %d", n, parts, want)
		}
		sizes := make([]int, parts)
		for _, name := range names {
			i := part[name]
			if i < 0 || i >= parts {
				t.Fatalf("%d services: %s is in part %d of %d", n, name, i, parts)
			}
			sizes[i]++
		}
		if n == 0 {
			continue
		}
		if lo, hi := slices.Min(sizes), slices.Max(sizes); hi-lo > 1 || hi > partSize(n)*3/2 {
			t.Errorf("%d services: parts of %d to %d services, want within one of each other and at most %d", n, lo, hi, partSize(n)*3/2)
		}
	}
}

// Only plain files are parsed for the split: a file of another package
// or with a file attribute (which decides whether CUE loads it at all)
// leaves the source to CUE's loader, which treats it as CUE does.
func TestOnlyPlainFilesAreParsedForTheSplit(t *testing.T) {
	for name, extra := range map[string]string{
		"plain":         "package platform\n",
		"other package": "package other\nx: 1\n",
		"attribute":     "@if(never)\npackage platform\nservices: never: {host: \"nowhere\"}\n",
		"syntax error":  "package platform\nservices: {\n",
	} {
		root := splitSource(t, extra)
		src, err := readSource(filepath.Join(root, SourceDir))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := parsePlain(src) != nil, name == "plain"; got != want {
			t.Errorf("%s: parsed for the split = %v, want %v", name, got, want)
		}
	}
}

// A file that appears after the source was read is no part of the
// evaluation: the parts are built from the files read, in both ways a
// part is built (from the parsed syntax, and from its bytes when a file
// refers to its own top level), and never read the directory again.
func TestFileAppearingDuringTheLoadIsNotEvaluated(t *testing.T) {
	for name, extra := range map[string]string{"from the syntax": "package platform\n", "from the bytes": extraServices} {
		root := splitSource(t, extra)
		src, err := readSource(filepath.Join(root, SourceDir))
		if err != nil {
			t.Fatal(err)
		}
		plan := planSplit(src, parsePlain(src))
		if plan == nil {
			t.Fatal("the source is not split")
		}
		if got, want := plan.syntax != nil, name == "from the syntax"; got != want {
			t.Fatalf("%s: parts built from the syntax = %v", name, got)
		}
		late := "package platform\nservices: \"late-one\": {host: \"nowhere\"}\n"
		if err := os.WriteFile(filepath.Join(root, SourceDir, "late.cue"), []byte(late), 0o644); err != nil {
			t.Fatal(err)
		}
		docs, _, ok := plan.evaluate(src, memo.Store{}, nil)
		if !ok {
			t.Fatalf("%s: a part failed", name)
		}
		for _, doc := range docs {
			if strings.Contains(string(doc), "late-one") {
				t.Errorf("%s: a part evaluated the file that appeared after the source was read", name)
			}
		}
	}
}

// A part parses the same tokens without its blank and comment lines: on
// every file of this project's platform, of a synthetic one, and on
// texts where // is no comment (in strings, in multi-line strings,
// after code).
func TestCodeLinesKeepsEveryToken(t *testing.T) {
	files := map[string][]byte{
		"tricky.cue": []byte("package platform\n// a comment\n\t  // indented\r\nx: \"http://a//b\" // after code\ny: 'b//c'\n//\nz: [\n// in a list\n1]\n// last, no newline"),
		"multi.cue":  []byte("package platform\nm: \"\"\"\n\t// text, not a comment\n\t\"\"\"\n// a comment\n"),
		"attr.cue":   []byte("package platform\na: 1 @tag(x)\n// a comment\n"),
	}
	own, _ := filepath.Glob("*.cue")
	root := t.TempDir()
	if err := synthetic.Write(root, 50); err != nil {
		t.Fatal(err)
	}
	generated, _ := filepath.Glob(filepath.Join(root, SourceDir, "*.cue"))
	for _, name := range append(own, generated...) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = data
	}
	stripped := 0
	for name, data := range files {
		out := codeLines(data)
		if got, want := tokens(t, out), tokens(t, data); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: tokens without comment lines\n%q\nwant\n%q", name, got, want)
		}
		if len(out) < len(data) {
			stripped++
		}
	}
	if !bytes.Contains(codeLines(files["multi.cue"]), []byte("// text")) {
		t.Error("a file with a multi-line string lost a line of it")
	}
	if stripped < 3 {
		t.Errorf("only %d files lost comment lines", stripped)
	}
}

// tokens are the tokens of a file, comments left out, as text.
func tokens(t *testing.T, data []byte) []string {
	t.Helper()
	var s scanner.Scanner
	s.Init(token.NewFile("f.cue", -1, len(data)), data, func(_ token.Pos, msg string, _ []any) {
		t.Fatalf("scanning: %s", msg)
	}, 0)
	var out []string
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			return out
		}
		out = append(out, tok.String()+" "+lit)
	}
}
