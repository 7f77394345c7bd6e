package output

// Ending is what a run does with the files it generated: the one
// difference between the commands that build outputs.
type Ending int

const (
	// Discard keeps the files in memory only (vet).
	Discard Ending = iota
	// Compare reports how the disk differs and writes nothing (check).
	Compare
	// Write makes the disk match (regen).
	Write
)

// A Sink is an ending in progress: it is handed each generator's files
// as soon as they are final (Ready), then the complete, checked set
// (Finish). How it uses the early files is its own business: a write
// stages them on disk while the other generators still run.
type Sink struct {
	tree   *Tree
	ending Ending
	writer *writer // for Write
}

// Open starts an ending on the tree. A write takes the root's lock
// until Close. The caller must Close the Sink.
func (t *Tree) Open(e Ending) (*Sink, error) {
	s := &Sink{tree: t, ending: e}
	if e == Write {
		w, err := t.begin()
		if err != nil {
			return nil, err
		}
		s.writer = w
	}
	return s, nil
}

// Ready hands over files whose contents are final; it may be called
// from several goroutines.
func (s *Sink) Ready(files []File) {
	if s.writer != nil {
		s.writer.stage(files)
	}
}

// Finish ends the run with every generated file: Write writes them (see
// Tree.Write) and Compare compares them (see Tree.Plan), each returning
// the changes; Discard returns none.
func (s *Sink) Finish(files []File) ([]Change, error) {
	switch s.ending {
	case Write:
		return s.writer.commit(files)
	case Compare:
		return s.tree.Plan(files)
	}
	return nil, nil
}

// Close releases what the ending holds: files staged and not used, the
// lock.
func (s *Sink) Close() {
	if s.writer != nil {
		s.writer.close()
	}
}
