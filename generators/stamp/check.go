package stamp

import (
	"path/filepath"

	"portschema/generators"
	"portschema/schema/readfile"
)

// Holds reports whether the stamp of the last run vouches for the tree
// at root as it is now, so that a check may skip the pipeline: the same
// source, root and tool (tool names the running binary, see
// ToolIdentity), and every recorded file with its recorded bytes.
func Holds(root, tool string) bool {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return false
	}
	file := Path(absRoot)
	if file == "" {
		return false
	}
	data, err := readfile.Regular(file)
	if err != nil {
		return false
	}
	var s Stamp
	if s.UnmarshalText(data) != nil {
		return false
	}
	digest, err := SourceDigest(absRoot)
	if err != nil || s.Key != Key(absRoot, digest, tool) {
		return false
	}
	return Verify(absRoot, s)
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
	writeAtomic(file, data)
}
