package search

import "encoding/binary"

// A merge of local segments none of which has deleted documents numbers
// each input's documents from its base on, in the inputs' order: a
// term's merged list is its inputs' lists one after the other, each
// document shifted by its input's base. Its positions are theirs, byte
// for byte, and so are its docs blocks, but for the first document of
// each (a delta from the document before it) and the skip table: the
// listJoiner copies the blocks, joining small ones up to blockSize
// documents (a segment with segCounts has blocks of any size), with no
// document decoded but a short list's (for its last document) and no
// position decoded at all. A merge with deleted documents decodes and
// encodes every list (mergedRange.merge).

// listJoiner joins a term's lists.
type listJoiner struct {
	blocks []joinedBlock
	buf    []byte // the blocks' documents, one after the other
	pos    []byte // the positions
	cur    joinedBlock
	last   uint32      // the last document joined (new number)
	any    bool        // a document was joined
	it     postingIter // reads the inputs' skip tables
}

// joinedBlock is a block of the joined list: its documents, its bytes in
// buf from start, its positions' bytes and its last document.
type joinedBlock struct {
	n, start, posBytes int
	last               uint32
}

func (j *listJoiner) reset() {
	j.blocks, j.buf, j.pos = j.blocks[:0], j.buf[:0], j.pos[:0]
	j.cur, j.last, j.any = joinedBlock{}, 0, false
}

// add joins one input's list of df documents (docs and positions as
// the segment holds them; counts: its skip entries count documents),
// its documents shifted by base.
func (j *listJoiner) add(docs, pos []byte, df int, base uint32, counts bool) error {
	j.pos = append(j.pos, pos...)
	if df <= blockSize {
		last, err := lastDoc(docs, df)
		if err != nil {
			return err
		}
		return j.block(docs, df, last, len(pos), base, 0, true)
	}
	it := &j.it
	it.reset(docs, pos, df, true, false, counts)
	if it.err != nil {
		return it.err
	}
	for b, s := range it.skips {
		end, posEnd := len(docs), len(pos)
		if b+1 < len(it.skips) {
			end, posEnd = it.skips[b+1].docs, it.skips[b+1].pos
		}
		var prev uint32
		if b > 0 {
			prev = it.skips[b-1].last
		}
		if s.docs >= end || s.pos > posEnd {
			return errCorrupt
		}
		if err := j.block(docs[s.docs:end], it.blockDocs(b), s.last, posEnd-s.pos, base, prev, b == 0); err != nil {
			return err
		}
	}
	return nil
}

// lastDoc decodes a block of n documents counted from 0 and returns the
// last.
func lastDoc(b []byte, n int) (uint32, error) {
	var doc uint64
	p := 0
	for range n {
		v, k := binary.Uvarint(b[p:])
		if k <= 0 {
			return 0, errCorrupt
		}
		p += k
		doc += v >> 2
		if v&3 == 0 { // a frequency of 4 or more follows
			if _, k = binary.Uvarint(b[p:]); k <= 0 {
				return 0, errCorrupt
			}
			p += k
		}
	}
	if p != len(b) || doc >= uint64(noDoc) {
		return 0, errCorrupt
	}
	return uint32(doc), nil
}

// block joins an input's block of n documents (b, its last document
// last and its positions' bytes), after prev, the input's document
// before it (first: none), shifted by base.
func (j *listJoiner) block(b []byte, n int, last uint32, posBytes int, base, prev uint32, first bool) error {
	v, k := binary.Uvarint(b)
	if k <= 0 {
		return errCorrupt
	}
	doc := v >> 2
	if !first {
		doc += uint64(prev)
	}
	doc += uint64(base)
	if j.cur.n > 0 && j.cur.n+n > blockSize {
		j.blocks = append(j.blocks, j.cur)
		j.cur = joinedBlock{start: len(j.buf)}
	}
	delta := doc
	if j.any {
		if doc <= uint64(j.last) {
			return errCorrupt
		}
		delta -= uint64(j.last)
	}
	j.buf = binary.AppendUvarint(j.buf, delta<<2|v&3)
	j.buf = append(j.buf, b[k:]...)
	j.cur.n += n
	j.cur.posBytes += posBytes
	j.last, j.any = base+last, true
	j.cur.last = j.last
	return nil
}

// finish appends the joined list's docs stream (appendPostingsTo's
// layout, with counts) and positions to docsOut and posOut.
func (j *listJoiner) finish(docsOut, posOut []byte) ([]byte, []byte) {
	posOut = append(posOut, j.pos...)
	if len(j.blocks) == 0 {
		return append(docsOut, j.buf...), posOut
	}
	j.blocks = append(j.blocks, j.cur)
	var prev uint32
	for i, b := range j.blocks {
		end := len(j.buf)
		if i+1 < len(j.blocks) {
			end = j.blocks[i+1].start
		}
		docsOut = binary.AppendUvarint(docsOut, uint64(b.last-prev))
		docsOut = binary.AppendUvarint(docsOut, uint64(end-b.start))
		docsOut = binary.AppendUvarint(docsOut, uint64(b.posBytes))
		docsOut = binary.AppendUvarint(docsOut, uint64(b.n))
		prev = b.last
	}
	return append(docsOut, j.buf...), posOut
}
