package search

import (
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
//	block: byte(k | noFreqs) then, per document, MSB first, padded to a
//	       byte:
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
// counted from −1 (a block's first, from the previous block's last). k
// is chosen per block, the one giving the fewest bits. A list of at most
// riceVarintDocs documents is coded as varints (appendDocs), where the
// byte of k would cost more than it saves.
const (
	riceNoFreqs    = 0x80
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
// is false.
func appendRiceBlock(d []byte, docs, tfs []uint32, prev uint32, first, freqs bool) []byte {
	gap := func(i int) uint32 {
		if i == 0 {
			if first {
				return docs[0]
			}
			return docs[0] - prev - 1
		}
		return docs[i] - docs[i-1] - 1
	}
	var sum uint64
	for i := range docs {
		sum += uint64(gap(i))
	}
	k0 := bits.Len64(sum / uint64(len(docs)))
	k, best := 0, -1
	for c := max(k0-3, 0); c <= min(k0+1, riceMaxK); c++ {
		n := 0
		for i := range docs {
			if q := gap(i) >> c; q >= riceEscape {
				n += riceEscape + 32
			} else {
				n += int(q) + 1 + c
			}
		}
		if best < 0 || n < best {
			k, best = c, n
		}
	}
	if freqs && !slices.ContainsFunc(tfs, func(tf uint32) bool { return tf != 1 }) {
		freqs = false
	}
	head := byte(k)
	if !freqs {
		head |= riceNoFreqs
	}
	d = append(d, head)
	w := bitWriter{b: d}
	for i := range docs {
		g := gap(i)
		if q := g >> k; q >= riceEscape {
			w.write(1<<riceEscape-1, riceEscape)
			w.write(uint64(g), 32)
		} else {
			w.write((1<<q-1)<<1, uint(q)+1)
			w.write(uint64(g)&(1<<k-1), uint(k))
		}
		switch {
		case !freqs:
		case tfs[i] == 1:
			w.write(0, 1)
		case tfs[i] == 2:
			w.write(2, 2)
		default:
			w.write(3, 2)
		}
	}
	return w.flush()
}

// bitWriter appends bits, most significant first, to b.
type bitWriter struct {
	b   []byte
	acc uint64 // pending bits, right-aligned
	n   uint   // pending bits
}

// write appends the n (≤ 32) low bits of v.
func (w *bitWriter) write(v uint64, n uint) {
	w.acc = w.acc<<n | v&(1<<n-1)
	w.n += n
	for w.n >= 8 {
		w.n -= 8
		w.b = append(w.b, byte(w.acc>>w.n))
	}
}

// flush pads the last byte with zeros and returns the bytes.
func (w *bitWriter) flush() []byte {
	if w.n > 0 {
		w.b = append(w.b, byte(w.acc<<(8-w.n)))
		w.n = 0
	}
	return w.b
}

// bitReader reads bits, most significant first, from b[p:].
type bitReader struct {
	b     []byte
	p     int    // next byte to load
	start int    // first byte of the block
	v     uint64 // loaded bits, left-aligned
	n     uint   // loaded bits
}

func (r *bitReader) refill() {
	for r.n <= 56 && r.p < len(r.b) {
		r.v |= uint64(r.b[r.p]) << (56 - r.n)
		r.n += 8
		r.p++
	}
}

// read returns the next n (≤ 32) bits.
func (r *bitReader) read(n uint) (uint64, bool) {
	if n == 0 {
		return 0, true
	}
	r.refill()
	if r.n < n {
		return 0, false
	}
	v := r.v >> (64 - n)
	r.v <<= n
	r.n -= n
	return v, true
}

// unary returns the number of one bits before the next zero, reading
// the zero too, or riceEscape (reading no zero) when there are that many.
func (r *bitReader) unary() (uint64, bool) {
	r.refill()
	q := uint(bits.LeadingZeros64(^r.v))
	if q >= riceEscape {
		q = riceEscape
		if r.n < q {
			return 0, false
		}
		r.v <<= q
		r.n -= q
		return riceEscape, true
	}
	if r.n < q+1 {
		return 0, false
	}
	r.v <<= q + 1
	r.n -= q + 1
	return uint64(q), true
}

// end is the offset of the byte after the bits read.
func (r *bitReader) end() int {
	used := (r.p-r.start)*8 - int(r.n)
	return r.start + (used+7)/8
}

// riceStart starts decoding the block at it.p.
func (it *postingIter) riceStart() bool {
	if it.p >= len(it.docsB) || it.docsB[it.p]&^riceNoFreqs > riceMaxK {
		return false
	}
	it.k = uint(it.docsB[it.p] &^ riceNoFreqs)
	it.noFreqs = it.docsB[it.p]&riceNoFreqs != 0
	it.br = bitReader{b: it.docsB, p: it.p + 1, start: it.p + 1}
	it.fresh = false
	return true
}

// riceNext decodes the next document of a Rice block: its delta from the
// previous (from 0 for the list's first) and its frequency.
func (it *postingIter) riceNext() (delta, tf uint64, ok bool) {
	if it.fresh && !it.riceStart() {
		return 0, 0, false
	}
	r := &it.br
	q, ok := r.unary()
	if !ok {
		return 0, 0, false
	}
	var g uint64
	if q == riceEscape {
		g, ok = r.read(32)
	} else {
		var low uint64
		low, ok = r.read(it.k)
		g = q<<it.k | low
	}
	if !ok {
		return 0, 0, false
	}
	tf = 1
	if !it.noFreqs {
		b, ok := r.read(1)
		if !ok {
			return 0, 0, false
		}
		if b == 1 {
			if b, ok = r.read(1); !ok {
				return 0, 0, false
			}
			tf = 2 + b
		}
	}
	if it.left == 1 { // the block's last: the next block starts after it
		it.p, it.fresh = r.end(), true
	}
	if it.doc == noDoc {
		return g, tf, true
	}
	return g + 1, tf, true
}
