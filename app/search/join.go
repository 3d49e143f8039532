package search

import (
	"encoding/binary"
	"math/bits"
)

// A merge of local segments none of which has deleted documents numbers
// each input's documents from its base on, in the inputs' order: a
// term's merged list is its inputs' lists one after the other, each
// document shifted by its input's base. The listJoiner copies the
// inputs' Rice blocks (ricepos.go) of at least joinCopyDocs documents,
// docs and positions byte for byte but for the delta of each one's first
// document (a varint of its own), and decodes the others (short lists,
// a list's last block) into blocks of up to blockSize documents of its
// own: a list of at most blockSize documents is one block, as the reader
// requires. A segment with segCounts has blocks of any size. A merge with
// deleted documents, or of segments in an older format, decodes and
// encodes every list (mergedRange.merge).

// joinCopyDocs is the least documents of an input's block that a join
// copies: a smaller one costs a skip entry and parameters of its own.
const joinCopyDocs = blockSize / 2

// listJoiner joins a term's lists.
type listJoiner struct {
	df         int  // the joined list's documents
	positional bool // the term has positions
	blocks     []joinedBlock
	buf        []byte // the blocks' documents, one after the other
	pos        []byte // their positions
	last       uint32 // the last document joined (new number)
	any        bool   // a document was joined
	// documents decoded and not in a block yet: their new numbers,
	// frequencies and position codes (ricepos.go's: the first, then
	// deltas less 1)
	docs, tfs, codes []uint32
	it               postingIter
	coder            localCoder
}

// joinedBlock is a block of the joined list: its documents, its bytes in
// buf and pos from start and posStart, and its last document.
type joinedBlock struct {
	n, start, posStart int
	last               uint32
}

// reset starts a list of df documents.
func (j *listJoiner) reset(df int, positional bool) {
	j.df, j.positional = df, positional
	j.blocks, j.buf, j.pos = j.blocks[:0], j.buf[:0], j.pos[:0]
	j.docs, j.tfs, j.codes = j.docs[:0], j.tfs[:0], j.codes[:0]
	j.last, j.any = 0, false
}

// add joins one input's list of df documents (docs and positions as a
// segment with segRiceLocal holds them), its documents shifted by base.
func (j *listJoiner) add(docs, pos []byte, df int, base uint32) error {
	it := &j.it
	if df <= localVarintDocs {
		it.reset(docs, pos, df, j.positional, codeRiceLocal, true)
		return j.decodeFrom(it, base)
	}
	if df <= blockSize {
		return j.block(docs, pos, df, base, 0, noDoc)
	}
	it.reset(docs, pos, df, j.positional, codeRiceLocal, true)
	if it.err != nil {
		return it.err
	}
	skips := append([]skipEntry(nil), it.skips...) // it is reused
	for b, s := range skips {
		end, posEnd := len(docs), len(pos)
		if b+1 < len(skips) {
			end, posEnd = skips[b+1].docs, skips[b+1].pos
		}
		var prev uint32
		if b > 0 {
			prev = skips[b-1].last
		}
		n := df - s.first
		if b+1 < len(skips) {
			n = skips[b+1].first - s.first
		}
		if s.docs >= end || s.pos > posEnd {
			return errCorrupt
		}
		if err := j.block(docs[s.docs:end], pos[s.pos:posEnd], n, base, prev, s.last); err != nil {
			return err
		}
	}
	return nil
}

// block joins an input's Rice block of n documents (its docs and
// positions bytes; its last document, or noDoc when unknown) after
// prev, the input's document before it (or 0), shifted by base: copied
// when it is large enough and the joined list has blocks, decoded
// otherwise.
func (j *listJoiner) block(docs, pos []byte, n int, base, prev, last uint32) error {
	it := &j.it
	it.resetBlock(docs, pos, n, j.positional)
	if n < joinCopyDocs || j.df <= blockSize {
		return j.decodeFrom(it, base+prev)
	}
	if last == noDoc {
		for it.step() {
		}
		if it.err != nil {
			return it.err
		}
		last = prev + it.prev
	}
	return j.copy(docs, pos, n, base, prev, last)
}

// decodeFrom decodes it's documents, each shifted by shift, into the
// documents not in a block yet, making a block of each blockSize.
func (j *listJoiner) decodeFrom(it *postingIter, shift uint32) error {
	var pos []uint32
	codes := 0 // of a local block's documents
	for it.step() {
		doc := it.doc + shift
		if j.any && doc <= j.last || doc < it.doc {
			return errCorrupt
		}
		codes += int(it.tf)
		if j.positional && !it.local {
			n0 := len(j.codes)
			pos = it.positions(pos[:0])
			var x uint32
			for i, p := range pos {
				if i > 0 {
					x++
				}
				j.codes = append(j.codes, p-x)
				x = p
			}
			if it.err != nil || len(j.codes)-n0 != int(it.tf) {
				return errCorrupt
			}
		}
		j.docs, j.tfs = append(j.docs, doc), append(j.tfs, it.tf)
		j.last, j.any = doc, true
	}
	if it.err != nil {
		return it.err
	}
	if j.positional && it.local { // a block's codes at once
		n0 := len(j.codes)
		j.codes = it.blockCodes(j.codes, codes)
		if it.err != nil || len(j.codes)-n0 != codes {
			return errCorrupt
		}
	}
	for j.df > blockSize && len(j.docs) >= blockSize {
		j.flushN(blockSize)
	}
	return nil
}

// flush makes a block of the documents decoded.
func (j *listJoiner) flush() {
	if len(j.docs) > 0 {
		j.flushN(len(j.docs))
	}
}

// flushN makes a block of the first n documents decoded.
func (j *listJoiner) flushN(n int) {
	var prev uint32
	if len(j.blocks) > 0 {
		prev = j.blocks[len(j.blocks)-1].last
	}
	b := joinedBlock{n: n, start: len(j.buf), posStart: len(j.pos), last: j.docs[n-1]}
	var pk uint
	np := 0
	if j.positional {
		for _, tf := range j.tfs[:n] {
			np += int(tf)
		}
		pk = bestK(j.codes[:np])
		j.pos = posBlock(j.pos, j.codes[:np], pk)
	}
	j.buf = j.coder.docsBlock(j.buf, j.docs[:n], j.tfs[:n], prev, pk)
	j.blocks = append(j.blocks, b)
	j.docs = j.docs[:copy(j.docs, j.docs[n:])]
	j.tfs = j.tfs[:copy(j.tfs, j.tfs[n:])]
	j.codes = j.codes[:copy(j.codes, j.codes[np:])]
}

// copy copies a block of n documents whose last is last, after prev
// and shifted by base, rewriting its first document's delta and
// shifting the bits after it (with its padding: the block may end with
// a byte more than it needs).
func (j *listJoiner) copy(docs, pos []byte, n int, base, prev, last uint32) error {
	j.flush()
	if len(docs) < 2 {
		return errCorrupt
	}
	k := uint(docs[0] & 15)
	r := bitReader{b: docs, p: 1, start: 1}
	r.refill()
	f := uint(bits.LeadingZeros64(^r.v)) // the frequencies' code, in unary
	if f > localMaxK+1 || f+1 > r.n {
		return errCorrupt
	}
	r.v, r.n = r.v<<(f+1), r.n-(f+1)
	v, ok := r.riceCode(k)
	if !ok || v > uint64(last-prev) {
		return errCorrupt
	}
	first := base + prev + uint32(v)
	if j.any && first <= j.last {
		return errCorrupt
	}
	var before uint32
	if len(j.blocks) > 0 {
		before = j.blocks[len(j.blocks)-1].last
	}
	j.blocks = append(j.blocks, joinedBlock{n: n, start: len(j.buf), posStart: len(j.pos), last: base + last})
	j.buf = append(j.buf, docs[0])
	var w bitWriter
	w.start(j.buf, len(docs)+maxDocCodeBytes)
	w.put((1<<f-1)<<1, f+1)
	w.put(riceBits(first-before, k))
	for {
		if r.n < 32 {
			r.refill()
		}
		if r.n == 0 {
			break
		}
		m := min(r.n, 32)
		w.put(r.v>>(64-m), m)
		r.v, r.n = r.v<<m, r.n-m
	}
	j.buf = w.end()
	j.pos = append(j.pos, pos...)
	j.last, j.any = base+last, true
	return nil
}

// finish appends the joined list's docs stream (appendLocal's layout)
// and positions to docsOut and posOut.
func (j *listJoiner) finish(docsOut, posOut []byte) ([]byte, []byte) {
	if j.df <= localVarintDocs {
		docsOut = appendDocs(docsOut, j.docs, j.tfs, 0)
		if j.positional {
			posOut = appendCodeVarints(posOut, j.tfs, j.codes)
		}
		return docsOut, posOut
	}
	j.flush()
	posOut = append(posOut, j.pos...)
	if len(j.blocks) == 1 {
		return append(docsOut, j.buf...), posOut
	}
	var prev uint32
	for i, b := range j.blocks {
		end, posEnd := len(j.buf), len(j.pos)
		if i+1 < len(j.blocks) {
			end, posEnd = j.blocks[i+1].start, j.blocks[i+1].posStart
		}
		docsOut = binary.AppendUvarint(docsOut, uint64(b.last-prev))
		docsOut = binary.AppendUvarint(docsOut, uint64(end-b.start))
		docsOut = binary.AppendUvarint(docsOut, uint64(posEnd-b.posStart))
		docsOut = binary.AppendUvarint(docsOut, uint64(b.n))
		prev = b.last
	}
	return append(docsOut, j.buf...), posOut
}
