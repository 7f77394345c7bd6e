package derived

// Index finds which of many marks stand as whole words in a line (see
// Mentions), in time that grows with the line, not with the number of
// marks: what a diff of thousands of services needs, where testing
// every mark against every changed line would be quadratic.
type Index struct {
	ids map[string][]int
	// longest is the length of the longest mark.
	longest int
}

// NewIndex returns an empty index.
func NewIndex() *Index { return &Index{ids: map[string][]int{}} }

// Add files mark under id; a mark may be filed under several ids.
func (x *Index) Add(mark string, id int) {
	if mark == "" {
		return
	}
	x.ids[mark] = append(x.ids[mark], id)
	x.longest = max(x.longest, len(mark))
}

// Each calls fn with the id of every mark that stands in line, once per
// occurrence.
func (x *Index) Each(line string, fn func(id int)) {
	for i := 0; i < len(line); i++ {
		if !wordStart(line, i) || !markByte(line[i]) {
			continue
		}
		for j := i + 1; j <= len(line) && j-i <= x.longest && markByte(line[j-1]); j++ {
			if !wordEnd(line, j) {
				continue
			}
			for _, id := range x.ids[line[i:j]] {
				fn(id)
			}
		}
	}
}

// markByte reports whether b can be part of a mark: a name, a hostname,
// an address with its port.
func markByte(b byte) bool {
	return nameByte(b) || b == '.' || b == ':' || b == '[' || b == ']'
}
