package platformdiff

import (
	"bytes"
	pathpkg "path"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/diff"

	"portschema/generators/output"
	"portschema/schema"
	"portschema/schema/review/derived"
)

// line is a line of a generated file that a change removed or added,
// with its context: the lines it lies under (its YAML parents, or the
// comment or heading that opens its paragraph) and the file's name.
type line struct {
	number  int
	text    string
	context []string
}

// compareFiles lists the generated files that differ, with the lines
// each side has that the other lacks.
func compareFiles(old, new []output.File) []File {
	oldBy := map[string][]byte{}
	for _, f := range old {
		oldBy[f.Path] = f.Data
	}
	var out []File
	for _, f := range new {
		before, ok := oldBy[f.Path]
		delete(oldBy, f.Path)
		switch {
		case !ok:
			out = append(out, File{Path: f.Path, Kind: "added", addedLs: withContext(f.Path, f.Data, allLines(f.Data))})
		case !bytes.Equal(before, f.Data):
			removed, added := changedLines(before, f.Data)
			out = append(out, File{Path: f.Path, Kind: "changed",
				removed: withContext(f.Path, before, removed), addedLs: withContext(f.Path, f.Data, added)})
		}
	}
	for path, data := range oldBy {
		out = append(out, File{Path: path, Kind: "removed", removed: withContext(path, data, allLines(data))})
	}
	for i := range out {
		out[i].Added, out[i].Removed = len(out[i].addedLs), len(out[i].removed)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func allLines(data []byte) []line {
	var out []line
	for i, text := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		out = append(out, line{number: i + 1, text: text})
	}
	return out
}

// withContext fills in the context of each of ls, lines of data, in one
// pass over the file.
func withContext(path string, data []byte, ls []line) []line {
	if len(ls) == 0 {
		return ls
	}
	name := strings.TrimSuffix(pathpkg.Base(path), pathpkg.Ext(path))
	yaml := strings.HasSuffix(path, ".yml") || strings.HasSuffix(path, ".yaml")
	want := map[int]int{}
	for i, l := range ls {
		want[l.number] = i
	}
	type open struct {
		indent int
		text   string
	}
	var stack []open
	opener := ""
	for n, text := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(text)
		indent := len(text) - len(strings.TrimLeft(text, " "))
		if yaml && trimmed != "" && !strings.HasPrefix(trimmed, "#") {
			for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
				stack = stack[:len(stack)-1]
			}
		}
		if i, ok := want[n+1]; ok {
			ctx := []string{name}
			if yaml {
				for _, o := range stack {
					ctx = append(ctx, o.text)
				}
			} else if opener != "" {
				ctx = append(ctx, opener)
			}
			ls[i].context = ctx
		}
		switch {
		case trimmed == "":
			opener = ""
		case yaml && !strings.HasPrefix(trimmed, "#"):
			stack = append(stack, open{indent, text})
		case opener == "" && strings.HasPrefix(trimmed, "#"):
			opener = text
		}
	}
	return ls
}

// changedLines reads the removed and added lines, with their numbers on
// their own side, out of a unified diff of the two texts.
func changedLines(old, new []byte) (removed, added []line) {
	var o, n int
	for _, l := range strings.Split(string(diff.Diff("old", old, "new", new)), "\n") {
		switch {
		case strings.HasPrefix(l, "@@ "):
			o, n = hunkStart(l)
		case strings.HasPrefix(l, "---"), strings.HasPrefix(l, "+++"):
		case strings.HasPrefix(l, "-"):
			removed = append(removed, line{number: o, text: l[1:]})
			o++
		case strings.HasPrefix(l, "+"):
			added = append(added, line{number: n, text: l[1:]})
			n++
		case strings.HasPrefix(l, " "):
			o, n = o+1, n+1
		}
	}
	return removed, added
}

// hunkStart reads "@@ -o,l +n,l @@".
func hunkStart(header string) (old, new int) {
	fields := strings.Fields(header)
	if len(fields) < 3 {
		return 0, 0
	}
	start := func(f string) int {
		f, _, _ = strings.Cut(f[1:], ",")
		n, _ := strconv.Atoi(f)
		return n
	}
	return start(fields[1]), start(fields[2])
}

// attribute fills in, for every change, the generated files whose
// changed lines show it, and for every file the changes it shows: those
// to services, hosts and ranges, or where none shows, the other items.
func (d *Diff) attribute(old, new *schema.Platform) {
	type cause struct {
		label   string
		files   *[]string
		marks   []string
		primary bool
		// owner are the marks of the service the item belongs to, which
		// a line showing it must lie in.
		owner []string
		// known is set when the files are known already.
		known bool
	}
	var causes []cause
	for i := range d.Services.Added {
		s := &d.Services.Added[i]
		causes = append(causes, cause{s.Name, &s.Files, derived.Marks(new, new.Service(s.Name)), true, nil, false})
	}
	for i := range d.Services.Removed {
		s := &d.Services.Removed[i]
		causes = append(causes, cause{s.Name, &s.Files, derived.Marks(old, old.Service(s.Name)), true, nil, false})
	}
	for i := range d.Services.Changed {
		c := &d.Services.Changed[i]
		causes = append(causes, cause{c.Name, &c.Files, c.marks, true, nil, false})
	}
	for _, k := range d.kinds() {
		primary := k.changes == &d.Hosts || k.changes == &d.Ranges
		for _, cs := range []*[]Change{&k.changes.Added, &k.changes.Removed, &k.changes.Changed} {
			for i := range *cs {
				c := &(*cs)[i]
				var owner []string
				if k.changes == &d.Env {
					owner = serviceMarks(old, new, c.Of)
				}
				causes = append(causes, cause{c.Label(), &c.Files, c.marks, primary, owner, c.known})
			}
		}
	}
	marks, owners := derived.NewIndex(), derived.NewIndex()
	for id, c := range causes {
		if c.known {
			continue
		}
		for _, m := range c.marks {
			marks.Add(m, id)
		}
		for _, m := range c.owner {
			owners.Add(m, id)
		}
	}
	for fi := range d.Files {
		f := &d.Files[fi]
		shown := showing(f, marks, owners, func(id int) bool { return causes[id].owner != nil })
		var primary, other []string
		for id, c := range causes {
			if c.known {
				if !slices.Contains(*c.files, f.Path) {
					continue
				}
			} else if !shown[id] {
				continue
			} else {
				*c.files = append(*c.files, f.Path)
			}
			if c.primary {
				primary = appendNew(primary, c.label)
			} else {
				other = appendNew(other, c.label)
			}
		}
		f.Causes = primary
		if len(primary) == 0 {
			f.Causes = other
		}
	}
}

// showing finds the causes a file's changed lines show: a mark of the
// cause in the line or its context and, for a cause with an owner, a
// mark of the owner there too. Contexts repeat from line to line, so
// what each one mentions is looked up once.
func showing(f *File, marks, owners *derived.Index, owned func(id int) bool) map[int]bool {
	memo := map[string]mentioned{}
	lookup := func(text string) mentioned {
		if r, ok := memo[text]; ok {
			return r
		}
		r := mentioned{map[int]bool{}, map[int]bool{}}
		marks.Each(text, func(id int) { r.marks[id] = true })
		owners.Each(text, func(id int) { r.owners[id] = true })
		memo[text] = r
		return r
	}
	shown := map[int]bool{}
	for _, ls := range [][]line{f.removed, f.addedLs} {
		for _, l := range ls {
			parts := []mentioned{lookup(l.text)}
			for _, c := range l.context {
				parts = append(parts, lookup(c))
			}
			for _, p := range parts {
				for id := range p.marks {
					if shown[id] {
						continue
					}
					if !owned(id) || ownerIn(parts, id) {
						shown[id] = true
					}
				}
			}
		}
	}
	return shown
}

// appendNew appends s unless it is already there.
func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// mentioned are the causes a text names by their marks, and by their
// owners' marks.
type mentioned struct{ marks, owners map[int]bool }

// ownerIn reports whether one of the parts of a line mentions the
// owner of cause id.
func ownerIn(parts []mentioned, id int) bool {
	for _, p := range parts {
		if p.owners[id] {
			return true
		}
	}
	return false
}

// serviceMarks are the marks of a service on either side.
func serviceMarks(old, new *schema.Platform, name string) []string {
	var out []string
	for _, p := range []*schema.Platform{old, new} {
		if s := p.Service(name); s != nil {
			out = append(out, derived.Marks(p, s)...)
		}
	}
	return out
}
