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
//	docs:      byte(pk<<4 | k) then, MSB first, padded to a byte: f in
//	           unary (f one bits and a zero), the first document's delta
//	           (the document less the previous block's last; the list's
//	           first: the document itself) as a Rice code of parameter k
//	           (rice.go's, riceEscape included) and its frequency, then
//	           per other document its gap (document − previous − 1) as a
//	           Rice code of parameter k and its frequency
//	freq:      tf−1 as a Rice code of parameter f−1; absent when f is
//	           0, where every frequency of the block is 1
//	positions: MSB first, padded to a byte, per document its tf
//	           positions, the first and then each less the one before
//	           less 1, as Rice codes of parameter pk (0 for a list
//	           without positions)
//
// A merge joins blocks (listJoiner) rewriting their first delta, and
// shifting their other bits. A query decodes a
// document's positions only when it asks for them: stepping over a
// document counts its codes, which the next read skips.
const (
	localVarintDocs = 2
	localMaxK       = 15
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

// putRice writes the Rice codes of parameter k of vals. It keeps up to
// 63 bits pending and stores them a whole word at a time, in locals
// (put stores 8 bytes a code; in wasm, where no store of 8 bytes in
// big-endian order combines, that is eight stores), and leaves the
// bitWriter as put does.
func (w *bitWriter) putRice(vals []uint32, k uint) {
	buf, at, acc, n := w.buf, w.at, w.acc, w.n
	for _, v := range vals {
		c, l := riceBits(v, k)
		if n+l < 64 {
			acc, n = acc<<(l&63)|c, n+l
			continue
		}
		m := n + l - 64 // c's bits left over; n > 0 as l < 64
		binary.BigEndian.PutUint64(buf[at:], acc<<((64-n)&63)|c>>(m&63))
		at += 8
		acc, n = c, m
	}
	w.at, w.acc, w.n = at, acc, n
	w.put(0, 0) // stores the whole bytes pending
}

// riceBits returns the Rice code of parameter k of v and its bits:
// w.put(riceBits(v, k)) writes it (all inline).
func riceBits(v uint32, k uint) (uint64, uint) {
	if q := uint(v >> k); q < riceEscape {
		return (1<<q-1)<<(k+1) | uint64(v)&(1<<k-1), q + 1 + k
	}
	return (1<<riceEscape-1)<<32 | uint64(v), riceEscape + 32
}

// Upper bounds of the bytes of a code: a gap's and a frequency's (48
// bits each) and a position's.
const (
	maxDocCodeBytes = 13
	maxPosCodeBytes = 6
)

// bestK returns the Rice parameter giving vals the fewest bits, among
// the three up to log2 of their mean (escapes aside).
func bestK(vals []uint32) uint {
	var sum uint64
	for _, v := range vals {
		sum += uint64(v)
	}
	return bestKSum(vals, sum)
}

// bestKSum is bestK of vals whose sum is sum.
func bestKSum(vals []uint32, sum uint64) uint {
	if len(vals) == 0 {
		return 0
	}
	hi := uint(bits.Len64(sum / uint64(len(vals))))
	lo := hi - min(hi, 2)
	var c0, c1, c2 uint64
	for _, v := range vals {
		c0 += uint64(v >> lo)
		c1 += uint64(v >> (lo + 1))
		c2 += uint64(v >> (lo + 2))
	}
	return min(cheapestK(lo, hi, uint64(len(vals)), c0, c1, c2), localMaxK)
}

// gapK is bestK of the gaps of docs (each less the one before less 1),
// computed as it goes: their sum is known.
func gapK(docs []uint32) uint {
	if len(docs) < 2 {
		return 0
	}
	n := uint64(len(docs) - 1)
	sum := uint64(docs[len(docs)-1]-docs[0]) - n
	hi := uint(bits.Len64(sum / n))
	lo := hi - min(hi, 2)
	var c0, c1, c2 uint64
	prev := docs[0]
	for _, d := range docs[1:] {
		g := d - prev - 1
		prev = d
		c0 += uint64(g >> lo)
		c1 += uint64(g >> (lo + 1))
		c2 += uint64(g >> (lo + 2))
	}
	return min(cheapestK(lo, hi, n, c0, c1, c2), localMaxK)
}

// tfK is bestK of tfs less 1, whose sum is sum.
func tfK(tfs []uint32, sum uint64) uint {
	n := uint64(len(tfs))
	hi := uint(bits.Len64(sum / n))
	lo := hi - min(hi, 2)
	var c0, c1, c2 uint64
	for _, tf := range tfs {
		v := tf - 1
		c0 += uint64(v >> lo)
		c1 += uint64(v >> (lo + 1))
		c2 += uint64(v >> (lo + 2))
	}
	return min(cheapestK(lo, hi, n, c0, c1, c2), localMaxK)
}

// localCoder encodes local lists, reusing its scratch from list to list.
type localCoder struct {
	pos    []uint32 // a list's position codes, decoded from its varints
	blocks []byte   // a long list's docs blocks, before its skip table
}

// appendLocal encodes a list as a local segment writer with
// segRiceLocal does: docs ascending, tfs[i] ≥ 1, and when ends is not
// nil, each document's positions as varints in raw (the first, then
// deltas), ending at ends[i].
func (c *localCoder) appendLocal(docsOut, posOut []byte, docs, tfs []uint32, raw []byte, ends []int) ([]byte, []byte) {
	if len(docs) <= localVarintDocs {
		d, p, _ := appendPostingsTo(docsOut, posOut, nil, docs, tfs, raw, ends, false, false, true, nil)
		return d, p
	}
	var codes []uint32
	if ends != nil {
		c.pos = rawCodes(c.pos[:0], raw, tfs)
		codes = c.pos
	}
	return c.appendCoded(docsOut, posOut, docs, tfs, codes, ends != nil)
}

// rawCodes appends the position codes of varints (each document's
// first, then deltas) of documents of tfs positions: the first, then
// each delta less 1.
func rawCodes(out []uint32, raw []byte, tfs []uint32) []uint32 {
	p := 0
	for _, tf := range tfs {
		for i := range tf {
			v, n := binary.Uvarint(raw[p:])
			if n <= 0 {
				return out
			}
			p += n
			if i > 0 {
				v--
			}
			out = append(out, uint32(v))
		}
	}
	return out
}

// appendCoded is appendLocal with the positions given as codes: per
// document its first position, then each less the one before less 1.
func (c *localCoder) appendCoded(docsOut, posOut []byte, docs, tfs, codes []uint32, positional bool) ([]byte, []byte) {
	return c.appendSummed(docsOut, posOut, docs, tfs, codes, positional, nil)
}

// appendSummed is appendCoded given, per block of blockSize documents,
// the sum of its frequencies (sums[2*b]) and of its position codes
// (sums[2*b+1]), as the list was made; nil: it sums them.
func (c *localCoder) appendSummed(docsOut, posOut []byte, docs, tfs, codes []uint32, positional bool, sums []uint64) ([]byte, []byte) {
	if len(docs) <= localVarintDocs {
		docsOut = appendDocs(docsOut, docs, tfs, 0)
		if positional {
			posOut = appendCodeVarints(posOut, tfs, codes)
		}
		return docsOut, posOut
	}
	nb := (len(docs) + blockSize - 1) / blockSize
	blocks := c.blocks[:0]
	if nb == 1 {
		blocks = docsOut // the one block, with no skip table
	}
	var prevLast uint32
	pi := 0
	for b := range nb {
		lo, hi := b*blockSize, min(len(docs), (b+1)*blockSize)
		n0, p0 := len(blocks), len(posOut)
		var tsum, psum uint64
		if sums != nil {
			tsum, psum = sums[2*b], sums[2*b+1]
		} else {
			for _, tf := range tfs[lo:hi] {
				tsum += uint64(tf)
			}
		}
		var pk uint
		if positional {
			np := int(tsum)
			if sums == nil {
				pk = bestK(codes[pi : pi+np])
			} else {
				pk = bestKSum(codes[pi:pi+np], psum)
			}
			posOut = posBlock(posOut, codes[pi:pi+np], pk)
			pi += np
		}
		blocks = c.docsBlockSum(blocks, docs[lo:hi], tfs[lo:hi], prevLast, pk, tsum)
		if nb == 1 {
			return blocks, posOut
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

// appendCodeVarints appends position codes as posting.go's varints.
func appendCodeVarints(p []byte, tfs, codes []uint32) []byte {
	i := 0
	for _, tf := range tfs {
		for j, v := range codes[i : i+int(tf)] {
			if j > 0 {
				v++
			}
			p = binary.AppendUvarint(p, uint64(v))
		}
		i += int(tf)
	}
	return p
}

// docsBlock appends a docs block of docs after prev (the previous
// block's last document, or 0), its positions' parameter pk. It
// computes the gaps and frequencies as it codes them (their sums are
// known), writing whole words as putRice does.
func (c *localCoder) docsBlock(d []byte, docs, tfs []uint32, prev uint32, pk uint) []byte {
	var tsum uint64
	for _, tf := range tfs {
		tsum += uint64(tf)
	}
	return c.docsBlockSum(d, docs, tfs, prev, pk, tsum)
}

// docsBlockSum is docsBlock given the sum of tfs.
func (c *localCoder) docsBlockSum(d []byte, docs, tfs []uint32, prev uint32, pk uint, tsum uint64) []byte {
	ones := tsum == uint64(len(tfs)) // every tf is at least 1
	k := gapK(docs)
	var kf uint
	if !ones {
		kf = tfK(tfs, tsum-uint64(len(tfs)))
	}
	d = append(d, byte(pk<<4|k))
	var w bitWriter
	w.start(d, len(docs)*maxDocCodeBytes+3)
	if ones {
		w.put(0, 1)
	} else {
		w.put((1<<(kf+1)-1)<<1, kf+2)
	}
	buf, at, acc, n := w.buf, w.at, w.acc, w.n
	p := prev - 1 // the first document's code is its delta, the others' their gap
	for i, doc := range docs {
		cd, l := riceBits(doc-p-1, k)
		p = doc
		if n+l < 64 {
			acc, n = acc<<(l&63)|cd, n+l
		} else {
			m := n + l - 64
			binary.BigEndian.PutUint64(buf[at:], acc<<((64-n)&63)|cd>>(m&63))
			at += 8
			acc, n = cd, m
		}
		if ones {
			continue
		}
		cd, l = riceBits(tfs[i]-1, kf)
		if n+l < 64 {
			acc, n = acc<<(l&63)|cd, n+l
		} else {
			m := n + l - 64
			binary.BigEndian.PutUint64(buf[at:], acc<<((64-n)&63)|cd>>(m&63))
			at += 8
			acc, n = cd, m
		}
	}
	w.at, w.acc, w.n = at, acc, n
	w.put(0, 0) // stores the whole bytes pending
	return w.end()
}

// posBlock appends a positions block of codes, of parameter k.
func posBlock(p []byte, codes []uint32, k uint) []byte {
	var w bitWriter
	w.start(p, len(codes)*maxPosCodeBytes)
	w.putRice(codes, k)
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

// skipCodes skips cnt Rice codes of parameter k.
func (r *bitReader) skipCodes(cnt int, k uint) bool {
	v, n := r.v, r.n
	for ; cnt > 0; cnt-- {
		if n < 48 {
			r.v, r.n = v, n
			r.refill()
			v, n = r.v, r.n
		}
		q := uint(bits.LeadingZeros64(^v))
		if q >= riceEscape || n < 48 {
			r.v, r.n = v, n
			if _, ok := r.riceCode(k); !ok {
				return false
			}
			v, n = r.v, r.n
			continue
		}
		v, n = v<<(q+1+k), n-(q+1+k)
	}
	r.v, r.n = v, n
	return true
}

// localStart starts decoding the docs block at it.p: its parameters,
// then the first document's delta, which it returns.
func (it *postingIter) localStart() (uint64, bool) {
	if it.p >= len(it.docsB) {
		return 0, false
	}
	it.k, it.pk = uint(it.docsB[it.p]&15), uint(it.docsB[it.p]>>4)
	r := &it.br
	*r = bitReader{b: it.docsB, p: it.p + 1, start: it.p + 1}
	r.refill()
	if r.n == 0 {
		return 0, false
	}
	f := uint(bits.LeadingZeros64(^r.v))
	if f > localMaxK+1 || f+1 > r.n {
		return 0, false
	}
	it.noFreqs, it.kf = f == 0, f-min(f, 1)
	r.v, r.n = r.v<<(f+1), r.n-(f+1)
	it.fresh = false
	return r.riceCode(it.k)
}

// localNext decodes the next document of a local Rice block: its delta
// from the previous (from 0 for the list's first) and its frequency.
func (it *postingIter) localNext() (delta, tf uint64, ok bool) {
	r := &it.br
	if it.fresh {
		delta, ok = it.localStart()
	} else {
		if r.n < 51 {
			r.refill()
		}
		// code, inline
		if q := uint(bits.LeadingZeros64(^r.v)); q < riceEscape && r.n >= 48 {
			k := it.k
			v := r.v << (q + 1)
			delta, ok = uint64(q)<<k|v>>(64-k), true
			r.v, r.n = v<<k, r.n-(q+1+k)
		} else {
			delta, ok = r.riceCode(it.k)
		}
		delta++
	}
	if !ok {
		return 0, 0, false
	}
	tf = 1
	if !it.noFreqs {
		if r.n < 48 {
			r.refill()
		}
		// code, inline
		if q := uint(bits.LeadingZeros64(^r.v)); q < riceEscape && r.n >= 48 {
			k := it.kf
			v := r.v << (q + 1)
			tf = uint64(q)<<k | v>>(64-k)
			r.v, r.n = v<<k, r.n-(q+1+k)
		} else if tf, ok = r.riceCode(it.kf); !ok {
			return 0, 0, false
		}
		if tf++; tf > 1<<24 {
			return 0, 0, false
		}
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
	start := len(buf)
	buf = it.localCodes(buf)
	if len(buf) > start {
		x := buf[start]
		for i := start + 1; i < len(buf); i++ {
			x += buf[i] + 1
			buf[i] = x
		}
	}
	return buf
}

// blockCodes appends the first n position codes of a block none of
// whose positions were read: of its documents read so far, whose
// frequencies sum to n.
func (it *postingIter) blockCodes(buf []uint32, n int) []uint32 {
	r := &bitReader{b: it.posB, p: it.pstart, start: it.pstart}
	k := it.pk
	for range n {
		if r.n < 48 {
			r.refill()
		}
		// riceCode, inline
		if q := uint(bits.LeadingZeros64(^r.v)); q < riceEscape && r.n >= 48 {
			w := r.v << (q + 1)
			buf = append(buf, uint32(uint64(q)<<k|w>>(64-k)))
			r.v, r.n = w<<k, r.n-(q+1+k)
		} else if v, ok := r.riceCode(k); ok && v < 1<<posBits {
			buf = append(buf, uint32(v))
		} else {
			it.fail()
			return buf
		}
	}
	return buf
}

// localCodes appends the current document's position codes to buf:
// the first position, then each less the one before less 1.
func (it *postingIter) localCodes(buf []uint32) []uint32 {
	if it.pread {
		it.pbr = it.pdoc // read again
	} else {
		if it.pfresh {
			if it.pstart >= len(it.posB) {
				it.fail()
				return buf
			}
			it.pbr = bitReader{b: it.posB, p: it.pstart, start: it.pstart}
			it.pfresh = false
		}
		if it.pskip > 0 && !it.pbr.skipCodes(it.pskip, it.pk) {
			it.fail()
			return buf
		}
		it.pdoc, it.pread = it.pbr, true
		it.pskip, it.pend = 0, 0
	}
	r := &it.pbr
	for range it.tf {
		if r.n < 48 {
			r.refill()
		}
		// riceCode, inline
		var v uint64
		ok := true
		if q := uint(bits.LeadingZeros64(^r.v)); q < riceEscape && r.n >= 48 {
			k := it.pk
			w := r.v << (q + 1)
			v = uint64(q)<<k | w>>(64-k)
			r.v, r.n = w<<k, r.n-(q+1+k)
		} else {
			v, ok = r.riceCode(it.pk)
		}
		if !ok || v >= 1<<posBits {
			it.fail()
			return buf
		}
		buf = append(buf, uint32(v))
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
