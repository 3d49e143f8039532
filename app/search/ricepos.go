package search

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// Rice-coded local lists: the lists of a local segment written since
// segRiceLocal (format 9). Most of a local index is docs and positions
// (about half each), and a varint spends a byte or two where a document
// gap or a position needs a few bits more than its logarithm: Rice codes
// spend about log2 of the mean value plus two bits.
//
// A list of at most localVarintDocs documents is coded as posting.go's
// (varints), where the bytes of the parameters would cost more than they
// save. A longer one keeps posting.go's layout with segCounts (a skip
// table when it has more than one block, each block of at most blockSize
// documents, counted in its skip entry), but each block is
//
//	docs:      byte(k | localOnes) uvarint(delta) — the first document
//	           less the previous block's last (the list's first: the
//	           document itself) — then, MSB first, padded to a byte: the
//	           first document's frequency, then per other document its
//	           gap (document − previous − 1) as a Rice code of parameter
//	           k (rice.go's, riceEscape included) and its frequency
//	freq:      0 for 1, 10 for 2, 110 for 3, 111 and then tf−3 in Elias
//	           gamma code; absent with localOnes, where every frequency of
//	           the block is 1
//	positions: byte(k) then, MSB first, padded to a byte, per document
//	           its tf positions, the first and then each less the one
//	           before less 1, as Rice codes of parameter k
//
// The first document's delta is a varint of its own so that a merge
// joins blocks (listJoiner) rewriting it alone. A query decodes a
// document's positions only when it asks for them: stepping over a
// document counts its codes, which the next read skips.
const (
	localVarintDocs = 2
	localOnes       = 0x80
	localMaxK       = 30
)

// listCoding is how a segment codes its lists.
type listCoding uint8

const (
	codeVarint    listCoding = iota // posting.go's
	codeRice                        // a shipped segment's (rice.go)
	codeRiceLocal                   // a local segment's (ricepos.go)
)

// bitWriter appends bits, most significant first, to buf from at. Its
// caller grows buf to hold what it writes and 8 bytes more: each put
// stores 8 bytes at at.
type bitWriter struct {
	buf []byte
	at  int
	acc uint64 // n pending bits, right-aligned (garbage above them)
	n   uint
}

// start starts writing after b, which can take up to max more bytes.
func (w *bitWriter) start(b []byte, max int) {
	at := len(b)
	w.buf = slices.Grow(b, max+8)
	w.buf, w.at, w.acc, w.n = w.buf[:cap(w.buf)], at, 0, 0
}

// put writes the low n bits of v (n ≤ 57, v < 1<<n).
func (w *bitWriter) put(v uint64, n uint) {
	w.acc = w.acc<<n | v
	w.n += n
	binary.BigEndian.PutUint64(w.buf[w.at:], w.acc<<((64-w.n)&63))
	w.at += int(w.n >> 3)
	w.n &= 7
}

// end pads the bits to a byte and returns the bytes.
func (w *bitWriter) end() []byte {
	if w.n > 0 {
		w.buf[w.at] = byte(w.acc << (8 - w.n))
		w.at++
		w.n = 0
	}
	return w.buf[:w.at]
}

// rice writes v as a Rice code of parameter k.
func (w *bitWriter) rice(v uint32, k uint) {
	if q := uint(v >> k); q >= riceEscape {
		w.put((1<<riceEscape-1)<<32|uint64(v), riceEscape+32)
	} else {
		w.put((1<<q-1)<<(k+1)|uint64(v)&(1<<k-1), q+1+k)
	}
}

// freq writes a frequency (1 ≤ tf ≤ 1<<24).
func (w *bitWriter) freq(tf uint32) {
	switch tf {
	case 1:
		w.put(0, 1)
	case 2:
		w.put(2, 2)
	case 3:
		w.put(6, 3)
	default:
		x := uint64(tf - 3)
		w.put(7, 3)
		w.put(x, uint(2*bits.Len64(x)-1))
	}
}

// Upper bounds of the bytes of a code: a gap's and a frequency's (48
// and 52 bits) and a position's.
const (
	maxDocCodeBytes = 13
	maxPosCodeBytes = 6
)

// bestK returns the Rice parameter giving vals the fewest bits, among
// the three up to log2 of their mean (escapes aside).
func bestK(vals []uint32) uint {
	if len(vals) == 0 {
		return 0
	}
	var sum uint64
	for _, v := range vals {
		sum += uint64(v)
	}
	hi := uint(bits.Len64(sum / uint64(len(vals))))
	lo := hi - min(hi, 2)
	var c0, c1, c2 uint64
	for _, v := range vals {
		c0 += uint64(v >> lo)
		c1 += uint64(v >> (lo + 1))
		c2 += uint64(v >> (lo + 2))
	}
	n := uint64(len(vals))
	best, cost := lo, c0+n*uint64(lo)
	if c := c1 + n*uint64(lo+1); c < cost && lo+1 <= hi {
		best, cost = lo+1, c
	}
	if c := c2 + n*uint64(lo+2); c < cost && lo+2 <= hi {
		best = lo + 2
	}
	return min(best, localMaxK)
}

// localCoder encodes local lists, reusing its scratch from list to list.
type localCoder struct {
	pos    []uint32 // a list's positions, decoded from its varints
	vals   []uint32 // a block's gaps or position codes
	blocks []byte   // a long list's docs blocks, before its skip table
}

// appendLocal encodes a list as a local segment writer with
// segRiceLocal does: docs ascending, tfs[i] ≥ 1, and when ends is not
// nil, each document's positions as varints in raw (the first, then
// deltas), ending at ends[i].
func (c *localCoder) appendLocal(docsOut, posOut []byte, docs, tfs []uint32, raw []byte, ends []int) ([]byte, []byte) {
	if len(docs) <= localVarintDocs {
		d, p, _ := appendPostingsTo(docsOut, posOut, nil, docs, tfs, raw, ends, false, false, true)
		return d, p
	}
	var pos []uint32
	if ends != nil {
		c.pos = decodeRaw(c.pos[:0], raw)
		pos = c.pos
	}
	return c.appendBlocks(docsOut, posOut, docs, tfs, pos, ends != nil)
}

// decodeRaw appends the positions of varints (each document's first,
// then deltas) as they come: deltas stay deltas but for each document's
// first, which is its own.
func decodeRaw(out []uint32, raw []byte) []uint32 {
	for p := 0; p < len(raw); {
		v, n := binary.Uvarint(raw[p:])
		if n <= 0 {
			break
		}
		p += n
		out = append(out, uint32(v))
	}
	return out
}

// appendBlocks encodes a list of more than localVarintDocs documents
// in blocks; positional: pos holds each document's tf position codes as
// varints hold them (the first, then deltas of at least 1).
func (c *localCoder) appendBlocks(docsOut, posOut []byte, docs, tfs, pos []uint32, positional bool) ([]byte, []byte) {
	if len(docs) <= blockSize {
		docsOut, _ = c.docsBlock(docsOut, docs, tfs, 0)
		if positional {
			posOut = c.posBlock(posOut, tfs, pos)
		}
		return docsOut, posOut
	}
	nb := (len(docs) + blockSize - 1) / blockSize
	blocks := c.blocks[:0]
	var prevLast uint32
	pi := 0
	for b := range nb {
		lo, hi := b*blockSize, min(len(docs), (b+1)*blockSize)
		n0, p0 := len(blocks), len(posOut)
		blocks, _ = c.docsBlock(blocks, docs[lo:hi], tfs[lo:hi], prevLast)
		if positional {
			np := 0
			for _, tf := range tfs[lo:hi] {
				np += int(tf)
			}
			posOut = c.posBlock(posOut, tfs[lo:hi], pos[pi:pi+np])
			pi += np
		}
		docsOut = binary.AppendUvarint(docsOut, uint64(docs[hi-1]-prevLast))
		docsOut = binary.AppendUvarint(docsOut, uint64(len(blocks)-n0))
		docsOut = binary.AppendUvarint(docsOut, uint64(len(posOut)-p0))
		docsOut = binary.AppendUvarint(docsOut, uint64(hi-lo))
		prevLast = docs[hi-1]
	}
	c.blocks = blocks
	return append(docsOut, blocks...), posOut
}

// docsBlock appends a docs block of docs after prev (the previous
// block's last document, or 0), and returns the offset of its first
// document's delta in it.
func (c *localCoder) docsBlock(d []byte, docs, tfs []uint32, prev uint32) ([]byte, int) {
	ones := !slices.ContainsFunc(tfs, func(tf uint32) bool { return tf != 1 })
	c.vals = c.vals[:0]
	for i := 1; i < len(docs); i++ {
		c.vals = append(c.vals, docs[i]-docs[i-1]-1)
	}
	k := bestK(c.vals)
	head := byte(k)
	if ones {
		head |= localOnes
	}
	d = append(d, head)
	at := len(d)
	d = binary.AppendUvarint(d, uint64(docs[0]-prev))
	var w bitWriter
	w.start(d, len(docs)*maxDocCodeBytes)
	if !ones {
		w.freq(tfs[0])
	}
	for i, g := range c.vals {
		w.rice(g, k)
		if !ones {
			w.freq(tfs[i+1])
		}
	}
	return w.end(), at
}

// posBlock appends a positions block: tfs's documents' codes in pos
// (each document's first position, then deltas of at least 1).
func (c *localCoder) posBlock(p []byte, tfs, pos []uint32) []byte {
	c.vals = c.vals[:0]
	i := 0
	for _, tf := range tfs {
		c.vals = append(c.vals, pos[i])
		for _, d := range pos[i+1 : i+int(tf)] {
			c.vals = append(c.vals, d-1)
		}
		i += int(tf)
	}
	k := bestK(c.vals)
	p = append(p, byte(k))
	var w bitWriter
	w.start(p, len(c.vals)*maxPosCodeBytes)
	for _, v := range c.vals {
		w.rice(v, k)
	}
	return w.end()
}

// riceCode reads a Rice code of parameter k; ok is false past the end.
func (r *bitReader) riceCode(k uint) (uint64, bool) {
	if r.n < riceEscape+32 {
		r.refill()
	}
	v, n := r.v, r.n
	q := uint(bits.LeadingZeros64(^v))
	if q >= riceEscape {
		if n < riceEscape+32 {
			return 0, false
		}
		r.v, r.n = v<<(riceEscape+32), n-(riceEscape+32)
		return v << riceEscape >> 32, true
	}
	if n < q+1+k {
		return 0, false
	}
	v <<= q + 1
	g := uint64(q)<<k | v>>(64-k) // v>>64 is 0 when k is 0
	r.v, r.n = v<<k, n-(q+1+k)
	return g, true
}

// freq reads a frequency (bitWriter.freq).
func (r *bitReader) freq() (uint64, bool) {
	if r.n < 52 {
		r.refill()
	}
	v, n := r.v, r.n
	switch {
	case n >= 1 && v>>63 == 0:
		r.v, r.n = v<<1, n-1
		return 1, true
	case n >= 2 && v>>62 == 2:
		r.v, r.n = v<<2, n-2
		return 2, true
	case n >= 3 && v>>61 == 6:
		r.v, r.n = v<<3, n-3
		return 3, true
	case n >= 3:
		v, n = v<<3, n-3
		z := uint(bits.LeadingZeros64(v))
		if z > 24 || n < 2*z+1 {
			return 0, false
		}
		r.v, r.n = v<<(2*z+1), n-(2*z+1)
		return v>>(63-2*z) + 3, true
	}
	return 0, false
}

// skipCodes skips n Rice codes of parameter k.
func (r *bitReader) skipCodes(n int, k uint) bool {
	for range n {
		if _, ok := r.riceCode(k); !ok {
			return false
		}
	}
	return true
}

// localStart starts decoding the docs block at it.p: its parameter,
// then the first document's delta, which it returns.
func (it *postingIter) localStart() (uint64, bool) {
	if it.p >= len(it.docsB) || it.docsB[it.p]&^localOnes > localMaxK {
		return 0, false
	}
	it.k = uint(it.docsB[it.p] &^ localOnes)
	it.noFreqs = it.docsB[it.p]&localOnes != 0
	delta, n := binary.Uvarint(it.docsB[it.p+1:])
	if n <= 0 {
		return 0, false
	}
	p := it.p + 1 + n
	it.br = bitReader{b: it.docsB, p: p, start: p}
	it.fresh = false
	return delta, true
}

// localNext decodes the next document of a local Rice block: its delta
// from the previous (from 0 for the list's first) and its frequency.
func (it *postingIter) localNext() (delta, tf uint64, ok bool) {
	if it.fresh {
		delta, ok = it.localStart()
	} else {
		delta, ok = it.br.riceCode(it.k)
		delta++
	}
	if !ok {
		return 0, 0, false
	}
	tf = 1
	if !it.noFreqs {
		if tf, ok = it.br.freq(); !ok {
			return 0, 0, false
		}
	}
	if it.left == 1 { // the block's last: the next block starts after it
		it.p, it.fresh = it.br.end(), true
	}
	return delta, tf, true
}

// resetBlock makes it an iterator of one local Rice block of n
// documents, the first counted from 0.
func (it *postingIter) resetBlock(docs, pos []byte, n int, positional bool) {
	*it = postingIter{docsB: docs, posB: pos, df: n, positional: positional, total: n, left: n, doc: noDoc, skips: it.skips[:0], fresh: true, bs: blockSize,
		local: true, posBuf: it.posBuf, rawBuf: it.rawBuf}
	it.localBlock(0)
}

// localBlock starts the positions of a block at offset p of posB.
func (it *postingIter) localBlock(p int) {
	it.pfresh, it.pstart, it.pskip, it.pend, it.pread = true, p, 0, 0, false
}

// localPositions appends the current document's positions to buf.
func (it *postingIter) localPositions(buf []uint32) []uint32 {
	if it.pread {
		it.pbr = it.pdoc // read again
	} else {
		if it.pfresh {
			if it.pstart >= len(it.posB) || it.posB[it.pstart] > localMaxK {
				it.fail()
				return buf
			}
			it.pk = uint(it.posB[it.pstart])
			it.pbr = bitReader{b: it.posB, p: it.pstart + 1, start: it.pstart + 1}
			it.pfresh = false
		}
		if !it.pbr.skipCodes(it.pskip, it.pk) {
			it.fail()
			return buf
		}
		it.pdoc, it.pread = it.pbr, true
		it.pskip, it.pend = 0, 0
	}
	var x uint32
	for i := range it.tf {
		v, ok := it.pbr.riceCode(it.pk)
		if !ok || v > 1<<posBits {
			it.fail()
			return buf
		}
		if i > 0 {
			v++
		}
		x += uint32(v)
		buf = append(buf, x)
	}
	return buf
}

// localRaw returns the current document's positions as varints (the
// first, then deltas), as a list of posting.go holds them.
func (it *postingIter) localRaw() []byte {
	it.posBuf = it.localPositions(it.posBuf[:0])
	it.rawBuf = it.rawBuf[:0]
	var x uint32
	for _, p := range it.posBuf {
		it.rawBuf = binary.AppendUvarint(it.rawBuf, uint64(p-x))
		x = p
	}
	return it.rawBuf
}
