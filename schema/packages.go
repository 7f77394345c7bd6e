package schema

import (
	"path/filepath"

	"cuelang.org/go/cue/parser"
)

// checkPackages: every .cue file in the source belongs to the platform.
// CUE loads only the files of the package it is asked for and skips the
// others without a word, so a file whose package clause has a typo (or
// none) would drop every service in it from every output.
func checkPackages(src *Source) Diagnostics {
	var ds Diagnostics
	for _, name := range src.Names {
		path := filepath.Join(src.Dir, name)
		rel := filepath.ToSlash(filepath.Join(SourceDir, name))
		f, err := parser.ParseFile(path, src.Data[name], parser.PackageClauseOnly)
		if err != nil {
			continue // the load reports the syntax error, at its place
		}
		pkg := f.PackageName()
		if pkg == PackageName {
			continue
		}
		if pkg == "" {
			ds.Errorf(Pos{File: rel, Line: 1, Col: 1}, nil, "%s has no package clause, so it is not part of the platform; start it with `package %s`", rel, PackageName)
			continue
		}
		pos := Pos{File: rel, Line: 1, Col: 1}
		for _, d := range f.Decls {
			if p := d.Pos(); p.IsValid() {
				pos.Line, pos.Col = p.Line(), p.Column()
				break
			}
		}
		ds.Errorf(pos, nil, "%s declares package %s, so it is not part of the platform; every .cue file in %s/ must declare `package %s`%s", rel, pkg, SourceDir, PackageName, suggest(pkg, []string{PackageName}))
	}
	return ds
}
