package search

import (
	"cmp"
	"encoding/binary"
	"slices"
	"strings"
	"unicode/utf8"
)

// builder turns a batch of documents into one segment. Tokens become
// packed records (term, document<<32 | position) in document order; a
// counting sort by term rank, stable, puts them in (term, document,
// position) order without comparing records. Han terms are keyed by their
// characters packed in an integer, so tokenizing allocates only for new
// terms.
type builder struct {
	tz      tokenizer
	hanIDs  hanTable
	wordIDs map[string]uint32
	terms   []string
	perDoc  []bool   // term is kept per document (no positions)
	charIDs []uint32 // BMP character -> term ID + 1, for tokChar

	tids []uint32
	vals []uint64
	docs []docInfo

	// per-document character counts
	charCount []uint32
	charSeen  []int32
	charList  []uint32
	textBytes int

	sorted []uint64 // finish's scratch, kept for the next batch
}

// maxLead bounds the lead paragraph, in characters.
const maxLead = 200

// maxTerms bounds a batch's terms, far below what a hanTable value holds
// (a document adds fewer terms than it has characters).
const maxTerms = 1 << 22

// maxRecords bounds a batch's records (12 bytes each, plus 8 to sort).
const maxRecords = 3 << 20

func newBuilder() *builder {
	return &builder{wordIDs: map[string]uint32{}}
}

// reset empties the builder for the next batch, keeping its memory.
func (b *builder) reset() {
	clear(b.hanIDs.slots)
	b.hanIDs.n = 0
	clear(b.wordIDs)
	clear(b.charIDs)
	b.terms, b.perDoc = b.terms[:0], b.perDoc[:0]
	b.tids, b.vals, b.docs = b.tids[:0], b.vals[:0], nil
	b.charCount, b.charSeen, b.charList = b.charCount[:0], b.charSeen[:0], b.charList[:0]
	b.textBytes = 0
}

func (b *builder) full() bool {
	return len(b.vals) >= maxRecords || len(b.docs) >= 1<<16 || len(b.terms) >= maxTerms
}

func (b *builder) termID(t token) uint32 {
	if t.kind == tokWord {
		if id, ok := b.wordIDs[string(t.word)]; ok {
			return id
		}
		id := b.newTerm(string(t.word), false)
		b.wordIDs[string(t.word)] = id
		return id
	}
	if t.kind == tokChar && t.a < 0x10000 {
		if b.charIDs == nil {
			b.charIDs = make([]uint32, 0x10000)
		}
		if id := b.charIDs[t.a]; id != 0 {
			return id - 1
		}
		id := b.newTerm(t.term(), true)
		b.charIDs[t.a] = id + 1
		return id
	}
	key := uint64(t.kind)<<36 | uint64(t.a)<<18 | uint64(t.b) // Han is below 1<<18
	if id, ok := b.hanIDs.get(key); ok {
		return id
	}
	id := b.newTerm(t.term(), t.kind == tokChar)
	b.hanIDs.put(key, id)
	return id
}

func (b *builder) newTerm(term string, perDoc bool) uint32 {
	id := uint32(len(b.terms))
	b.terms = append(b.terms, term)
	b.perDoc = append(b.perDoc, perDoc)
	b.charCount = append(b.charCount, 0)
	b.charSeen = append(b.charSeen, -1)
	return id
}

// add tokenizes one document: the title at positions from 0, the text
// after a gap of one position (so no phrase spans the two).
func (b *builder) add(d *Doc) {
	doc := uint32(len(b.docs))
	info := docInfo{id: d.ID, source: d.Source, authors: d.Authors}
	if !d.Date.IsZero() {
		info.date = d.Date.Unix()
	}
	var n uint32
	emit := func(t token) {
		id := b.termID(t)
		switch t.kind {
		case tokChar:
			if b.charSeen[id] != int32(doc) {
				b.charSeen[id] = int32(doc)
				b.charList = append(b.charList, id)
			}
			b.charCount[id]++
			return
		case tokBigram, tokWord:
			n++
		}
		b.tids = append(b.tids, id)
		b.vals = append(b.vals, uint64(doc)<<32|uint64(t.pos))
	}
	end := b.tz.run(d.Title, 0, emit)
	info.titleEnd = uint32(end)
	lead, _, _ := strings.Cut(d.Text, "\n")
	info.leadEnd = uint32(end + 1 + min(utf8.RuneCountInString(lead), maxLead))
	b.tz.run(d.Text, end+1, emit)
	info.length = n
	for _, id := range b.charList {
		b.tids = append(b.tids, id)
		b.vals = append(b.vals, uint64(doc)<<32|uint64(b.charCount[id]))
		b.charCount[id] = 0
	}
	b.charList = b.charList[:0]
	b.docs = append(b.docs, info)
	b.textBytes += len(d.Title) + len(d.Text)
}

// finish sorts the records and writes the segment.
func (b *builder) finish() (blob, header []byte) {
	order := b.termOrder()
	rank := make([]uint32, len(b.terms))
	for r, id := range order {
		rank[id] = uint32(r)
	}
	start := make([]int, len(b.terms)+1)
	for _, id := range b.tids {
		start[rank[id]+1]++
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	b.sorted = slices.Grow(b.sorted[:0], len(b.vals))[:len(b.vals)]
	sorted := b.sorted
	fill := slices.Clone(start[:len(b.terms)])
	for i, id := range b.tids {
		r := rank[id]
		sorted[fill[r]] = b.vals[i]
		fill[r]++
	}
	w := &segWriter{}
	var docs, tfs, pos []uint32
	for r, id := range order {
		docs, tfs, pos = groupRecords(sorted[start[r]:start[r+1]], b.perDoc[id], docs[:0], tfs[:0], pos[:0])
		if b.perDoc[id] {
			w.addTerm(b.terms[id], docs, tfs, nil)
		} else {
			w.addTerm(b.terms[id], docs, tfs, pos)
		}
	}
	return w.finish(b.docs)
}

// termOrder returns the term IDs in ascending order of their terms.
// Terms are compared by their first 8 bytes as an integer (all of a Han
// term), by the rest only on a tie.
func (b *builder) termOrder() []uint32 {
	keyed := make([]keyedTerm, len(b.terms))
	for i, t := range b.terms {
		var k [8]byte
		copy(k[:], t)
		keyed[i] = keyedTerm{binary.BigEndian.Uint64(k[:]), uint32(i)}
	}
	slices.SortFunc(keyed, func(x, y keyedTerm) int {
		if x.key != y.key {
			return cmp.Compare(x.key, y.key)
		}
		return strings.Compare(b.terms[x.id], b.terms[y.id])
	})
	order := make([]uint32, len(keyed))
	for i, k := range keyed {
		order[i] = k.id
	}
	return order
}

type keyedTerm struct {
	key uint64
	id  uint32
}

// groupRecords turns one term's sorted records into a posting list.
func groupRecords(recs []uint64, perDoc bool, docs, tfs, pos []uint32) ([]uint32, []uint32, []uint32) {
	for _, v := range recs {
		d, x := uint32(v>>32), uint32(v)
		if perDoc {
			docs = append(docs, d)
			tfs = append(tfs, x)
			continue
		}
		if n := len(docs); n > 0 && docs[n-1] == d {
			tfs[n-1]++
		} else {
			docs = append(docs, d)
			tfs = append(tfs, 1)
		}
		pos = append(pos, x)
	}
	return docs, tfs, pos
}
