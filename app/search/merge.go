package search

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/broadsheet/broadsheet/app/store"
)

// Merge policy: segments fall in tiers by size (each tier mergeFactor
// times the one below, starting at tierBase bytes); when a tier holds
// mergeFactor segments they are merged into one, dropping deleted
// documents. Merges stop at maxMergeBytes, so that a merge never holds
// more than that much in memory (twice: inputs and output); beyond it,
// segments stay as they are and a query visits each.
const (
	mergeFactor   = 4
	tierBase      = 1 << 20
	maxMergeBytes = 64 << 20
)

func tier(bytes int) int {
	if bytes < tierBase {
		return 0
	}
	return 1 + int(math.Log(float64(bytes)/tierBase)/math.Log(mergeFactor))
}

// maybeMerge drops empty segments and merges full tiers until none is left.
func (ix *Index) maybeMerge(ctx context.Context) error {
	for {
		if err := ix.dropEmpty(ctx); err != nil {
			return err
		}
		if ix.holdMerges {
			return nil // until Compact
		}
		group := ix.pickMerge()
		if group == nil {
			return nil
		}
		if err := ix.merge(ctx, group); err != nil {
			return err
		}
	}
}

func (ix *Index) dropEmpty(ctx context.Context) error {
	c := ix.newChange()
	c.man.Segs = slices.DeleteFunc(c.man.Segs, func(m segMeta) bool {
		if m.Deleted >= m.Docs {
			dropSegment(c, m)
			return true
		}
		return false
	})
	if len(c.batch.Ops) == 0 {
		return nil
	}
	return ix.commit(ctx, c)
}

// pickMerge returns the segments to merge next, oldest first, or nil.
func (ix *Index) pickMerge() []segMeta {
	tiers := map[int][]segMeta{}
	for _, m := range ix.man.Segs {
		if m.Bytes < maxMergeBytes {
			t := tier(m.Bytes)
			tiers[t] = append(tiers[t], m)
		}
	}
	for t := 0; t < 16; t++ {
		g := tiers[t]
		if len(g) < mergeFactor {
			continue
		}
		g = g[:mergeFactor]
		total := 0
		for i, m := range g {
			total += m.Bytes
			if total > maxMergeBytes && i >= 2 {
				return g[:i]
			}
		}
		return g
	}
	return nil
}

// mergeInput is one segment being merged: its whole blob, and the new
// number of each of its documents (noDoc for deleted ones).
type mergeInput struct {
	seg    *segment
	blob   []byte
	base   int // the new number of its first live document
	newDoc []uint32
	cur    termCursor
	it     postingIter // reused for each term
}

// termCursor walks a blob's term table in order, a decoded block at a
// time (names in one string per block).
type termCursor struct {
	h     *segHeader
	blob  []byte
	block int
	tb    *termBlock
	cur   termEntry
	i     int
}

func (c *termCursor) entry() *termEntry {
	for c.tb == nil || c.i >= len(c.tb.ents) {
		if c.block >= len(c.h.blockFirst) {
			return nil
		}
		raw := c.blob[c.h.termsOff+c.h.blockOff[c.block] : c.h.termsOff+c.h.blockOff[c.block+1]]
		tb, err := decodeTermBlock(raw)
		if err != nil {
			c.block = len(c.h.blockFirst)
			return nil
		}
		c.tb, c.i = tb, 0
		c.block++
		if len(tb.ents) > 0 {
			c.cur = tb.entry(0)
		}
	}
	return &c.cur
}

// advance moves to the next entry.
func (c *termCursor) advance() {
	c.i++
	if c.i < len(c.tb.ents) {
		c.cur = c.tb.entry(c.i)
	}
}

// merge writes the live documents of group as one new segment and drops
// the old ones, in one batch.
func (ix *Index) merge(ctx context.Context, group []segMeta) error {
	inputs, docs, err := ix.mergeInputs(ctx, group)
	if err != nil {
		return err
	}
	var docsLen, posLen int // at most the inputs' sections
	for i := range inputs {
		h := inputs[i].seg.hdr
		docsLen, posLen = docsLen+h.posOff-h.docsOff, posLen+h.dtOff-h.posOff
	}
	w := &segWriter{docs: make([]byte, 0, docsLen), pos: make([]byte, 0, posLen)}
	shipped := inputs[0].seg.hdr.shipped()
	if shipped {
		w.hdr.flags = segShipped
		docs = renumberByDate(inputs, docs)
	}
	var l postingList
	for {
		term := ""
		for i := range inputs {
			if e := inputs[i].cur.entry(); e != nil && (term == "" || e.term < term) {
				term = e.term
			}
		}
		if term == "" {
			break
		}
		l.docs, l.tfs, l.raw, l.ends = l.docs[:0], l.tfs[:0], l.raw[:0], l.ends[:0]
		positional := false
		for i := range inputs {
			in := &inputs[i]
			e := in.cur.entry()
			if e == nil || e.term != term {
				continue
			}
			positional = positional || e.positional()
			h := in.seg.hdr
			it := &in.it
			it.reset(in.blob[h.docsOff+e.docsOff:h.docsOff+e.docsOff+e.docsLen],
				in.blob[h.posOff+e.posOff:h.posOff+e.posOff+e.posLen], e.df, e.positional(), h.rice())
			for d := it.next(0); d != noDoc; d = it.next(d + 1) {
				if int(d) >= len(in.newDoc) || in.newDoc[d] == noDoc {
					continue
				}
				l.docs, l.tfs = append(l.docs, in.newDoc[d]), append(l.tfs, it.tf)
				l.raw = append(l.raw, it.rawPositions()...)
				l.ends = append(l.ends, len(l.raw))
			}
			if it.err != nil {
				return it.err
			}
			in.cur.advance()
		}
		if len(l.docs) == 0 {
			continue
		}
		if !positional {
			l.ends = nil
		}
		if shipped {
			l.sortList()
		}
		w.addTerm(term, l.docs, l.tfs, l.raw, l.ends)
	}
	blob, header := w.finish(docs)
	return ix.commitMerge(ctx, group, inputs, docs, blob, header)
}

// mergeInputs reads the blobs of group and numbers their live documents.
func (ix *Index) mergeInputs(ctx context.Context, group []segMeta) ([]mergeInput, []docInfo, error) {
	var docs []docInfo
	inputs := make([]mergeInput, len(group))
	for i, m := range group {
		s, err := ix.segment(ctx, m)
		if err != nil {
			return nil, nil, err
		}
		blob, err := ix.blob(ctx, s)
		if err != nil {
			return nil, nil, err
		}
		if len(blob) != s.hdr.blobLen {
			return nil, nil, errCorrupt
		}
		in := mergeInput{seg: s, blob: blob, base: len(docs), newDoc: make([]uint32, s.hdr.docs), cur: termCursor{h: s.hdr, blob: blob}}
		for c := 0; c+1 < len(s.hdr.chunkOff); c++ {
			raw := blob[s.hdr.dtOff+s.hdr.chunkOff[c] : s.hdr.dtOff+s.hdr.chunkOff[c+1]]
			chunk, err := decodeDocChunk(raw, min(docChunkSize, s.hdr.docs-c*docChunkSize))
			if err != nil {
				return nil, nil, err
			}
			for j := range chunk {
				d := uint32(c*docChunkSize + j)
				if s.deleted(d) {
					in.newDoc[d] = noDoc
					continue
				}
				in.newDoc[d] = uint32(len(docs))
				docs = append(docs, chunk[j])
			}
		}
		inputs[i] = in
	}
	return inputs, docs, nil
}

// blob returns a segment's whole blob: from the page cache when it holds
// every page (a segment written or read lately), else read in one
// GetMany around the cache.
func (ix *Index) blob(ctx context.Context, s *segment) ([]byte, error) {
	n := (s.hdr.blobLen + ix.man.pages() - 1) / ix.man.pages()
	blob := make([]byte, 0, s.hdr.blobLen)
	for p := range n {
		page, ok := ix.cache.get(pageID{s.meta.ID, p})
		if !ok {
			break
		}
		blob = append(blob, page...)
		if p == n-1 {
			return blob, nil
		}
	}
	keys := make([]string, n)
	for p := range keys {
		keys[p] = pageKey(s.meta.ID, p)
	}
	ix.reads++
	pages, err := ix.st.GetMany(ctx, tablePages, keys)
	if err != nil {
		return nil, err
	}
	blob = blob[:0]
	for p, b := range pages {
		if b == nil {
			return nil, fmt.Errorf("search: page %s: %w", keys[p], store.ErrNotFound)
		}
		blob = append(blob, b...)
	}
	return blob, nil
}

func (ix *Index) commitMerge(ctx context.Context, group []segMeta, inputs []mergeInput, docs []docInfo, blob, header []byte) error {
	c := ix.newChange()
	c.batch.Relaxed = true
	id := c.man.Next
	c.man.Next++
	putSegment(c, id, blob)
	meta := segMeta{ID: id, Docs: len(docs), Bytes: len(blob), Header: header}
	merged := map[int]bool{}
	for _, m := range group {
		merged[m.ID] = true
		dropSegment(c, m)
		if m.Docs > 0 {
			meta.TextBytes += m.TextBytes * int64(m.Docs-m.Deleted) / int64(m.Docs)
		}
	}
	shipped := len(inputs) > 0 && inputs[0].seg.hdr.shipped()
	for i := range docs {
		meta.TotalLen += int64(docs[i].length)
		meta.MaxDate = max(meta.MaxDate, docs[i].date)
		if shipped { // renumbered by date: no forward
			c.batch.Put(tableIDs, docs[i].id, encodeRef(docRef{id, uint32(i)}))
		}
	}
	if !shipped {
		for _, in := range inputs {
			c.man.Merged = append(c.man.Merged, mergedSeg{ID: in.seg.meta.ID, Into: id, Base: in.base, Dead: slices.Clone(in.seg.tomb)})
		}
	}
	c.man.Segs = slices.DeleteFunc(c.man.Segs, func(m segMeta) bool { return merged[m.ID] })
	c.man.Segs = append(c.man.Segs, meta)
	if err := ix.commit(ctx, c); err != nil {
		return err
	}
	ix.cachePages(id, blob)
	return nil
}
