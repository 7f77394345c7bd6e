package stamp

import (
	"path/filepath"

	"portschema/generators"
	"portschema/schema/memo"
	"portschema/schema/readfile"
)

// Holds reports whether the stamp of the last run vouches for the tree
// at root as it is now, so that a check may skip the pipeline: the same
// source, root and tool (tool names the running binary, see
// ToolIdentity), and every recorded file with its recorded bytes.
func Holds(root, tool string) bool {
	_, ok := Current(root, tool)
	return ok
}

// Written reports whether the stamp vouches for the tree at root as a
// regen would leave it, and how many outputs it holds: as Holds, with
// every output on disk (a check stamps a missing local output as
// absent, which a regen would write). A regen it vouches for has
// nothing to do.
func Written(root, tool string) (int, bool) {
	s, ok := Current(root, tool)
	if !ok {
		return 0, false
	}
	for _, f := range s.Outputs {
		if f.Sum == "" {
			return 0, false
		}
	}
	return len(s.Outputs), true
}

// Current returns the stamp of the last run if it vouches for the tree
// at root as it is now (see Holds).
func Current(root, tool string) (Stamp, bool) {
	var s Stamp
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return s, false
	}
	file := Path(absRoot)
	if file == "" {
		return s, false
	}
	data, err := readfile.Regular(file)
	if err != nil {
		return s, false
	}
	if s.UnmarshalText(data) != nil {
		return s, false
	}
	digest, err := SourceDigest(absRoot)
	if err != nil || s.Key != Key(absRoot, digest, tool) {
		return s, false
	}
	return s, Verify(absRoot, s)
}

// Save records that the tree is up to date with what a run built: its
// changes as a write made them (written) or as a comparison found them,
// and the other files its rules read. A stamp that cannot be written
// only costs the next check its shortcut.
func Save(res *generators.Result, tool string, written bool) {
	p := res.Platform
	file := Path(p.Root)
	key := Key(p.Root, Digest(p.Source), tool)
	if file == "" || key == "" {
		return
	}
	s := Of(key, res.Changes, written)
	for _, in := range res.Inputs {
		f := File{Path: in.Path}
		if in.Exists {
			f = FileOf(in.Path, in.Data)
		}
		s.Inputs = append(s.Inputs, f)
	}
	data, err := s.MarshalText()
	if err != nil {
		return
	}
	memo.WriteAtomic(file, data) // a stamp that cannot be written is no stamp
}
