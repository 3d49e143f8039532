package search

import (
	"encoding/binary"
	"errors"
	"slices"
)

// Posting lists. Each term of a segment has a docs stream and, when it is
// positional, a positions stream:
//
//	docs:      [skip table] block…            (blocks of blockSize documents)
//	skip:      per block: uvarint(lastDoc−prevLastDoc) uvarint(docBytes) uvarint(posBytes)
//	           (only when the list has more than one block; a Rice-coded
//	           list's blocks are of riceBlockSize, without posBytes); in
//	           a segment with segCounts, then uvarint(documents of the
//	           block): its blocks hold up to blockSize documents each (a
//	           merge joins its inputs' blocks, listJoiner), until they
//	           sum to the list's
//	block:     per document: uvarint(delta<<2 | tf) if tf ≤ 3,
//	           else uvarint(delta<<2) uvarint(tf)
//	positions: per document, tf positions: the first, then deltas (uvarints)
//
// delta is the document number minus the previous one in the list (the
// first is counted from 0, a block's first from the previous block's last).
// A term kept per document only (the one-character Han term) has no
// positions: its tf is the number of occurrences.

// blockSize is the number of documents of a docs block; riceBlockSize
// of a Rice-coded one, whose list a query reads whole and whose skip
// entries would cost more than they save.
const (
	blockSize     = 128
	riceBlockSize = 1024
)

// listBlockSize is the documents of a block of a list, Rice-coded or
// not.
func listBlockSize(rice bool) int {
	if rice {
		return riceBlockSize
	}
	return blockSize
}

var errCorrupt = errors.New("search: corrupt index data")

// appendPostings encodes one term's list: docs ascending, tfs[i] ≥ 1, and
// when pos is not nil, tfs[i] ascending positions for each document.
func appendPostings(docsOut, posOut []byte, docs, tfs, pos []uint32) ([]byte, []byte) {
	var raw []byte
	var ends []int
	if pos != nil {
		raw, ends = appendPositions(nil, nil, docs, tfs, pos)
	}
	return appendPostingsRaw(docsOut, posOut, docs, tfs, raw, ends)
}

// appendPositions encodes each document's positions (the first, then
// deltas) after raw, and appends the end offset of each to ends.
func appendPositions(raw []byte, ends []int, docs, tfs, pos []uint32) ([]byte, []int) {
	pi := 0
	for i := range docs {
		var x uint32
		for _, y := range pos[pi : pi+int(tfs[i])] {
			raw = binary.AppendUvarint(raw, uint64(y-x))
			x = y
		}
		pi += int(tfs[i])
		ends = append(ends, len(raw))
	}
	return raw, ends
}

// appendPostingsRaw is appendPostings with the positions already encoded:
// raw holds those of each document in turn, ends[i] is the end of the
// document i's; ends is nil for a list without positions.
func appendPostingsRaw(docsOut, posOut []byte, docs, tfs []uint32, raw []byte, ends []int) ([]byte, []byte) {
	d, p, _ := appendPostingsTo(docsOut, posOut, nil, docs, tfs, raw, ends, false, true, false, nil)
	return d, p
}

// appendPostingsTo is appendPostingsRaw encoding a long list's blocks in
// scratch, returned for the next list; rice codes its blocks as Rice
// blocks (rice.go), unless it is short, with their frequencies if
// freqs; counts writes each block's documents in its skip entry
// (segCounts). idx, if not nil, is the index of each document in the
// list's parent's list: a Rice-coded list is coded relative to it
// (relative.go), its skip entries still by documents.
func appendPostingsTo(docsOut, posOut, scratch []byte, docs, tfs []uint32, raw []byte, ends []int, rice, freqs, counts bool, idx []uint32) ([]byte, []byte, []byte) {
	if ends != nil {
		posOut = append(posOut, raw...)
	}
	rice = rice && len(docs) > riceVarintDocs
	block := func(d []byte, lo, hi int, prev uint32) []byte {
		switch {
		case rice && idx != nil:
			if lo > 0 {
				prev = idx[lo-1]
			}
			return appendRiceBlock(d, idx[lo:hi], tfs[lo:hi], prev, lo == 0, freqs, true)
		case rice:
			return appendRiceBlock(d, docs[lo:hi], tfs[lo:hi], prev, lo == 0, freqs, false)
		}
		return appendDocs(d, docs[lo:hi], tfs[lo:hi], prev)
	}
	size := listBlockSize(rice)
	if len(docs) <= size {
		return block(docsOut, 0, len(docs), 0), posOut, scratch
	}
	// skip table first: encode the blocks after it, then move them
	nb := (len(docs) + size - 1) / size
	blocks := scratch[:0]
	var prevLast uint32
	skip := docsOut
	for b := range nb {
		lo, hi := b*size, min(len(docs), (b+1)*size)
		n0 := len(blocks)
		blocks = block(blocks, lo, hi, prevLast)
		posBytes := 0
		if ends != nil {
			posBytes = ends[hi-1]
			if lo > 0 {
				posBytes -= ends[lo-1]
			}
		}
		skip = binary.AppendUvarint(skip, uint64(docs[hi-1]-prevLast))
		skip = binary.AppendUvarint(skip, uint64(len(blocks)-n0))
		if !rice {
			skip = binary.AppendUvarint(skip, uint64(posBytes))
		}
		if counts {
			skip = binary.AppendUvarint(skip, uint64(hi-lo))
		}
		prevLast = docs[hi-1]
	}
	return append(skip, blocks...), posOut, blocks
}

// appendDocs encodes a block's documents counted from prev.
func appendDocs(d []byte, docs, tfs []uint32, prev uint32) []byte {
	for i, doc := range docs {
		delta := doc - prev
		prev = doc
		if tfs[i] <= 3 {
			d = binary.AppendUvarint(d, uint64(delta)<<2|uint64(tfs[i]))
		} else {
			d = binary.AppendUvarint(d, uint64(delta)<<2)
			d = binary.AppendUvarint(d, uint64(tfs[i]))
		}
	}
	return d
}

// skipEntry locates one block of a docs stream.
type skipEntry struct {
	last      uint32 // last document of the block
	docs, pos int    // offsets of the block in the docs and positions streams
	first     int    // the documents of the list before the block
}

// postingIter walks one term's list. Documents are visited in order;
// positions are decoded only when asked for.
type postingIter struct {
	docsB, posB []byte
	df          int
	positional  bool

	skips []skipEntry // empty for a list of one block
	bs    int         // documents of a block
	blk   int         // current block
	left  int         // documents left in the current block
	total int         // documents left in the list, current included

	p      int    // next byte of docsB
	prev   uint32 // previous document (delta base)
	doc    uint32
	tf     uint32
	pp     int // start of the current document's positions (if posKnown)
	ppNext int // start of the next document's positions
	done   bool
	err    error

	// rice: the blocks are Rice blocks (rice.go); fresh: the next
	// document starts one, at p; k and br decode the current one.
	rice, fresh bool
	noFreqs     bool // the current Rice block has no frequencies
	k           uint
	br          bitReader
	// relative: the current Rice block codes indices in parent, the
	// list's parent's documents (relative.go; set after reset), pidx
	// the current document's
	relative bool
	parent   []uint32
	pidx     int

	// local: the list is a local Rice-coded one (ricepos.go); its
	// positions are read lazily. The current block's positions start at
	// pstart (pfresh: not started; then pk and pbr read them); the
	// current document's start pskip codes after pbr and the next one's
	// pend after it; pread: the current document's were read, from pdoc.
	local         bool
	kf            uint // the current block's frequencies' Rice parameter
	pfresh, pread bool
	pk            uint
	pstart        int
	pskip, pend   int
	pbr, pdoc     bitReader
	posBuf        []uint32 // localRaw's
	rawBuf        []byte
}

const noDoc = ^uint32(0)

// newPostingIter returns an iterator before its first document; rice
// says the list was written with rice set (appendPostingsTo).
func newPostingIter(docs, pos []byte, df int, positional, rice bool) *postingIter {
	it := &postingIter{}
	c := codeVarint
	if rice {
		c = codeRice
	}
	it.reset(docs, pos, df, positional, c, false)
	return it
}

// reset makes it an iterator of another list, of a segment coding its
// lists by c, reusing its memory; counts says the list's skip entries
// count their documents (segCounts).
func (it *postingIter) reset(docs, pos []byte, df int, positional bool, c listCoding, counts bool) {
	rice := c == codeRice && df > riceVarintDocs
	local := c == codeRiceLocal && df > localVarintDocs
	bs := listBlockSize(rice)
	*it = postingIter{docsB: docs, posB: pos, df: df, positional: positional, total: df, doc: noDoc, skips: it.skips[:0], rice: rice, fresh: rice || local, bs: bs,
		local: local, posBuf: it.posBuf, rawBuf: it.rawBuf}
	if local {
		it.localBlock(0)
	}
	if df > bs {
		if !it.readSkips(counts) {
			it.fail()
			return
		}
		it.left = it.blockDocs(0)
		return
	}
	it.left = df
}

// readSkips reads the list's skip table: a block of bs documents at a
// time, or with counts as many blocks as it takes to count the list's.
func (it *postingIter) readSkips(counts bool) bool {
	docs := it.docsB
	var last uint32
	p := 0
	var docOff, posOff, first int
	for first < it.df {
		d, n1 := binary.Uvarint(docs[p:])
		db, n2 := binary.Uvarint(docs[p+max(n1, 0):])
		pb, n3 := uint64(0), 0
		if !it.rice {
			pb, n3 = binary.Uvarint(docs[p+max(n1, 0)+max(n2, 0):])
		}
		if n1 <= 0 || n2 <= 0 || n3 < 0 || !it.rice && n3 == 0 {
			return false
		}
		p += n1 + n2 + n3
		n := uint64(it.bs)
		if counts {
			var n4 int
			n, n4 = binary.Uvarint(docs[p:])
			if n4 <= 0 || n == 0 || n > uint64(it.df-first) {
				return false
			}
			p += n4
		}
		last += uint32(d)
		it.skips = append(it.skips, skipEntry{last: last, docs: docOff, pos: posOff, first: first})
		docOff += int(db)
		posOff += int(pb)
		first += int(n)
	}
	if len(it.skips) < 2 {
		return false
	}
	for b := range it.skips {
		it.skips[b].docs += p
		if it.skips[b].docs > len(docs) || it.skips[b].pos > len(it.posB) || b > 0 && it.skips[b].last <= it.skips[b-1].last {
			return false
		}
	}
	it.p = p
	return true
}

// blockDocs is the number of documents of block b.
func (it *postingIter) blockDocs(b int) int {
	if b+1 < len(it.skips) {
		return it.skips[b+1].first - it.skips[b].first
	}
	return it.df - it.skips[b].first
}

func (it *postingIter) fail() {
	it.err = errCorrupt
	it.done = true
	it.doc = noDoc
}

// next moves to the first document ≥ target and returns it, or noDoc.
func (it *postingIter) next(target uint32) uint32 {
	if it.doc != noDoc && it.doc >= target || it.done {
		return it.doc
	}
	if len(it.skips) > 0 && it.skips[it.blk].last < target {
		b := it.blk
		for b+1 < len(it.skips) && it.skips[b].last < target {
			b++
		}
		if it.skips[b].last < target {
			it.done, it.doc = true, noDoc
			return noDoc
		}
		it.total = it.df - it.skips[b].first
		it.blk = b
		it.left = it.blockDocs(b)
		it.p = it.skips[b].docs
		it.fresh = it.rice || it.local
		it.ppNext = it.skips[b].pos
		if it.local {
			it.localBlock(it.skips[b].pos)
		}
		it.prev = it.skips[b-1].last
		it.doc = it.prev // delta base for the block's first document
	}
	for {
		if !it.step() {
			return noDoc
		}
		if it.doc >= target {
			return it.doc
		}
	}
}

// step decodes the next document.
func (it *postingIter) step() bool {
	if it.total == 0 {
		it.done, it.doc = true, noDoc
		return false
	}
	if it.left == 0 {
		it.blk++
		if it.blk >= len(it.skips) {
			it.fail()
			return false
		}
		it.left = it.blockDocs(it.blk)
		if it.local { // a block may end with more than its padding
			it.p, it.fresh = it.skips[it.blk].docs, true
			it.localBlock(it.skips[it.blk].pos)
		}
	}
	var delta, tf uint64
	var ok bool
	if it.local {
		delta, tf, ok = it.localNext()
	} else {
		delta, tf, ok = it.decode()
	}
	if !ok {
		it.fail()
		return false
	}
	base := it.prev
	if it.doc == noDoc {
		base = 0
	} else {
		base = it.doc
	}
	if delta > uint64(noDoc-1-base) || it.doc != noDoc && delta == 0 {
		it.fail()
		return false
	}
	it.doc = base + uint32(delta)
	it.prev = it.doc
	it.tf = uint32(tf)
	it.pp = it.ppNext
	it.ppNext = -1 // unknown until the positions are skipped or read
	it.left--
	it.total--
	if it.local {
		it.pskip, it.pend, it.pread = it.pend, it.pend+int(tf), false
	} else if it.positional {
		it.ppNext = skipUvarints(it.posB, it.pp, int(tf))
		if it.ppNext < 0 {
			it.fail()
			return false
		}
	}
	return true
}

// decode reads the next document's delta (from the previous one, from 0
// for the list's first) and frequency.
func (it *postingIter) decode() (delta, tf uint64, ok bool) {
	if it.local {
		return it.localNext()
	}
	if it.rice {
		return it.riceNext()
	}
	if it.p >= len(it.docsB) {
		return 0, 0, false
	}
	v, n := binary.Uvarint(it.docsB[it.p:])
	if n <= 0 {
		return 0, 0, false
	}
	it.p += n
	tf = v & 3
	if tf == 0 {
		tf, n = binary.Uvarint(it.docsB[it.p:])
		if n <= 0 || tf < 4 || tf > 1<<24 {
			return 0, 0, false
		}
		it.p += n
	}
	return v >> 2, tf, true
}

// positions appends the current document's positions to buf.
func (it *postingIter) positions(buf []uint32) []uint32 {
	if !it.positional || it.doc == noDoc {
		return buf
	}
	if it.local {
		return it.localPositions(buf)
	}
	p := it.pp
	var x uint32
	for range it.tf {
		if p < 0 || p >= len(it.posB) {
			it.fail()
			return buf
		}
		v, n := binary.Uvarint(it.posB[p:])
		if n <= 0 {
			it.fail()
			return buf
		}
		p += n
		x += uint32(v)
		buf = append(buf, x)
	}
	return buf
}

// rawPositions returns the current document's encoded positions.
func (it *postingIter) rawPositions() []byte {
	if it.local && it.positional && it.doc != noDoc {
		return it.localRaw()
	}
	if !it.positional || it.doc == noDoc || it.pp < 0 || it.ppNext < it.pp {
		return nil
	}
	return it.posB[it.pp:it.ppNext]
}

// skipUvarints returns the offset after n uvarints starting at p, or -1.
func skipUvarints(b []byte, p, n int) int {
	for n > 0 {
		if p >= len(b) {
			return -1
		}
		if b[p] < 0x80 {
			n--
		}
		p++
	}
	return p
}

// docIter is a posting list being walked: one term's, or a union of terms
// (a word prefix).
type docIter interface {
	// next moves to the first document ≥ target and returns it, or noDoc.
	next(target uint32) uint32
	// freq is the current document's number of occurrences.
	freq() uint32
	// positions appends the current document's positions, ascending.
	positions(buf []uint32) []uint32
	// cost estimates the length of the list.
	cost() int
	failed() error
}

func (it *postingIter) freq() uint32  { return it.tf }
func (it *postingIter) cost() int     { return it.df }
func (it *postingIter) failed() error { return it.err }

// unionIter walks the union of lists, merging positions.
type unionIter struct {
	subs []*postingIter
	doc  uint32
	df   int
}

func newUnionIter(subs []*postingIter) *unionIter {
	u := &unionIter{subs: subs, doc: noDoc}
	for _, s := range subs {
		u.df += s.df
	}
	return u
}

func (u *unionIter) next(target uint32) uint32 {
	if u.doc != noDoc && u.doc >= target {
		return u.doc
	}
	u.doc = noDoc
	for _, s := range u.subs {
		u.doc = min(u.doc, s.next(target))
	}
	return u.doc
}

func (u *unionIter) freq() uint32 {
	var n uint32
	for _, s := range u.subs {
		if s.doc == u.doc {
			n += s.tf
		}
	}
	return n
}

func (u *unionIter) positions(buf []uint32) []uint32 {
	start := len(buf)
	for _, s := range u.subs {
		if s.doc == u.doc {
			buf = s.positions(buf)
		}
	}
	slices.Sort(buf[start:])
	return buf
}

func (u *unionIter) cost() int { return u.df }

func (u *unionIter) failed() error {
	for _, s := range u.subs {
		if s.err != nil {
			return s.err
		}
	}
	return nil
}
