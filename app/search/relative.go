package search

import (
	"context"
	"math/bits"
	"slices"
	"sort"
	"unicode/utf8"
)

// Relative lists. A document holding the bigram 中国 holds the character
// 中: a Han bigram's list is a subset of its first character's. A
// shipped segment written since format 11 (segRelative) codes a bigram's
// Rice blocks relative to that list, its parent: each document as its
// index in the parent's list, not its number. The gaps between indices
// are smaller than between numbers, by the share of the documents the
// parent holds: over the generated 10k archive of app/archive's
// BenchmarkBuild the bigrams' lists take 0.87 of their bytes, the
// shipped index 0.91 (0.2931 of the text, 0.3228 before).
//
// Terms are written in order, and a character before the bigrams it
// starts (中 < 中国 < 中央), so a writer has the parent's list in hand
// when it writes a bigram's; a merge of shipped segments cuts its term
// space at characters (groupBounds) so that a range holds both. A reader
// decodes the parent's list first; a query fetches it with its own term
// blocks and lists (termRanges), but a big parent's (relMaxParent),
// which no list is relative to.
//
// A list that is not a subset of its parent's (an index written by a
// tokenizer that would not emit every character: none does) is written
// as before, its blocks without riceRelative.

// relativeLists: writers code lists relative (tests turn it off to
// compare).
var relativeLists = true

// relMaxParent is the most documents of a parent whose children are
// coded relative to it: a query of a child decodes the parent's list
// whole, and the longest lists, of the most common characters, save
// their children the least (log2 of the documents of the segment over
// the parent's, a bit or so a document).
const relMaxParent = 1 << 15

// A parent over relMaxParent documents starts a term block (a term of
// shippedBlockDocs/4 documents does), so the header can mark it
// (segHeader.bigParent).
var _ [relMaxParent - shippedBlockDocs/4]struct{}

// isBigParent reports whether term is a parent whose children are not
// relative, by the header alone.
func (h *segHeader) isBigParent(term string) bool {
	b := h.blockFor(term)
	return b >= 0 && b < len(h.bigParent) && h.bigParent[b] && h.blockFirst[b] == term
}

// relParent returns the parent of term: its first character, if term
// starts with a Han character and has more than one.
func relParent(term string) (string, bool) {
	r, n := utf8.DecodeRuneInString(term)
	if n == len(term) || !isHan(r) {
		return "", false
	}
	return term[:n], true
}

// isParent reports whether term is a parent of others: a Han character
// alone.
func isParent(term string) bool {
	r, n := utf8.DecodeRuneInString(term)
	return n == len(term) && n > 0 && isHan(r)
}

// groupStart returns the first term of the group of term in a merge's
// term space: its parent, if it has one, else itself. A range of terms
// that starts at a group's start holds the parent of each of its terms.
func groupStart(term string) string {
	if p, ok := relParent(term); ok {
		return p
	}
	return term
}

// groupBounds maps bounds (ascending) to their groups' starts, dropping
// those that then repeat or come back.
func groupBounds(bounds []string) []string {
	out := bounds[:0]
	for _, b := range bounds {
		b = groupStart(b)
		if b != "" && (len(out) == 0 || b > out[len(out)-1]) {
			out = append(out, b)
		}
	}
	return out
}

// parentList follows the terms a writer writes in order: the list of
// the last parent, to code the lists of the terms after it.
type parentList struct {
	term string
	docs []uint32
	idx  []uint32 // indices' result
	// bits has the bit of each of docs set, and rank counts docs
	// before each of its words: the index of a document in docs is a
	// rank and a count of bits (ranked: built for term)
	bits   []uint64
	rank   []uint32
	ranked bool
}

// see notes term and its documents (a writer's own copy is kept when
// keep is true: the caller reuses docs).
func (p *parentList) see(term string, docs []uint32, keep bool) {
	if !isParent(term) {
		return
	}
	p.term, p.ranked = term, false
	if keep {
		p.docs = append(p.docs[:0], docs...)
	} else {
		p.docs = docs
	}
}

// indices returns the index of each of docs (ascending) in the parent's
// list if term's parent is the last seen and holds them all, else nil.
// The slice is reused by the next call.
func (p *parentList) indices(term string, docs []uint32) []uint32 {
	parent, ok := relParent(term)
	if !ok || parent != p.term || len(docs) <= riceVarintDocs || len(p.docs) > relMaxParent || !relativeLists {
		return nil
	}
	if !p.ranked {
		p.rankDocs()
	}
	p.idx = p.idx[:0]
	for _, d := range docs {
		w := int(d >> 6)
		bit := uint64(1) << (d & 63)
		if w >= len(p.bits) || p.bits[w]&bit == 0 {
			return nil
		}
		p.idx = append(p.idx, p.rank[w]+uint32(bits.OnesCount64(p.bits[w]&(bit-1))))
	}
	return p.idx
}

// rankDocs sets bits and rank for docs.
func (p *parentList) rankDocs() {
	n := 0
	if len(p.docs) > 0 {
		n = int(p.docs[len(p.docs)-1]>>6) + 1
	}
	p.bits = slices.Grow(p.bits[:0], n)[:n]
	clear(p.bits)
	for _, d := range p.docs {
		p.bits[d>>6] |= 1 << (d & 63)
	}
	p.rank = slices.Grow(p.rank[:0], n)[:n]
	c := uint32(0)
	for w, x := range p.bits {
		p.rank[w] = c
		c += uint32(bits.OnesCount64(x))
	}
	p.ranked = true
}

// relativeList reports whether the list it was reset on is coded
// relative to its parent's: its first block says so.
func (it *postingIter) relativeList() bool {
	return it.rice && it.err == nil && it.p < len(it.docsB) && it.docsB[it.p]&riceRelative != 0
}

// indexOf returns the index of doc in parent (ascending), or -1.
func indexOf(parent []uint32, doc uint32) int {
	i := sort.Search(len(parent), func(i int) bool { return parent[i] >= doc })
	if i < len(parent) && parent[i] == doc {
		return i
	}
	return -1
}

// listDocs appends the documents of a list to out, decoded by it (reset
// on the list). A Rice-coded list, a parent's, is decoded a block at a
// time, not a next at a time: a bigram's query decodes its parent's
// list whole, up to every document of the segment.
func listDocs(out []uint32, it *postingIter) ([]uint32, error) {
	out = slices.Grow(out[:0], it.df)
	if !it.rice || it.positional || it.err != nil {
		for d := it.next(0); d != noDoc; d = it.next(d + 1) {
			out = append(out, d)
		}
		return out, it.err
	}
	var doc uint64 // the previous document
	for b := range max(len(it.skips), 1) {
		p, n := it.p, it.df
		if len(it.skips) > 0 {
			p, n = it.skips[b].docs, it.blockDocs(b)
		}
		if p >= len(it.docsB) || it.docsB[p]&^riceNoFreqs > riceMaxK {
			return out, errCorrupt // relative, or not Rice-coded
		}
		k, freqs := uint(it.docsB[p]&^riceNoFreqs), it.docsB[p]&riceNoFreqs == 0
		r := bitReader{b: it.docsB, p: p + 1, start: p + 1}
		for range n {
			g, _, ok := r.next(k, freqs)
			if len(out) > 0 {
				g += doc + 1
			}
			if !ok || g >= uint64(noDoc) {
				return out, errCorrupt
			}
			doc = g
			out = append(out, uint32(doc))
		}
		if len(it.skips) > 0 && uint32(doc) != it.skips[b].last {
			return out, errCorrupt
		}
	}
	return out, nil
}

// parentCacheDocs bounds the documents of the parents' lists a segment
// keeps decoded (4 bytes each), the most recently used: the bigrams of
// a query, and of the next keystroke's, share them, and the most common
// characters' lists, the longest to decode, are the parents of most
// queries.
const parentCacheDocs = 1 << 20

// parentDocs returns the documents of the list of term, a parent, in s
// (nil if s does not hold it), through the segment's cache.
func (ix *Index) parentDocs(ctx context.Context, s *segment, term string) ([]uint32, error) {
	if s.parents == nil {
		s.parents = newLRU[string](parentCacheDocs, func(docs []uint32) int { return len(docs) })
	}
	if docs, ok := s.parents.get(term); ok {
		return docs, nil
	}
	e, err := ix.lookup(ctx, s, term)
	if err != nil || e == nil {
		return nil, err
	}
	b, err := ix.read(ctx, s, s.hdr.docsOff+e.docsOff, e.docsLen)
	if err != nil {
		return nil, err
	}
	var it postingIter
	it.reset(b, nil, e.df, false, s.hdr.coding(), s.hdr.counts())
	docs, err := listDocs(nil, &it)
	if err != nil {
		return nil, err
	}
	s.parents.put(term, docs)
	return docs, nil
}
