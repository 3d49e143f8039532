package search

import (
	"context"
	"math"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"time"
)

// Merge policy: segments fall in tiers by size (each tier mergeFactor
// times the one below, starting at tierBase bytes); when a tier holds
// mergeFactor segments they are merged into one, dropping deleted
// documents. Merges stop at maxMergeBytes, so that a merge never holds
// much more than that in memory (its output, built whole; its inputs are
// read a range at a time: mergeread.go); beyond it, segments stay as
// they are and a query visits each.
const (
	mergeFactor   = 4
	tierBase      = 1 << 20
	maxMergeBytes = 32 << 20
)

// MergeGCPercent makes each merge of the index run the collector at
// percent (debug.SetGCPercent, the previous target restored after): for
// a program that owns its process and whose heap peaks in merges, as the
// search worker's does (the wasm heap never shrinks: its peak is the
// worker's memory from then on). The inputs and output of a merge are
// byte slices, which the collector marks at no cost. 0, the default,
// leaves the collector alone: a library does not change a process-wide
// setting on its own (the site builder sets its own target, and merges
// running at once would restore each other's). An index reopened must
// be told again.
func (ix *Index) MergeGCPercent(percent int) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.mergeGC = percent
}

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

// mergeInput is one segment being merged: its term table (read by
// mergeReader), and the new number of each of its documents (noDoc for
// deleted ones).
type mergeInput struct {
	seg    *segment
	terms  []byte // the terms section
	base   int    // the new number of its first live document
	newDoc []uint32
}

// termCursor walks a segment's term table (its terms section) in
// order, a decoded block at a time (names in one string per block).
type termCursor struct {
	h     *segHeader
	terms []byte
	block int
	tb    *fullBlock
	cur   termEntry
	i     int
}

func (c *termCursor) entry() *termEntry {
	for c.tb == nil || c.i >= len(c.tb.ents) {
		if c.block >= len(c.h.blockFirst) {
			return nil
		}
		raw := c.terms[c.h.blockOff[c.block]:c.h.blockOff[c.block+1]]
		tb, err := decodeFullBlock(raw)
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

// seek moves to the first entry of a term ≥ term.
func (c *termCursor) seek(term string) {
	c.block, c.tb = max(c.h.blockFor(term), 0), nil
	for e := c.entry(); e != nil && e.term < term; e = c.entry() {
		c.advance()
	}
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
	t := time.Now()
	// the output is held whole, and cached when written: the page
	// cache makes room for it twice, so that the heap's peak (the
	// worker's memory for the rest of its life) is not the output's and
	// a full cache besides; the inputs are read a range at a time
	// (mergeReader), their pages taken out of the cache
	in := 0
	for _, m := range group {
		in += m.Bytes
	}
	ix.cache.trim(cacheBytes - 2*in)
	// the decoded term blocks too (~20 MB at 100,000 documents): those
	// of the inputs are dropped after, and the others are decoded again
	// from their pages when a query asks
	ix.blocks.trim(blockCacheBytes - 2*in)
	// and the collector keeps the heap close to what is live, when the
	// index's owner asked for it
	if ix.mergeGC > 0 {
		defer debug.SetGCPercent(debug.SetGCPercent(ix.mergeGC))
	}
	inputs, docs, bounds, r, err := ix.mergeInputs(ctx, group)
	if err != nil {
		return err
	}
	lap(&ix.times.MergeRead, &t)
	var termsLen, docsLen, posLen, dtLen int // about the inputs' sections
	for i := range inputs {
		t, d, p, dt := inputs[i].seg.hdr.sections()
		termsLen, docsLen, posLen, dtLen = termsLen+t, docsLen+d, posLen+p, dtLen+dt
	}
	shipped := inputs[0].seg.hdr.shipped()
	var w *segWriter
	if shipped {
		w = &segWriter{docs: make([]byte, 0, docsLen), pos: make([]byte, 0, posLen)}
		w.hdr.flags = segShipped
		docs = renumberByDate(inputs, docs)
	} else {
		// a joined block may end with a byte of padding more
		w = newSlabWriter(docsLen+docsLen/64+64, posLen+posLen/64+64, termsLen+termsLen/8+dtLen+dtLen/8+4096)
		w.hdr.flags = segCounts | segRiceLocal
	}
	join := !shipped && joinMerges && clean(inputs)
	if join {
		ix.times.Joined++
	}
	fill := func(m *mergedRange, lo, hi string) error {
		if err := r.lists(m, r.rangeOf(lo)); err != nil {
			return err
		}
		if join {
			return m.join(inputs, lo, hi)
		}
		return m.merge(inputs, lo, hi, shipped)
	}
	err = mergeTerms(bounds, shipped, fill, w.addEncoded)
	if err != nil {
		return err
	}
	for i := range inputs {
		inputs[i].terms = nil // the collector may take them while the output is copied
	}
	blob, header := w.finish(docs)
	lap(&ix.times.Merge, &t)
	if err := ix.commitMerge(ctx, group, inputs, docs, blob, header); err != nil {
		return err
	}
	lap(&ix.times.MergeWrite, &t)
	ix.times.Merges++
	ix.times.MergedBytes += len(blob)
	return nil
}

// mergeTerms calls add with each term, in order, and its merged list,
// made by fill (the live documents of each input's list, renumbered, and
// in document order in a shipped segment) and encoded (encodeList). The
// term space is cut into ranges at bounds, and the ranges are filled and
// encoded on every core, a few ahead of add, which runs on this
// goroutine: a merge is the bulk of a new archive's build.
func mergeTerms(bounds []string, shipped bool, fill func(m *mergedRange, lo, hi string) error, add func(term string, df int, docs, pos []byte)) error {
	var free sync.Pool // *mergedRange
	return inOrder(len(bounds)+1, runtime.GOMAXPROCS(0), func(i int) (*mergedRange, error) {
		m, _ := free.Get().(*mergedRange)
		if m == nil {
			m = &mergedRange{}
		}
		lo, hi := "", ""
		if i > 0 {
			lo = bounds[i-1]
		}
		if i < len(bounds) {
			hi = bounds[i]
		}
		m.joined = false
		if err := fill(m, lo, hi); err != nil {
			return m, err
		}
		if !m.joined {
			m.encode(shipped)
		}
		return m, nil
	}, func(m *mergedRange) {
		var d0, p0 int
		for t, term := range m.terms {
			e := m.enc[t]
			add(term, e.df, m.encDocs[d0:e.docs], m.encPos[p0:e.pos])
			d0, p0 = e.docs, e.pos
		}
		free.Put(m)
	})
}

// encode encodes each list of m (encodeList), after the previous one.
func (m *mergedRange) encode(shipped bool) {
	m.encDocs, m.encPos, m.enc = m.encDocs[:0], m.encPos[:0], m.enc[:0]
	m.parents.term = "" // the range starts a group (groupBounds)
	var l postingList
	for t, term := range m.terms {
		m.list(t, &l)
		m.encDocs, m.encPos, m.scratch = encodeList(m.encDocs, m.encPos, m.scratch, &m.local, &m.parents, shipped, term, &l)
		m.enc = append(m.enc, encodedAt{len(l.docs), len(m.encDocs), len(m.encPos)})
	}
}

// encodedAt is where a term's encoded lists end in a mergedRange, and
// its document count.
type encodedAt struct{ df, docs, pos int }

// mergeBounds returns the terms that cut the inputs' term space into
// ranges of about mergeRangeBytes of lists: first terms of their term
// blocks, ascending, in a merge of shipped segments moved to their
// groups' starts (groupBounds: a range holds its bigrams' parents).
func mergeBounds(inputs []mergeInput) []string {
	var firsts []string
	total := 0
	for i := range inputs {
		h := inputs[i].seg.hdr
		firsts = append(firsts, h.blockFirst...)
		_, docs, pos, _ := h.sections()
		total += docs + pos
	}
	slices.Sort(firsts)
	firsts = slices.Compact(firsts)
	n := min(len(firsts), total/mergeRangeBytes+1)
	bounds := make([]string, 0, n)
	for k := 1; k < n; k++ {
		if b := firsts[k*len(firsts)/n]; b != "" && (len(bounds) == 0 || b > bounds[len(bounds)-1]) {
			bounds = append(bounds, b)
		}
	}
	if slices.ContainsFunc(inputs, func(in mergeInput) bool { return in.seg.hdr.shipped() }) {
		bounds = groupBounds(bounds)
	}
	return bounds
}

// mergeRangeBytes is about the bytes of input lists a range of a merge
// covers.
const mergeRangeBytes = 512 << 10

// mergedRange is the merged lists of a range of terms, in term order:
// term t's documents and frequencies are docs and tfs up to at[t].docs,
// its positions raw up to at[t].raw, cut at ends up to at[t].ends.
type mergedRange struct {
	terms     []string
	at        []mergedAt
	docs, tfs []uint32
	raw       []byte
	ends      []int
	cur       []termCursor
	its       []postingIter
	l         postingList
	rrs       []runReader // mergeRuns' (bulk.go)
	bufs      [][]byte
	heap      []int
	parts     []runPart
	packed    []uint64 // sortRuns' scratch
	tfByDoc   []uint8
	bitmap    []uint64
	bitmap2   []uint64
	// the lists encoded (encode), and encoding's scratch
	encDocs, encPos, scratch []byte
	// lists are the inputs' lists of the range (mergeReader.lists), and
	// pages the pages they were read from
	lists []rangeLists
	pages []pageID
	enc   []encodedAt
	local localCoder
	// parents: encode's; inParents: merge's, the list of the last
	// parent of each input (its documents numbered as in the input)
	parents   parentList
	inParents []parentList
	// joined: the lists were joined encoded (join), not merged
	joined bool
	joiner listJoiner
}

type mergedAt struct {
	docs, raw, ends int
	positional      bool
}

// list makes l term t's list, its slices into m's.
func (m *mergedRange) list(t int, l *postingList) {
	var from mergedAt
	if t > 0 {
		from = m.at[t-1]
	}
	to := m.at[t]
	l.docs, l.tfs = m.docs[from.docs:to.docs], m.tfs[from.docs:to.docs]
	l.raw, l.ends = m.raw[from.raw:to.raw], nil
	if to.positional {
		l.ends = m.ends[from.ends:to.ends]
	}
}

// seek puts a cursor on each input at its first term from lo.
func (m *mergedRange) seek(inputs []mergeInput, lo string) {
	m.cur = slices.Grow(m.cur[:0], len(inputs))[:len(inputs)]
	for i := range inputs {
		m.cur[i] = termCursor{h: inputs[i].seg.hdr, terms: inputs[i].terms}
		m.cur[i].seek(lo)
	}
}

// nextTerm is the least term under the cursors, "" when all are done.
func (m *mergedRange) nextTerm() string {
	term := ""
	for i := range m.cur {
		if e := m.cur[i].entry(); e != nil && (term == "" || e.term < term) {
			term = e.term
		}
	}
	return term
}

// merge merges the terms from lo (inclusive; "" is the first) to hi
// (exclusive; "" is past the last) into m.
func (m *mergedRange) merge(inputs []mergeInput, lo, hi string, shipped bool) error {
	m.reset()
	m.its = slices.Grow(m.its[:0], len(inputs))[:len(inputs)]
	m.inParents = slices.Grow(m.inParents[:0], len(inputs))[:len(inputs)]
	for i := range m.inParents {
		m.inParents[i].term = "" // the range starts a group (groupBounds)
	}
	m.seek(inputs, lo)
	l := &m.l
	for {
		term := m.nextTerm()
		if term == "" || hi != "" && term >= hi {
			return nil
		}
		l.docs, l.tfs, l.raw, l.ends = l.docs[:0], l.tfs[:0], l.raw[:0], l.ends[:0]
		positional := false
		for i := range m.cur {
			c := &m.cur[i]
			e := c.entry()
			if e == nil || e.term != term {
				continue
			}
			positional = positional || e.positional()
			if err := inputs[i].appendList(l, e, &m.lists[i], &m.its[i], &m.inParents[i]); err != nil {
				return err
			}
			c.advance()
		}
		if len(l.docs) == 0 {
			continue
		}
		if shipped {
			l.sortList()
		}
		m.add(term, l, positional)
	}
}

// joinMerges: merges of clean inputs join their lists (tests turn it
// off to compare).
var joinMerges = true

// clean reports whether the inputs are local segments of this format
// (segRiceLocal) with no deleted document: their lists can be joined
// (listJoiner).
func clean(inputs []mergeInput) bool {
	for _, in := range inputs {
		if in.seg.hdr.coding() != codeRiceLocal {
			return false
		}
		for d, n := range in.newDoc {
			if n != uint32(in.base+d) {
				return false
			}
		}
	}
	return true
}

// join joins the lists of the terms from lo (inclusive; "" is the
// first) to hi (exclusive; "" is past the last) into m's encoded lists:
// the inputs are clean.
func (m *mergedRange) join(inputs []mergeInput, lo, hi string) error {
	m.reset()
	m.joined = true
	m.encDocs, m.encPos, m.enc = m.encDocs[:0], m.encPos[:0], m.enc[:0]
	m.seek(inputs, lo)
	j := &m.joiner
	for {
		term := m.nextTerm()
		if term == "" || hi != "" && term >= hi {
			return nil
		}
		df, positional := 0, false
		for i := range m.cur {
			if e := m.cur[i].entry(); e != nil && e.term == term {
				df += e.df
				positional = positional || e.positional()
			}
		}
		j.reset(df, positional)
		for i := range m.cur {
			c := &m.cur[i]
			e := c.entry()
			if e == nil || e.term != term {
				continue
			}
			docs, pos, err := m.lists[i].list(e)
			if err != nil {
				return err
			}
			if err := j.add(docs, pos, e.df, uint32(inputs[i].base)); err != nil {
				return err
			}
			c.advance()
		}
		m.encDocs, m.encPos = j.finish(m.encDocs, m.encPos)
		m.terms = append(m.terms, term)
		m.enc = append(m.enc, encodedAt{df, len(m.encDocs), len(m.encPos)})
	}
}

func (m *mergedRange) reset() {
	m.terms, m.at = m.terms[:0], m.at[:0]
	m.docs, m.tfs, m.raw, m.ends = m.docs[:0], m.tfs[:0], m.raw[:0], m.ends[:0]
}

// add appends a term's list.
func (m *mergedRange) add(term string, l *postingList, positional bool) {
	m.terms = append(m.terms, term)
	m.docs, m.tfs, m.raw = append(m.docs, l.docs...), append(m.tfs, l.tfs...), append(m.raw, l.raw...)
	if positional { // ends from the start of the term's positions
		m.ends = append(m.ends, l.ends...)
	}
	m.at = append(m.at, mergedAt{len(m.docs), len(m.raw), len(m.ends), positional})
}

// appendList appends the live documents of the input's list of e (in
// its lists of the range, from) to l, renumbered, with their
// frequencies and positions. parents holds the input's last parent's
// list, as the input numbers its documents, for a relative list
// (relative.go); appendList keeps e's there if e is a parent.
func (in *mergeInput) appendList(l *postingList, e *termEntry, from *rangeLists, it *postingIter, parents *parentList) error {
	h := in.seg.hdr
	docs, pos, err := from.list(e)
	if err != nil {
		return err
	}
	it.reset(docs, pos, e.df, e.positional(), h.coding(), h.counts())
	record := h.relative() && isParent(e.term)
	if record {
		parents.term, parents.docs = e.term, parents.docs[:0]
	} else if p, ok := relParent(e.term); ok && h.relative() && p == parents.term {
		it.parent = parents.docs
	}
	for d := it.next(0); d != noDoc; d = it.next(d + 1) {
		if record {
			parents.docs = append(parents.docs, d)
		}
		if int(d) >= len(in.newDoc) || in.newDoc[d] == noDoc {
			continue
		}
		l.docs, l.tfs = append(l.docs, in.newDoc[d]), append(l.tfs, it.tf)
		l.raw = append(l.raw, it.rawPositions()...)
		l.ends = append(l.ends, len(l.raw))
	}
	return it.err
}

// inOrder calls work(i) for i from 0 to n-1 on workers goroutines and
// deliver with the results in order, at most 2×workers ahead of it. It
// stops at the first error.
func inOrder[R any](n, workers int, work func(int) (R, error), deliver func(R)) error {
	type result struct {
		r   R
		err error
	}
	outs := make([]chan result, n)
	for i := range outs {
		outs[i] = make(chan result, 1)
	}
	jobs, window, done := make(chan int), make(chan struct{}, 2*workers), make(chan struct{})
	defer close(done)
	go func() {
		defer close(jobs)
		for i := range n {
			select {
			case window <- struct{}{}:
			case <-done:
				return
			}
			select {
			case jobs <- i:
			case <-done:
				return
			}
		}
	}()
	for range workers {
		go func() {
			for i := range jobs {
				r, err := work(i)
				outs[i] <- result{r, err}
			}
		}()
	}
	for i := range n {
		res := <-outs[i]
		if res.err != nil {
			return res.err
		}
		deliver(res.r)
		<-window
	}
	return nil
}

// mergeInputs opens the segments of group, numbers their live
// documents and returns them, the bounds of the ranges the merge fills
// (mergeBounds) and the reader of their lists.
func (ix *Index) mergeInputs(ctx context.Context, group []segMeta) ([]mergeInput, []docInfo, []string, *mergeReader, error) {
	inputs := make([]mergeInput, len(group))
	for i, m := range group {
		s, err := ix.segment(ctx, m)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		inputs[i] = mergeInput{seg: s, newDoc: make([]uint32, s.hdr.docs)}
	}
	bounds := mergeBounds(inputs)
	r, tables, err := newMergeReader(ctx, ix, inputs, bounds)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	var docs []docInfo
	for i := range inputs {
		in, h := &inputs[i], inputs[i].seg.hdr
		in.base = len(docs)
		for c := 0; c+1 < len(h.chunkOff); c++ {
			if h.chunkOff[c+1] > len(tables[i]) || h.chunkOff[c] > h.chunkOff[c+1] {
				return nil, nil, nil, nil, errCorrupt
			}
			chunk, err := h.decodeDocChunk(tables[i][h.chunkOff[c]:h.chunkOff[c+1]], min(docChunkSize, h.docs-c*docChunkSize))
			if err != nil {
				return nil, nil, nil, nil, err
			}
			for j := range chunk {
				d := uint32(c*docChunkSize + j)
				if in.seg.deleted(d) {
					in.newDoc[d] = noDoc
					continue
				}
				in.newDoc[d] = uint32(len(docs))
				docs = append(docs, chunk[j])
			}
		}
	}
	return inputs, docs, bounds, r, nil
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
	if !shipped { // the inputs' places records become the output's (places.go)
		ix.mergePlaces(c, group, id, docs)
	}
	if err := ix.commit(ctx, c); err != nil {
		return err
	}
	// the pages cached and the blob they are copied from take no more
	// than a full cache (merge's trim made room for all of an output
	// of up to half of it)
	ix.cachePages(id, blob, cacheBytes-ix.cache.size-len(blob))
	return nil
}
