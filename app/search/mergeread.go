package search

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/broadsheet/broadsheet/app/store"
)

// A merge reads its inputs as it goes, not as whole blobs: first each
// input's term table and doc table (a few percent of a segment), then,
// for each range of terms that mergeTerms fills, the bytes of the docs
// and positions sections that the range's lists take in each input. A
// page is read once, from the page cache when it holds it (a segment
// written lately: the page leaves the cache, as its segment is being
// merged away) or from the store, in one GetMany a range, and is held
// only until the last range that needs it (a page at the edge of two
// ranges serves both) has copied it. The merge's memory is then its
// output and the ranges in flight, not its inputs besides.

// mergeReader reads the pages of a merge's inputs.
type mergeReader struct {
	ix     *Index
	ctx    context.Context
	inputs []mergeInput
	size   int // the bytes of a page
	bounds []string
	// spans[r][k] is where range r's lists are in input k
	spans [][]inputSpan

	mu sync.Mutex // over what follows, the page cache and ix.reads
	// held are the pages read that a range has yet to copy, and need
	// counts the reads still to come of every page
	held map[pageID][]byte
	need map[pageID]int
}

// inputSpan is where a range's lists are in an input: docs bytes
// [docs, docsEnd) and positions bytes [pos, posEnd), relative to
// their sections.
type inputSpan struct{ docs, docsEnd, pos, posEnd int }

// rangeLists is an input's lists of a range: its docs bytes from
// docsOff and its positions bytes from posOff (relative to their
// sections).
type rangeLists struct {
	docsOff, posOff int
	docs, pos       []byte
}

// list returns the docs and positions bytes of e's list.
func (l *rangeLists) list(e *termEntry) (docs, pos []byte, err error) {
	d, p := e.docsOff-l.docsOff, e.posOff-l.posOff
	if d < 0 || p < 0 || d+e.docsLen > len(l.docs) || p+e.posLen > len(l.pos) {
		return nil, nil, errCorrupt
	}
	return l.docs[d : d+e.docsLen], l.pos[p : p+e.posLen], nil
}

// newMergeReader reads the term tables and doc tables of the inputs
// (setting their terms; it returns the doc tables' bytes, by input) and
// locates each range's lists, the ranges cut at bounds.
func newMergeReader(ctx context.Context, ix *Index, inputs []mergeInput, bounds []string) (*mergeReader, [][]byte, error) {
	r := &mergeReader{ix: ix, ctx: ctx, inputs: inputs, size: ix.man.pages(), bounds: bounds,
		held: map[pageID][]byte{}, need: map[pageID]int{}}
	// the tables first, one read for all inputs
	var first []pageID
	for k := range inputs {
		h := inputs[k].seg.hdr
		first = r.appendPages(first, k, h.termsOff, h.termsOff+h.blockOff[len(h.blockOff)-1])
		first = r.appendPages(first, k, h.dtOff, h.blobLen)
	}
	r.count(first)
	if err := r.read(first); err != nil {
		return nil, nil, err
	}
	tables := make([][]byte, len(inputs))
	for k := range inputs {
		h := inputs[k].seg.hdr
		var err error
		if inputs[k].terms, err = r.copy(nil, k, h.termsOff, h.termsOff+h.blockOff[len(h.blockOff)-1]); err != nil {
			return nil, nil, err
		}
		if tables[k], err = r.copy(nil, k, h.dtOff, h.blobLen); err != nil {
			return nil, nil, err
		}
	}
	// then where each range's lists are, and the pages they need; the
	// tables' pages that a range needs too are kept for it
	r.spans = make([][]inputSpan, len(bounds)+1)
	cur := make([]termCursor, len(inputs))
	for k := range inputs {
		cur[k] = termCursor{h: inputs[k].seg.hdr, terms: inputs[k].terms}
	}
	start := make([]inputSpan, len(inputs)) // the range's start, by input
	var pages []pageID
	for i := range r.spans {
		r.spans[i] = make([]inputSpan, len(inputs))
		for k := range inputs {
			h := inputs[k].seg.hdr
			_, docsLen, posLen, _ := h.sections()
			end := inputSpan{docs: docsLen, pos: posLen}
			if i < len(bounds) {
				cur[k].seek(bounds[i])
				if e := cur[k].entry(); e != nil {
					end = inputSpan{docs: e.docsOff, pos: e.posOff}
				}
			}
			s := inputSpan{start[k].docs, end.docs, start[k].pos, end.pos}
			if s.docsEnd < s.docs || s.posEnd < s.pos || s.docsEnd > docsLen || s.posEnd > posLen {
				return nil, nil, errCorrupt
			}
			r.spans[i][k] = s
			start[k] = end
			pages = r.appendPages(pages, k, h.docsOff+s.docs, h.docsOff+s.docsEnd)
			pages = r.appendPages(pages, k, h.posOff+s.pos, h.posOff+s.posEnd)
		}
		r.count(pages)
		pages = pages[:0]
	}
	r.release(first)
	return r, tables, nil
}

// appendPages appends the pages of input k that hold its blob's bytes
// [off, end).
func (r *mergeReader) appendPages(pages []pageID, k, off, end int) []pageID {
	if end <= off {
		return pages
	}
	id := r.inputs[k].seg.meta.ID
	for p := off / r.size; p <= (end-1)/r.size; p++ {
		if n := len(pages); n == 0 || pages[n-1] != (pageID{id, p}) {
			pages = append(pages, pageID{id, p})
		}
	}
	return pages
}

// count counts a read of each of pages to come.
func (r *mergeReader) count(pages []pageID) {
	for _, p := range pages {
		r.need[p]++
	}
}

// release counts a read of each of pages done, and drops the pages no
// read is to come of.
func (r *mergeReader) release(pages []pageID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range pages {
		if r.need[p]--; r.need[p] <= 0 {
			delete(r.need, p)
			delete(r.held, p)
		}
	}
}

// read makes pages held: those held already, those the page cache
// holds (taken out of it), and the others read from the store in one
// GetMany. Reads are one at a time: a page two ranges need is read
// once.
func (r *mergeReader) read(pages []pageID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var missing []pageID
	for _, p := range pages {
		if _, ok := r.held[p]; ok {
			continue
		}
		if b, ok := r.ix.cache.take(p); ok {
			r.held[p] = b
			continue
		}
		missing = append(missing, p)
	}
	if len(missing) == 0 {
		return nil
	}
	keys := make([]string, len(missing))
	for i, p := range missing {
		keys[i] = pageKey(p.seg, p.page)
	}
	r.ix.reads++
	got, err := r.ix.st.GetMany(r.ctx, tablePages, keys)
	if err != nil {
		return err
	}
	for i, b := range got {
		if b == nil {
			return fmt.Errorf("search: page %s: %w", keys[i], store.ErrNotFound)
		}
		r.held[missing[i]] = b
	}
	return nil
}

// copy appends input k's blob bytes [off, end) to dst, from the pages
// held.
func (r *mergeReader) copy(dst []byte, k, off, end int) ([]byte, error) {
	if end <= off {
		return dst, nil
	}
	s := r.inputs[k].seg
	r.mu.Lock()
	defer r.mu.Unlock()
	for p := off / r.size; p <= (end-1)/r.size; p++ {
		b, ok := r.held[pageID{s.meta.ID, p}]
		if want := min(r.size, s.hdr.blobLen-p*r.size); !ok || len(b) != want {
			return nil, errCorrupt
		}
		dst = append(dst, b[max(off-p*r.size, 0):min(end-p*r.size, len(b))]...)
	}
	return dst, nil
}

// rangeOf returns the number of the range that starts at lo.
func (r *mergeReader) rangeOf(lo string) int {
	if lo == "" {
		return 0
	}
	return sort.SearchStrings(r.bounds, lo) + 1
}

// lists reads range i's lists of every input into m.lists.
func (r *mergeReader) lists(m *mergedRange, i int) error {
	m.pages = m.pages[:0]
	for k := range r.inputs {
		h, s := r.inputs[k].seg.hdr, r.spans[i][k]
		m.pages = r.appendPages(m.pages, k, h.docsOff+s.docs, h.docsOff+s.docsEnd)
		m.pages = r.appendPages(m.pages, k, h.posOff+s.pos, h.posOff+s.posEnd)
	}
	if err := r.read(m.pages); err != nil {
		return err
	}
	defer r.release(m.pages)
	m.lists = slices.Grow(m.lists[:0], len(r.inputs))[:len(r.inputs)]
	for k := range r.inputs {
		h, s, l := r.inputs[k].seg.hdr, r.spans[i][k], &m.lists[k]
		var err error
		l.docsOff, l.posOff = s.docs, s.pos
		if l.docs, err = r.copy(l.docs[:0], k, h.docsOff+s.docs, h.docsOff+s.docsEnd); err != nil {
			return err
		}
		if l.pos, err = r.copy(l.pos[:0], k, h.posOff+s.pos, h.posOff+s.posEnd); err != nil {
			return err
		}
	}
	return nil
}
