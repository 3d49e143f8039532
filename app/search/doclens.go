package search

import "context"

// docLens holds the lengths of a segment's documents, packed, filled a
// doc-table chunk at a time: ranking bounds a document's score by its
// length before it reads anything else of it, and a document's entry
// (docInfo, some 80 bytes and strings) costs a cache miss of its own
// where 16 lengths share a cache line. Most documents of a common
// term's list are bounded out there (rank.go).
type docLens struct {
	lens   []uint32 // by document
	filled []bool   // by chunk
}

// docLen returns the length of document d of a local segment.
func (ix *Index) docLen(ctx context.Context, s *segment, d uint32) (uint32, error) {
	c := d / docChunkSize
	if int(c) < len(s.lens.filled) && s.lens.filled[c] {
		return s.lens.lens[d], nil
	}
	return ix.fillLens(ctx, s, d)
}

// fillLens fills the lengths of d's chunk (decoding it if it is not)
// and returns d's.
func (ix *Index) fillLens(ctx context.Context, s *segment, d uint32) (uint32, error) {
	info, err := ix.docInfo(ctx, s, d)
	if err != nil {
		return 0, err
	}
	l := &s.lens
	if l.filled == nil {
		l.lens, l.filled = make([]uint32, s.hdr.docs), make([]bool, len(s.chunks))
	}
	c := d / docChunkSize
	for i, e := range s.chunks[c] {
		l.lens[int(c)*docChunkSize+i] = e.length
	}
	l.filled[c] = true
	return info.length, nil
}

// bounded reports whether document d of local segment s, its parts
// occurring at most f[i] times, cannot be among r's k best (below),
// and then counts it.
func (ix *Index) bounded(ctx context.Context, s *segment, d uint32, r *ranker, f []uint32) (bool, error) {
	if !r.prune || len(r.cands) < r.k {
		return false, nil
	}
	n, err := ix.docLen(ctx, s, d)
	if err != nil || !r.below(n, f) {
		return false, err
	}
	r.total++
	r.pruned++
	return true, nil
}

// oneTokenParts reports whether each of the plan's parts is one token:
// a document in every list holds every part, as often as its token.
func (p *plan) oneTokenParts() bool {
	for _, its := range p.parts {
		if len(its) != 1 {
			return false
		}
	}
	return true
}
