package search

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strings"
	"unicode/utf8"
)

// A segment is immutable. Its bytes (the blob) are four sections,
//
//	terms | docs | positions | doc table
//
// cut into pages of pageSize bytes (see manifest.pages) for the store, and a small header,
// kept in the manifest, that locates them:
//
//	terms:     blocks of about termBlockSize bytes (in a shipped segment,
//	           up to shippedBlockTerms, or fewer so that their lists stay
//	           under shippedBlockDocs); each starts with uvarint(docs
//	           offset) uvarint(positions offset) of its first term, then
//	           per term its name and counts (see appendEntry). A term with
//	           no position bytes is per document only.
//	docs:      each term's list (posting.go; Rice-coded in a shipped
//	           segment, rice.go)
//	doc table: chunks of docChunkSize documents (doctable.go).
//	header:    see segHeader.encode: counts, section offsets, the first
//	           term and offset of every term block (and in a shipped
//	           segment of its lists), the offset of every doc-table chunk.
//
// A query reads the header once, then only the term blocks and posting
// bytes of its terms: it never reads a whole segment.
const (
	pageSize      = 64 << 10 // manifest.PageSize, if set, instead
	termBlockSize = 2 << 10
	// localPageSize is the page of a local index made now (its
	// manifest says so; older ones keep pageSize): a query reads whole
	// pages, and of a rare term's lists, in each segment, the pages
	// they touch; in IndexedDB a read costs by its bytes more than by
	// its records. 100k, the frozen queries' second pass: 440 MB read
	// with pages of 64 KB, 117 MB with 16 KB.
	localPageSize = 16 << 10
	docChunkSize  = 128
	segMagic      = "BSX3"
	segMagicV2    = "BSX2"
)

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// segHeader locates the sections of a segment's blob.
type segHeader struct {
	docs, terms       int
	totalLen          int64
	blobLen           int
	termsOff, docsOff int
	posOff, dtOff     int
	blockFirst        []string
	blockOff          []int // relative to termsOff; one more than blocks: the end
	chunkOff          []int // relative to dtOff; one more than chunks
	minDate, maxDate  int64
	// flags (segShipped) and, in a shipped segment, the newest date of
	// each doc-table chunk: encoded after chunkOff, absent in a header
	// written before them (flags 0).
	flags     uint64
	chunkDate []int64
	// blockDocs (segBlockDocs) is the offset, relative to docsOff, of
	// the docs of each term block's first term, and the end: the lists
	// of block i's terms are [blockDocs[i], blockDocs[i+1]). A query
	// reads them with the block, in one round trip.
	blockDocs []int
	// bigParent (segRelative) marks the blocks whose first term is a
	// parent whose children are not relative (relMaxParent): a query
	// of its bigrams does not fetch its list.
	bigParent []bool
}

// segShipped marks a shipped segment (see shipped.go): no positions,
// frequencies weighted and capped, documents in date order.
const segShipped = 1

// segBlockDocs marks a header that holds segHeader.blockDocs: a shipped
// segment written since format 7, whose term blocks are cut so that
// their lists stay small (shippedBlockDocs).
const segBlockDocs = 2

// segShippedDocs marks a doc table in the shipped layout (doctable.go):
// a shipped segment written since format 7.
const segShippedDocs = 8

// segRice marks a segment whose lists of more than riceVarintDocs
// documents are Rice-coded (rice.go): a shipped segment written since
// format 7.
const segRice = 4

// segCounts marks a local segment whose lists' skip entries count
// their blocks' documents (posting.go): written since format 8, and
// required of a local segment's writer by the merges that join their
// inputs' blocks (listJoiner).
const segCounts = 16

// segRiceLocal marks a local segment whose lists of more than
// localVarintDocs documents, and their positions, are Rice-coded
// (ricepos.go): written since format 9, always with segCounts.
const segRiceLocal = 32

// segRelative marks a shipped segment whose Han bigrams' lists may be
// coded relative to their first characters' (relative.go): written since
// format 11.
const segRelative = 64

func (h *segHeader) shipped() bool { return h.flags&segShipped != 0 }

// relative reports whether the segment's lists may be relative ones.
func (h *segHeader) relative() bool { return h.flags&segRelative != 0 }

// counts reports whether the segment's skip entries count documents.
func (h *segHeader) counts() bool { return h.flags&segCounts != 0 }

// coding is how the segment codes its lists.
func (h *segHeader) coding() listCoding {
	switch {
	case h.flags&segRiceLocal != 0:
		return codeRiceLocal
	case h.flags&segRice != 0:
		return codeRice
	}
	return codeVarint
}

// shippedBlockDocs bounds the list bytes of a shipped segment's term
// block, and shippedBlockTerms its entries: a cold query fetches a
// block's entries and all its lists together, so a block holds either
// one long list or short lists of at most about this many bytes.
const (
	shippedBlockDocs  = 24 << 10
	shippedBlockTerms = 4 << 10
)

// segWriter builds a segment blob from terms given in ascending order.
// Presizing docs and pos to about their final size saves growing them.
type segWriter struct {
	terms     bytes.Buffer
	docs, pos []byte // the sections, appended to in place
	scratch   []byte // a long list's blocks, before its skip table
	local     localCoder
	parents   parentList // addTerm's, in a shipped segment
	hdr       segHeader
	block     []byte
	lastTerm  string
	// blockFull: the next term starts a block (a shipped block's lists
	// reached shippedBlockDocs, or it holds one long list).
	blockFull bool
	// slab, of a local segment's merge (newSlabWriter), holds docs
	// and pos in place and then the blob, laid out as docs, positions,
	// terms and doc table: the sections are not copied into a blob of
	// their size again where a merge's memory peaks.
	slab []byte
}

// newSlabWriter returns the writer of a local segment whose docs and
// positions sections take up to docsCap and posCap bytes and its terms
// and doc table up to rest (more costs a copy).
func newSlabWriter(docsCap, posCap, rest int) *segWriter {
	if docsCap <= 0 || posCap <= 0 {
		return &segWriter{}
	}
	slab := make([]byte, docsCap+posCap+rest)
	return &segWriter{docs: slab[:0:docsCap], pos: slab[docsCap : docsCap : docsCap+posCap], slab: slab}
}

// sections returns the sizes of a segment's sections, in either layout.
func (h *segHeader) sections() (terms, docs, pos, dt int) {
	terms = h.blockOff[len(h.blockOff)-1]
	docs, dt = h.posOff-h.docsOff, h.blobLen-h.dtOff
	return terms, docs, h.blobLen - terms - docs - dt, dt
}

// inSlab reports whether b's array starts at slab[off].
func inSlab(b, slab []byte, off int) bool {
	return cap(b) > 0 && off < len(slab) && &b[:1][0] == &slab[off]
}

// finishSlab lays out a slab writer's blob in its slab (see slab),
// if its sections are still there.
func (w *segWriter) finishSlab(dt []byte) (blob []byte, ok bool) {
	h := &w.hdr
	if w.slab == nil || h.shipped() || !inSlab(w.docs, w.slab, 0) || !inSlab(w.pos, w.slab, cap(w.docs)) {
		return nil, false
	}
	h.docsOff, h.posOff = 0, len(w.docs)
	blob = w.slab[:len(w.docs)+copy(w.slab[len(w.docs):], w.pos)]
	h.termsOff = len(blob)
	blob = append(blob, w.terms.Bytes()...)
	h.dtOff = len(blob)
	blob = append(blob, dt...)
	h.blobLen = len(blob)
	w.slab, w.docs, w.pos = nil, nil, nil
	return blob, true
}

// addTerm appends one term's postings (see appendPostingsRaw).
// A local segment's writer always writes segRiceLocal lists.
func (w *segWriter) addTerm(term string, docs, tfs []uint32, raw []byte, ends []int) {
	w.startTerm(term, len(docs))
	d0, p0 := len(w.docs), len(w.pos)
	if w.hdr.shipped() {
		idx := w.parents.indices(term, docs)
		w.docs, w.pos, w.scratch = appendPostingsTo(w.docs, w.pos, w.scratch, docs, tfs, raw, ends, true, riceFreqs(term), false, idx)
		w.parents.see(term, docs, true)
	} else {
		w.hdr.flags |= segCounts | segRiceLocal
		w.docs, w.pos = w.local.appendLocal(w.docs, w.pos, docs, tfs, raw, ends)
	}
	w.endTerm(term, len(docs), len(w.docs)-d0, len(w.pos)-p0)
}

// addEncoded appends one term's postings of df documents, encoded as
// addTerm would (encodeList): a merge encodes its lists on every core.
func (w *segWriter) addEncoded(term string, df int, docs, pos []byte) {
	w.startTerm(term, df)
	w.docs, w.pos = append(w.docs, docs...), append(w.pos, pos...)
	w.endTerm(term, df, len(docs), len(pos))
}

// encodeList encodes a list as a writer of a segment, shipped or not
// (then with segCounts and segRiceLocal), does for term, after docsOut
// and posOut; parents follows the terms encoded (a shipped list is
// relative to its parent's if parents holds it: the caller keeps l's
// documents until the terms after it are encoded).
func encodeList(docsOut, posOut, scratch []byte, local *localCoder, parents *parentList, shipped bool, term string, l *postingList) ([]byte, []byte, []byte) {
	if !shipped {
		d, p := local.appendLocal(docsOut, posOut, l.docs, l.tfs, l.raw, l.ends)
		return d, p, scratch
	}
	idx := parents.indices(term, l.docs)
	docsOut, posOut, scratch = appendPostingsTo(docsOut, posOut, scratch, l.docs, l.tfs, l.raw, l.ends, true, riceFreqs(term), false, idx)
	parents.see(term, l.docs, false)
	return docsOut, posOut, scratch
}

// startTerm starts a term block for a term of df documents if it is
// time to.
func (w *segWriter) startTerm(term string, df int) {
	if !w.newBlock(df) {
		return
	}
	w.flushBlock()
	w.hdr.blockFirst = append(w.hdr.blockFirst, term)
	w.hdr.blockOff = append(w.hdr.blockOff, w.terms.Len())
	if w.hdr.shipped() {
		w.hdr.blockDocs = append(w.hdr.blockDocs, len(w.docs))
		w.hdr.bigParent = append(w.hdr.bigParent, isParent(term) && df > relMaxParent)
	}
	w.blockFull = false
	w.block = binary.AppendUvarint(w.block[:0], uint64(len(w.docs)))
	w.block = binary.AppendUvarint(w.block, uint64(len(w.pos)))
	w.lastTerm = ""
}

// endTerm writes the entry of a term whose lists were appended.
func (w *segWriter) endTerm(term string, df, docsLen, posLen int) {
	w.block = appendEntry(w.block, w.lastTerm, term, df, docsLen, posLen)
	w.lastTerm = term
	w.hdr.terms++
	if w.hdr.shipped() {
		n := len(w.docs) - w.hdr.blockDocs[len(w.hdr.blockDocs)-1]
		w.blockFull = n >= shippedBlockDocs || docsLen >= shippedBlockDocs/4
	}
}

// newBlock reports whether a term of df documents starts a term block.
// In a shipped segment a long list (about a quarter of
// shippedBlockDocs, at a byte or two per document) gets a block of its
// own, so that a query for one of its neighbours does not fetch it.
func (w *segWriter) newBlock(df int) bool {
	switch {
	case w.block == nil:
		return true
	case !w.hdr.shipped():
		return len(w.block) >= termBlockSize
	}
	blockDocs := len(w.docs) - w.hdr.blockDocs[len(w.hdr.blockDocs)-1]
	return w.blockFull || len(w.block) >= shippedBlockTerms || blockDocs > 0 && df >= shippedBlockDocs/4
}

// appendEntry encodes one term entry after the entry of last:
//
//	name:   uvarint(delta<<1 | 1) when term is last with its final
//	        character replaced by one delta code points higher (the common
//	        case of bigrams sharing their first character); else
//	        uvarint((shared prefix<<4 | suffix length)<<1), 15 meaning a
//	        uvarint length follows, then the suffix
//	counts: uvarint(docs bytes<<5 | pos bytes<<1 | df is 1), pos bytes
//	        15 or more written as 15 and then uvarint(pos bytes); then,
//	        unless df is 1, uvarint(df)
func appendEntry(b []byte, last, term string, df, docsLen, posLen int) []byte {
	if d, ok := runeStep(last, term); ok {
		b = binary.AppendUvarint(b, uint64(d)<<1|1)
	} else {
		shared := commonPrefix(last, term)
		suffix := term[shared:]
		b = binary.AppendUvarint(b, (uint64(shared)<<4|uint64(min(len(suffix), 15)))<<1)
		if len(suffix) >= 15 {
			b = binary.AppendUvarint(b, uint64(len(suffix)))
		}
		b = append(b, suffix...)
	}
	return appendCounts(b, df, docsLen, posLen)
}

// appendCounts encodes the counts of a term entry (appendEntry).
func appendCounts(b []byte, df, docsLen, posLen int) []byte {
	one := uint64(0)
	if df == 1 {
		one = 1
	}
	b = binary.AppendUvarint(b, uint64(docsLen)<<5|uint64(min(posLen, 15))<<1|one)
	if posLen >= 15 {
		b = binary.AppendUvarint(b, uint64(posLen))
	}
	if df != 1 {
		b = binary.AppendUvarint(b, uint64(df))
	}
	return b
}

// runeStep reports whether term is last with its final character
// replaced by a higher one, and by how many code points.
func runeStep(last, term string) (rune, bool) {
	r, n := utf8.DecodeLastRuneInString(term)
	p, m := utf8.DecodeLastRuneInString(last)
	if r == utf8.RuneError || p == utf8.RuneError || r <= p || len(term)-n != len(last)-m || term[:len(term)-n] != last[:len(last)-m] {
		return 0, false
	}
	return r - p, true
}

func (w *segWriter) flushBlock() {
	w.terms.Write(w.block)
	w.block = w.block[:0]
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// finish lays out the blob with the doc table and returns it with its
// encoded header.
func (w *segWriter) finish(docs []docInfo) (blob, header []byte) {
	w.flushBlock()
	h := &w.hdr
	h.docs = len(docs)
	h.blockOff = append(h.blockOff, w.terms.Len())
	if h.shipped() {
		h.flags |= segShippedDocs
	}
	var dt []byte
	var chunk docChunkWriter
	for i := range docs {
		if i%docChunkSize == 0 {
			h.chunkOff = append(h.chunkOff, len(dt))
			chunk.reset()
		}
		if h.flags&segShippedDocs != 0 {
			dt = chunk.append(dt, &docs[i])
		} else {
			dt = docs[i].append(dt)
		}
		h.totalLen += int64(docs[i].length)
		if d := docs[i].date; d != 0 && (h.minDate == 0 || d < h.minDate) {
			h.minDate = d
		}
		h.maxDate = max(h.maxDate, docs[i].date)
	}
	h.chunkOff = append(h.chunkOff, len(dt))
	if h.shipped() {
		h.chunkDate = chunkDates(docs)
		h.flags |= segBlockDocs | segRice | segRelative
		h.blockDocs = append(h.blockDocs, len(w.docs))
	}
	if blob, ok := w.finishSlab(dt); ok {
		return blob, h.encode()
	}
	h.termsOff = 0
	h.docsOff = w.terms.Len()
	h.posOff = h.docsOff + len(w.docs)
	h.dtOff = h.posOff + len(w.pos)
	h.blobLen = h.dtOff + len(dt)
	blob = make([]byte, 0, h.blobLen)
	blob = append(blob, w.terms.Bytes()...)
	blob = append(blob, w.docs...)
	blob = append(blob, w.pos...)
	blob = append(blob, dt...)
	return blob, h.encode()
}

// encode writes the header in the layout of segMagic:
//
//	magic, uvarint(flags), the counts and section offsets as uvarints,
//	varint(minDate) varint(maxDate), uvarint(blocks), per block its first
//	term after the previous one's (uvarint(shared bytes)
//	uvarint(suffix bytes) suffix) and its offset's delta, and with
//	segBlockDocs its lists' offset's delta; with segRelative, the number
//	of bigParent blocks and their numbers' deltas; the end of the terms; the
//	doc-table chunks' offset deltas, and with segShipped their newest
//	dates as varint deltas.
//
// A header of "BSX2" (format 6 and older) held absolute offsets, whole
// terms and the flags last (decodeHeaderV2).
func (h *segHeader) encode() []byte {
	b := []byte(segMagic)
	b = binary.AppendUvarint(b, h.flags)
	for _, v := range []int{h.docs, h.terms, int(h.totalLen), h.blobLen, h.termsOff, h.docsOff, h.posOff, h.dtOff} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	b = binary.AppendVarint(b, h.minDate)
	b = binary.AppendVarint(b, h.maxDate)
	b = binary.AppendUvarint(b, uint64(len(h.blockFirst)))
	last := ""
	for i, t := range h.blockFirst {
		shared := commonPrefix(last, t)
		b = binary.AppendUvarint(b, uint64(shared))
		b = appendString(b, t[shared:])
		last = t
		b = binary.AppendUvarint(b, uint64(h.blockOff[i+1]-h.blockOff[i]))
		if h.flags&segBlockDocs != 0 {
			b = binary.AppendUvarint(b, uint64(h.blockDocs[i+1]-h.blockDocs[i]))
		}
	}
	if h.relative() {
		var big []int
		for i, ok := range h.bigParent {
			if ok {
				big = append(big, i)
			}
		}
		b = binary.AppendUvarint(b, uint64(len(big)))
		last := 0
		for _, i := range big {
			b = binary.AppendUvarint(b, uint64(i-last))
			last = i
		}
	}
	b = binary.AppendUvarint(b, uint64(len(h.chunkOff)))
	for i := 1; i < len(h.chunkOff); i++ {
		b = binary.AppendUvarint(b, uint64(h.chunkOff[i]-h.chunkOff[i-1]))
	}
	if h.shipped() {
		var prev int64
		for _, d := range h.chunkDate {
			b = binary.AppendVarint(b, d-prev)
			prev = d
		}
	}
	return b
}

// reader decodes varints and strings, remembering the first error.
type reader struct {
	b   []byte
	err bool
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err = true
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err = true
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) int() int { return int(r.uvarint()) }

func (r *reader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err = true
		r.b = nil
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *reader) string() string { return string(r.bytes()) }

func decodeHeader(b []byte) (*segHeader, error) {
	if bytes.HasPrefix(b, []byte(segMagicV2)) {
		return decodeHeaderV2(b)
	}
	if !bytes.HasPrefix(b, []byte(segMagic)) {
		return nil, errCorrupt
	}
	r := &reader{b: b[len(segMagic):]}
	h := &segHeader{flags: r.uvarint()}
	n, ok := h.readCounts(r, len(b))
	if !ok {
		return nil, errCorrupt
	}
	if h.flags&segBlockDocs != 0 {
		h.blockDocs = make([]int, n+1)
	}
	if h.relative() {
		if h.blockDocs == nil {
			return nil, errCorrupt
		}
		h.bigParent = make([]bool, n)
	}
	var last []byte
	for i := range n {
		shared := r.int()
		suffix := r.bytes()
		if shared > len(last) {
			return nil, errCorrupt
		}
		last = append(last[:shared], suffix...)
		h.blockFirst[i] = string(last)
		h.blockOff[i+1] = h.blockOff[i] + r.int()
		if h.blockDocs != nil {
			h.blockDocs[i+1] = h.blockDocs[i] + r.int()
		}
	}
	if h.bigParent != nil {
		last := 0
		for range min(r.int(), n) {
			if last += r.int(); last >= n {
				return nil, errCorrupt
			}
			h.bigParent[last] = true
		}
	}
	m := r.int()
	if m > len(b) || m < 1 {
		return nil, errCorrupt
	}
	h.chunkOff = make([]int, m)
	for i := 1; i < m; i++ {
		h.chunkOff[i] = h.chunkOff[i-1] + r.int()
	}
	if h.shipped() {
		h.chunkDate = make([]int64, m-1)
		var prev int64
		for i := range h.chunkDate {
			prev += r.varint()
			h.chunkDate[i] = prev
		}
	}
	if r.err || h.blockDocs != nil && h.blockDocs[n] != h.posOff-h.docsOff || h.shipped() && h.docs > 0 && (m-1)*docChunkSize < h.docs {
		return nil, errCorrupt
	}
	return h, nil
}

// readCounts reads the counts, section offsets and dates that both
// layouts share, then the number of term blocks, and makes room for
// those; a header of size bytes holds fewer blocks than bytes.
func (h *segHeader) readCounts(r *reader, size int) (blocks int, ok bool) {
	h.docs, h.terms, h.totalLen, h.blobLen = r.int(), r.int(), int64(r.uvarint()), r.int()
	h.termsOff, h.docsOff, h.posOff, h.dtOff = r.int(), r.int(), r.int(), r.int()
	h.minDate, h.maxDate = r.varint(), r.varint()
	n := r.int()
	if n > size {
		return 0, false
	}
	h.blockFirst = make([]string, n)
	h.blockOff = make([]int, n+1)
	return n, true
}

// decodeHeaderV2 decodes a header of "BSX2", written by format 6 and
// older.
func decodeHeaderV2(b []byte) (*segHeader, error) {
	r := &reader{b: b[len(segMagicV2):]}
	h := &segHeader{}
	n, ok := h.readCounts(r, len(b))
	if !ok {
		return nil, errCorrupt
	}
	for i := range n {
		h.blockFirst[i] = r.string()
		h.blockOff[i] = r.int()
	}
	h.blockOff[n] = r.int()
	m := r.int()
	if m > len(b) {
		return nil, errCorrupt
	}
	h.chunkOff = make([]int, m)
	for i := range m {
		h.chunkOff[i] = r.int()
	}
	if len(r.b) > 0 && !r.err {
		h.flags = r.uvarint() & segShipped // the only flag of format 6
		if h.shipped() && m > 0 {
			h.chunkDate = make([]int64, m-1)
			for i := range h.chunkDate {
				h.chunkDate[i] = r.varint()
			}
		}
	}
	if r.err || h.shipped() && h.docs > 0 && (m-1)*docChunkSize < h.docs {
		return nil, errCorrupt
	}
	return h, nil
}

// termEntry is one decoded entry of the term table.
type termEntry struct {
	term             string // set by keep
	name             []byte // the term while decoding, before keep
	df               int
	docsOff, docsLen int // relative to the docs section
	posOff, posLen   int
}

// keep returns a copy of e that outlives the decoding.
func (e *termEntry) keep() termEntry {
	c := *e
	c.term, c.name = string(e.name), nil
	return c
}

// positional reports whether the term has positions.
func (e *termEntry) positional() bool { return e.posLen > 0 }

// decodeBlock calls fn for each entry of an encoded term block, with
// the offset in b of the entry after it, until fn returns false. The
// entry's name is valid only during the call (see termEntry.keep).
func decodeBlock(b []byte, fn func(e *termEntry, next int) bool) error {
	r := &reader{b: b}
	docsOff, posOff := r.int(), r.int()
	if r.err {
		return errCorrupt
	}
	return decodeEntries(r, len(b), nil, docsOff, posOff, fn)
}

// decodeEntries is decodeBlock from an entry on: r at its name code,
// last the name of the entry before it, docsOff and posOff its lists'
// offsets; size is the length of the block r reads.
func decodeEntries(r *reader, size int, last []byte, docsOff, posOff int, fn func(e *termEntry, next int) bool) error {
	e := termEntry{}
	for len(r.b) > 0 && !r.err {
		var ok bool
		if last, ok = r.name(last); !ok {
			return errCorrupt
		}
		e.name = last
		l := r.uvarint()
		e.docsLen, e.posLen, e.df = int(l>>5), int(l>>1&15), 1
		if e.posLen == 15 {
			e.posLen = r.int()
		}
		if l&1 == 0 {
			e.df = r.int()
		}
		e.docsOff, e.posOff = docsOff, posOff
		docsOff += e.docsLen
		posOff += e.posLen
		if r.err {
			break
		}
		if !fn(&e, size-len(r.b)) {
			return nil
		}
	}
	if r.err {
		return errCorrupt
	}
	return nil
}

// name decodes an entry's term (see appendEntry) from last, reusing its
// bytes.
func (r *reader) name(last []byte) ([]byte, bool) {
	h := r.uvarint()
	if h&1 == 1 {
		p, m := utf8.DecodeLastRune(last)
		q := p + rune(h>>1)
		if p == utf8.RuneError || h>>1 > utf8.MaxRune || !utf8.ValidRune(q) {
			return last, false
		}
		return utf8.AppendRune(last[:len(last)-m], q), true
	}
	h >>= 1
	shared, n := int(h>>4), int(h&15)
	if n == 15 {
		n = r.int()
	}
	if shared > len(last) || n > len(r.b) || n < 0 {
		return last, false
	}
	suffix := r.b[:n]
	r.b = r.b[n:]
	return append(last[:shared], suffix...), true
}

// blockFor returns the index of the term block that may hold term, or -1.
func (h *segHeader) blockFor(term string) int {
	return sort.Search(len(h.blockFirst), func(i int) bool { return h.blockFirst[i] > term }) - 1
}

// blocksFor returns the range of term blocks that may hold terms with the
// given prefix.
func (h *segHeader) blocksFor(prefix string) (lo, hi int) {
	lo = max(h.blockFor(prefix), 0)
	hi = sort.Search(len(h.blockFirst), func(i int) bool {
		return h.blockFirst[i] > prefix && !strings.HasPrefix(h.blockFirst[i], prefix)
	})
	return lo, hi
}
