package search

import "slices"

// extraRanks numbers the Han characters a builder's narrow keys cannot
// rank by hanRank (those past the BMP): from hanRanks on, in the order
// met, then, when the batch ends, in code point order (order), as a
// key's order must be its term's. runBuilder and posBuilder share it.
type extraRanks struct {
	chars []rune          // by rank less hanRanks
	rank  map[rune]uint64 // the rank of each
}

func (e *extraRanks) reset() {
	e.chars = e.chars[:0]
	clear(e.rank)
}

// rankOf is r's rank: its hanRank, or one from hanRanks on; ok is false
// when r needs a new rank and limit is reached.
func (e *extraRanks) rankOf(r rune, limit int) (uint64, bool) {
	if x, ok := hanRank(r); ok {
		return x, true
	}
	if x, ok := e.rank[r]; ok {
		return x, true
	}
	if hanRanks+len(e.chars) >= limit {
		return 0, false
	}
	if e.rank == nil {
		e.rank = map[rune]uint64{}
	}
	x := uint64(hanRanks + len(e.chars))
	e.chars = append(e.chars, r)
	e.rank[r] = x
	return x, true
}

// charOf is the character of a rank (hanRank's inverse, or an extra
// one's).
func (e *extraRanks) charOf(x uint64) rune {
	switch {
	case x >= hanRanks:
		return e.chars[x-hanRanks]
	case x == 0:
		return 0x3007
	case x <= 0x19C0:
		return rune(x-1) + 0x3400
	case x <= 0x19C0+0x5200:
		return rune(x-1-0x19C0) + 0x4E00
	}
	return rune(x-1-0x19C0-0x5200) + 0xF900
}

// order renumbers the extra ranks in code point order and returns the
// new rank of each old one less hanRanks (to rewrite the keys made
// with them), or nil when they already are in order.
func (e *extraRanks) order() []uint64 {
	if slices.IsSorted(e.chars) {
		return nil
	}
	sorted := slices.Clone(e.chars)
	slices.Sort(sorted)
	to := make([]uint64, len(e.chars))
	for i, r := range sorted {
		to[e.rank[r]-hanRanks] = hanRanks + uint64(i)
		e.rank[r] = hanRanks + uint64(i)
	}
	e.chars = sorted
	return to
}
