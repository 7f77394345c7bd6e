package schema

// At returns the position of a field path of the prometheus block.
func (pr *Prometheus) At(path string) Pos { return lookupPos(pr.Pos, path) }

// At returns the position of a field path of the outputs block.
func (o Outputs) At(path string) Pos { return lookupPos(o.Pos, path) }
