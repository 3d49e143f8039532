package search

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// Rice-coded docs blocks, the docs stream of a shipped segment written
// since segRice. A visitor fetches every byte of the lists a query needs,
// and a varint spends a byte where the gap between two documents needs
// a few bits; Golomb–Rice codes spend about log2 of the mean gap plus
// two bits per document.
//
//	block: byte(k | noFreqs | relative) then, per document, MSB first,
//	       padded to a byte:
//	       gap:  q = g>>k as q one bits and a zero, then the k low bits
//	             of g; q of riceEscape or more is riceEscape one bits and
//	             then g in 32 bits
//	       freq: 0 for 1, 10 for 2, 11 for 3 (a shipped frequency is
//	             capped at shippedMaxTF); absent with noFreqs, where
//	             every frequency is 1
//
// noFreqs marks a block whose frequencies are all 1, and every block of
// a one-character Han term's list (riceFreqs): those lists are a fifth
// of a shipped index, and rank only a query of one character, where the
// frequency bits (a third of their bytes) would buy little.
//
// g is the document minus the previous one minus 1, the first of a list
// counted from −1 (a block's first, from the previous block's last); in
// a relative block (riceRelative, relative.go) the document's index in
// its parent's list minus the previous one's minus 1. k
// is chosen per block, the one giving the fewest bits. A list of at most
// riceVarintDocs documents is coded as varints (appendDocs), where the
// byte of k would cost more than it saves.
const (
	riceNoFreqs    = 0x80
	riceRelative   = 0x40
	riceEscape     = 16
	riceVarintDocs = 2
	riceMaxK       = 31
)

// riceFreqs reports whether the list of term keeps its frequencies in a
// shipped segment: every list but a one-character Han term's.
func riceFreqs(term string) bool {
	r, n := utf8.DecodeRuneInString(term)
	return n != len(term) || !isHan(r)
}

// appendRiceBlock encodes a block's documents after prev (first: the
// list's first block, counted from −1), their frequencies unless freqs
// is false or they are all 1; relative marks docs and prev as indices
// in the list's parent (riceRelative). It takes two passes over the documents
// (the cost of each candidate k, the codes; their gaps' sum is the last
// less prev less their count, documents ascending) and keeps no gaps:
// most lists are short.
func appendRiceBlock(d []byte, docs, tfs []uint32, prev uint32, first, freqs, relative bool) []byte {
	if first {
		prev = ^uint32(0) // the first gap is the document itself
	}
	sum := uint64(docs[len(docs)-1]-prev) - uint64(len(docs))
	if freqs && !slices.ContainsFunc(tfs, func(tf uint32) bool { return tf != 1 }) {
		freqs = false // all 1
	}
	k := riceK(docs, prev, sum)
	head := byte(k)
	if !freqs {
		head |= riceNoFreqs
	}
	if relative {
		head |= riceRelative
	}
	d = append(d, head)
	// acc holds n pending bits, right-aligned (bits above them are
	// garbage); a document adds at most 50 to at most 7. After each, the
	// whole bytes are written by one 8-byte store past the end: a block
	// takes at most 7 bytes a document, and 8 more for the store.
	d = slices.Grow(d, 7*len(docs)+8)
	buf, at := d[:cap(d)], len(d)
	var acc uint64
	var n uint
	p := prev
	for i, doc := range docs {
		g := doc - p - 1
		p = doc
		if q := uint(g >> k); q >= riceEscape {
			acc = acc<<(riceEscape+32) | (1<<riceEscape-1)<<32 | uint64(g)
			n += riceEscape + 32
		} else {
			m := (q + 1 + k) & 63
			acc = acc<<m | (1<<(q&63)-1)<<((k+1)&63) | uint64(g)&(1<<(k&63)-1)
			n += m
		}
		if freqs {
			// 1 as 0, 2 as 10, 3 as 11
			tf := uint64(min(tfs[i], 3))
			two := tf >> 1
			acc = acc<<((1+two)&63) | tf*two
			n += uint(1 + two)
		}
		binary.BigEndian.PutUint64(buf[at:], acc<<((64-n)&63))
		at += int(n >> 3)
		n &= 7
	}
	if n > 0 {
		buf[at] = byte(acc << (8 - n))
		at++
	}
	return buf[:at]
}

// riceK returns the Rice parameter giving the gaps of docs after prev
// (sum in all) the fewest bits, among the three up to log2 of their mean
// (escapes aside, which are rare there).
func riceK(docs []uint32, prev uint32, sum uint64) uint {
	hi := uint(bits.Len64(sum / uint64(len(docs))))
	lo := hi - min(hi, 2)
	var c0, c1, c2 uint64
	p := prev
	for _, doc := range docs {
		g := doc - p - 1
		p = doc
		c0 += uint64(g >> lo)
		c1 += uint64(g >> (lo + 1))
		c2 += uint64(g >> (lo + 2))
	}
	return min(cheapestK(lo, hi, uint64(len(docs)), c0, c1, c2), riceMaxK)
}

// cheapestK returns the one of lo, lo+1 and lo+2 (at most hi) whose Rice
// codes of n values take the fewest bits, given c0, c1 and c2, the sums
// of the values shifted right by each (their codes' unary parts).
func cheapestK(lo, hi uint, n, c0, c1, c2 uint64) uint {
	best, cost := lo, c0+n*uint64(lo)
	if c := c1 + n*uint64(lo+1); c < cost && lo+1 <= hi {
		best, cost = lo+1, c
	}
	if c := c2 + n*uint64(lo+2); c < cost && lo+2 <= hi {
		best = lo + 2
	}
	return best
}

// bitReader reads bits, most significant first, from b[p:].
type bitReader struct {
	b     []byte
	p     int    // next byte to load
	start int    // first byte of the block
	v     uint64 // loaded bits, left-aligned; the bits after them are
	//             those of the next bytes, or zeros
	n uint // loaded bits
}

// refill loads bytes until at least 57 bits are loaded, or b ends. With
// 8 bytes left it loads them at once: the bits past the whole bytes it
// counts are those of the next bytes, which the next load ORs in again.
func (r *bitReader) refill() {
	if r.p+8 <= len(r.b) {
		r.v |= binary.BigEndian.Uint64(r.b[r.p:]) >> r.n
		adv := (63 - r.n) >> 3
		r.p += int(adv)
		r.n += adv << 3
		return
	}
	for r.n <= 56 && r.p < len(r.b) {
		r.v |= uint64(r.b[r.p]) << (56 - r.n)
		r.n += 8
		r.p++
	}
}

// end is the offset of the byte after the bits read.
func (r *bitReader) end() int {
	used := (r.p-r.start)*8 - int(r.n)
	return r.start + (used+7)/8
}

// riceStart starts decoding the block at it.p.
func (it *postingIter) riceStart() bool {
	if it.p >= len(it.docsB) || it.docsB[it.p]&^(riceNoFreqs|riceRelative) > riceMaxK {
		return false
	}
	head := it.docsB[it.p]
	it.k = uint(head &^ (riceNoFreqs | riceRelative))
	it.noFreqs = head&riceNoFreqs != 0
	if it.relative = head&riceRelative != 0; it.relative {
		// the index of the document before the block's first: known
		// when the block follows the one decoded, else (after a skip)
		// looked up
		switch {
		case it.parent == nil:
			return false
		case it.doc == noDoc:
			it.pidx = -1
		case it.pidx < 0 || it.pidx >= len(it.parent) || it.parent[it.pidx] != it.doc:
			if it.pidx = indexOf(it.parent, it.doc); it.pidx < 0 {
				return false
			}
		}
	}
	it.br = bitReader{b: it.docsB, p: it.p + 1, start: it.p + 1}
	it.fresh = false
	return true
}

// next reads a document's code of a Rice block of parameter k (and its
// frequency's, if freqs): its gap and frequency. One refill loads the at
// most 50 bits of a document.
func (r *bitReader) next(k uint, freqs bool) (g, tf uint64, ok bool) {
	r.refill()
	v, n := r.v, r.n
	if q := uint(bits.LeadingZeros64(^v)); q >= riceEscape {
		if n < riceEscape+32 {
			return 0, 0, false
		}
		g = v << riceEscape >> 32
		v, n = v<<(riceEscape+32), n-(riceEscape+32)
	} else {
		if n < q+1+k {
			return 0, 0, false
		}
		v <<= q + 1
		g = uint64(q)<<k | v>>(64-k) // v>>64 is 0 when k is 0
		v, n = v<<k, n-(q+1+k)
	}
	tf = 1
	if freqs {
		switch {
		case n >= 1 && v>>63 == 0:
			v, n = v<<1, n-1
		case n >= 2:
			tf = 2 + v>>62&1
			v, n = v<<2, n-2
		default:
			return 0, 0, false
		}
	}
	r.v, r.n = v, n
	return g, tf, true
}

// riceNext decodes the next document of a Rice block: its delta from the
// previous (from 0 for the list's first) and its frequency.
func (it *postingIter) riceNext() (delta, tf uint64, ok bool) {
	if it.fresh && !it.riceStart() {
		return 0, 0, false
	}
	g, tf, ok := it.br.next(it.k, !it.noFreqs)
	if !ok {
		return 0, 0, false
	}
	if it.left == 1 { // the block's last: the next block starts after it
		it.p, it.fresh = it.br.end(), true
	}
	if it.relative {
		if g >= uint64(len(it.parent)-it.pidx-1) {
			return 0, 0, false
		}
		it.pidx += int(g) + 1
		g = uint64(it.parent[it.pidx])
		if it.doc == noDoc {
			return g, tf, true
		}
		return g - uint64(it.doc), tf, true
	}
	if it.doc == noDoc {
		return g, tf, true
	}
	return g + 1, tf, true
}
