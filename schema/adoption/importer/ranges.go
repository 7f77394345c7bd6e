package importer

import (
	"fmt"
	"sort"

	"portschema/schema"
)

// assignRanges puts every service in a range. With a port doc, a
// service takes the range holding its port; a port outside every range
// keeps its doc row's range (or the nearest one) with an exception that
// says why. Without a doc, import creates a range per hundred ports in
// use. Services that listen on no known port get a placeholder slot in
// a range of their own, unpublished.
func (b *builder) assignRanges() {
	if len(b.src.Platform.Ranges) == 0 {
		b.blockRanges()
	}
	b.placeholderRange()
	for _, s := range b.svcs {
		if s.Range != "" {
			continue
		}
		if r := b.rangeOf(s.Port); r != nil {
			s.Range = r.Name
			b.plan(s)
			continue
		}
		r := b.nearestRange(s.Port)
		if s.docRow != nil && s.docRow.Range != nil {
			r = s.docRow.Range
		}
		s.Range = r.Name
		if b.plan(s) {
			continue
		}
		s.Exception = fmt.Sprintf("imported: port %d lies outside every range of the port plan", s.Port)
		if s.docRow != nil && s.docRow.Range == r {
			s.Exception = fmt.Sprintf("imported: the port doc lists it in %d-%d, which does not hold %d", r.From, r.To, s.Port)
		}
		b.finding("outside-range", s.pos, "%s: port %d is in no range; it is put in %s with an exception", s.Name, s.Port, r.Name)
	}
}

// plan sets the planned slot from the doc row when the row's port
// differs and lies in the row's range; it reports whether the slot
// makes a port outside its range acceptable.
func (b *builder) plan(s *svc) bool {
	row := s.docRow
	if row == nil || row.Port == s.Port || row.Range == nil || !row.Range.Contains(row.Port) {
		return false
	}
	p := &schema.Planned{Port: row.Port}
	if row.Range.Name != s.Range {
		p.Range = row.Range.Name
	}
	s.Planned = p
	s.Notes.Add("planned", fmt.Sprintf("the port doc plans %d (%s)", row.Port, where(row.Pos)))
	return true
}

func (b *builder) rangeOf(port int) *schema.Range {
	for _, r := range b.src.Platform.Ranges {
		if r.Contains(port) {
			return r
		}
	}
	return nil
}

// nearestRange is the range closest to port (ranges are never empty
// here: the placeholder range always exists).
func (b *builder) nearestRange(port int) *schema.Range {
	var best *schema.Range
	bestD := 1 << 30
	for _, r := range b.src.Platform.Ranges {
		d := r.From - port
		if port > r.To {
			d = port - r.To
		}
		if d < bestD {
			best, bestD = r, d
		}
	}
	return best
}

// blockRanges creates one range per hundred ports in use.
func (b *builder) blockRanges() {
	blocks := map[int]bool{}
	for _, s := range b.svcs {
		if !s.portless {
			blocks[s.Port/100*100] = true
		}
	}
	var starts []int
	for from := range blocks {
		starts = append(starts, from)
	}
	sort.Ints(starts)
	for _, from := range starts {
		lo := max(from, 1)
		to := min(from+99, 65535)
		r := &schema.Range{Name: b.rangeNames.claim(fmt.Sprintf("ports-%d", from)), From: lo, To: to,
			Purpose: fmt.Sprintf("Ports %d-%d", lo, to)}
		b.rangeNotes(r).Add("", "Created by import: no port doc was given. Rename it and say what it is for.")
		b.src.Platform.Ranges = append(b.src.Platform.Ranges, r)
	}
}

// placeholderRange gives services without a known port a slot each, in
// a free block of high ports, unpublished.
func (b *builder) placeholderRange() {
	var portless []*svc
	for _, s := range b.svcs {
		if s.portless {
			portless = append(portless, s)
		}
	}
	if len(portless) == 0 {
		return
	}
	size := max(100, (len(portless)+99)/100*100)
	from := b.freeBlock(size)
	if from == 0 {
		for _, s := range portless {
			s.portless = false
			s.Port, s.ContainerPort = 65535, 65535
			s.Publish = false
		}
		return
	}
	r := &schema.Range{Name: b.rangeNames.claim("no-port"), From: from, To: from + size - 1,
		Purpose: "Services that listen on no port: placeholder slots"}
	b.rangeNotes(r).Add("", "Created by import for services whose inputs name no port (workers, one-shot jobs).")
	b.src.Platform.Ranges = append(b.src.Platform.Ranges, r)
	for i, s := range portless {
		s.Port, s.ContainerPort, s.Publish, s.Range = from+i, from+i, false, r.Name
		s.Notes.Add("port", "placeholder: no input says which port this service uses; it is not published")
		s.portless = false
	}
}

// freeBlock finds size free ports from 60000 down, then from 1024 up,
// overlapping no range and no port in use; 0 when there is none.
func (b *builder) freeBlock(size int) int {
	used := map[int]bool{}
	for _, s := range b.svcs {
		if !s.portless {
			used[s.Port] = true
		}
	}
	free := func(from int) bool {
		if from < 1 || from+size-1 > 65535 {
			return false
		}
		for _, r := range b.src.Platform.Ranges {
			if from <= r.To && r.From <= from+size-1 {
				return false
			}
		}
		for p := from; p < from+size; p++ {
			if used[p] {
				return false
			}
		}
		return true
	}
	for from := 60000; from >= 1100; from -= 100 {
		if free(from) {
			return from
		}
	}
	for from := 60100; from+size-1 <= 65535; from += 100 {
		if free(from) {
			return from
		}
	}
	return 0
}
