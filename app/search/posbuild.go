package search

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// posBuilder turns a batch of documents into one local segment (with
// positions), the segment builder.finish writes, byte for byte, at a
// fraction of its cost. A token is one 8-byte record, key<<32 | place:
//
//	key:   kind<<30 | a<<15 | b, a and b the ranks of a Han token's
//	       characters (hanRank; b 0 but for a bigram; the few characters
//	       past the BMP take the ranks above, in code point order once
//	       the batch ends), or kind<<30 | number for a word (in the
//	       order met)
//	place: document<<posBits | position, or for a document's Han
//	       character document<<posBits | its count in the document
//
// appended by one loop over the folded text (tokens), with no call per
// token. A stable LSD radix sort of the keys (three passes of 11 bits)
// then puts the records in (term, document, position) order. A batch
// whose characters past the BMP outnumber the ranks left, or with a
// document of 1<<posBits bytes or more (ok false from add), is built by
// a builder instead.
type posBuilder struct {
	recs, tmp []uint64
	count     [3][1 << 11]int
	docs      []docInfo
	// a document's Han characters and their counts
	charCount []uint32
	charList  []rune
	ranks     extraRanks // the Han characters past the BMP

	wordIDs   wordTable
	words     []string
	word      []byte
	folded    []uint32
	textBytes int

	// finish's: the groups (groups), a list's documents, frequencies
	// and position codes (list)
	starts, bounds []int32
	termBytes      string
	groupsMet      int // the last batch's groups
	l              postingList
	codes          []uint32
	sums           []uint64
}

// posKind and posChar place a key's kind and first character.
const (
	posKind = 30
	posChar = 15
)

// A place holds a position in posBits, the document above: a batch
// holds up to 1<<(32-posBits) documents of less than 1<<posBits bytes.
const posBits = 20

func newPosBuilder() *posBuilder {
	return &posBuilder{charCount: make([]uint32, hanLimit)}
}

// reserve makes room for the records of documents of size bytes of
// text: about 0.4 records a byte of Chinese text.
func (b *posBuilder) reserve(size int) {
	b.recs = slices.Grow(b.recs, min(size*2/5, maxRecords+maxRecords/8))
}

func (b *posBuilder) reset() {
	b.recs, b.docs = b.recs[:0], nil
	// a refused document leaves its characters counted: left, they
	// were never listed again, and no later document of the pooled
	// builder had their records
	for _, c := range b.charList {
		b.charCount[c] = 0
	}
	b.charList = b.charList[:0]
	b.ranks.reset()
	b.wordIDs.reset()
	b.words = b.words[:0]
	b.textBytes = 0
}

// full reports whether the batch should end: as many records as a
// builder's batch, or as many documents as places hold.
func (b *posBuilder) full() bool {
	return len(b.recs) >= maxRecords || len(b.docs) >= 1<<(32-posBits) || len(b.words) >= 1<<posKind
}

// add tokenizes one document, the title at positions from 0, the text
// after a gap of one position, as builder.add does. It returns false,
// leaving the batch unusable, when the batch's characters past the BMP
// outnumber the ranks or the document is too long for a place.
func (b *posBuilder) add(d *Doc) bool {
	if len(d.Title)+len(d.Text)+1 >= 1<<posBits {
		return false
	}
	info := docInfo{id: d.ID, source: d.Source, authors: d.Authors}
	if !d.Date.IsZero() {
		info.date = d.Date.Unix()
	}
	// at most one record per byte of text and one per character
	if need := len(d.Title) + len(d.Text); cap(b.recs)-len(b.recs) < need {
		b.recs = slices.Grow(b.recs, max(need, len(b.recs)))
	}
	doc := uint32(len(b.docs))
	end, n, ok := b.tokens(d.Title, doc, 0)
	info.titleEnd = uint32(end)
	lead, _, _ := strings.Cut(d.Text, "\n")
	info.leadEnd = uint32(end + 1 + min(utf8.RuneCountInString(lead), maxLead))
	_, m, ok2 := b.tokens(d.Text, doc, end+1)
	if !ok || !ok2 {
		return false
	}
	info.length = n + m
	for _, c := range b.charList {
		x, ok := b.rank(c)
		if !ok {
			return false
		}
		b.recs = append(b.recs, (uint64(tokChar)<<posKind|x<<posChar)<<32|uint64(doc)<<posBits|uint64(b.charCount[c]))
		b.charCount[c] = 0
	}
	b.charList = b.charList[:0]
	b.docs = append(b.docs, info)
	b.textBytes += len(d.Title) + len(d.Text)
	return true
}

// rank is the hanRank of a Han character, or a rank above them for one
// past the BMP, in the order met (orderExtra puts them in code point
// order); ok is false when no rank is left.
func (b *posBuilder) rank(r rune) (uint64, bool) {
	return b.ranks.rankOf(r, 1<<posChar)
}

// charOf is the character of a rank (hanRank's inverse, or an extra
// one's).
func (b *posBuilder) charOf(x uint64) rune {
	return b.ranks.charOf(x)
}

// tokens appends the records of s's tokens, at positions from pos in
// document doc, counts its Han characters, and returns pos plus
// the number of characters of s and the number of its bigrams and
// words. It gives the tokens tokenizer.run gives (FuzzPosBuilder).
func (b *posBuilder) tokens(s string, doc uint32, pos int) (end int, n uint32, ok bool) {
	b.folded = t2s().foldAll(b.folded[:0], s)
	ents := b.folded
	recs := b.recs
	charCount := b.charCount
	at := uint64(doc)<<posBits | uint64(pos) // the place of ents[0]
	afterWord := false
	wordStart := -1
	word := b.word[:0]
	ok = true
	for j := 0; j < len(ents); j++ {
		r := rune(ents[j] & foldMask)
		switch charClass(ents[j] >> classShift) {
		case classHan:
			if wordStart >= 0 {
				recs = append(recs, b.wordKey(word)<<32|(at+uint64(wordStart)))
				n++
				wordStart = -1
				word = word[:0]
			}
			if charCount[r] == 0 {
				b.charList = append(b.charList, r)
			}
			charCount[r]++
			x, xok := hanRank(r)
			if !xok {
				x, xok = b.rank(r)
				ok = ok && xok
			}
			startEdge := afterWord
			if afterWord {
				recs = append(recs, (uint64(tokEdge)<<posKind|x<<posChar)<<32|(at+uint64(j)))
			}
			// the rest of the run: a bigram each
			start := j
			for j+1 < len(ents) && charClass(ents[j+1]>>classShift) == classHan {
				j++
				c := rune(ents[j] & foldMask)
				if charCount[c] == 0 {
					b.charList = append(b.charList, c)
				}
				charCount[c]++
				y, yok := hanRank(c)
				if !yok {
					y, yok = b.rank(c)
					ok = ok && yok
				}
				recs = append(recs, (x<<posChar|y)<<32|(at+uint64(j-1))) // tokBigram is 0
				n++
				x = y
			}
			afterWord = false
			// the run's end edge, if a word follows, unless it is the
			// start's
			if j+1 < len(ents) && charClass(ents[j+1]>>classShift) == classWord && !(startEdge && start == j) {
				recs = append(recs, (uint64(tokEdge)<<posKind|x<<posChar)<<32|(at+uint64(j)))
			}
		case classWord:
			if wordStart < 0 {
				wordStart = j
			}
			if len(word)+utf8.RuneLen(r) <= maxWordBytes {
				word = utf8.AppendRune(word, r)
			}
			afterWord = true
		default:
			if wordStart >= 0 {
				recs = append(recs, b.wordKey(word)<<32|(at+uint64(wordStart)))
				n++
				wordStart = -1
				word = word[:0]
			}
			afterWord = false
		}
	}
	if wordStart >= 0 {
		recs = append(recs, b.wordKey(word)<<32|(at+uint64(wordStart)))
		n++
	}
	b.word = word
	b.recs = recs
	return pos + len(ents), n, ok
}

func (b *posBuilder) wordKey(w []byte) uint64 {
	return uint64(tokWord)<<posKind | uint64(b.wordIDs.id(w, &b.words))
}

// orderExtra renumbers the extra ranks in code point order, as a key's
// order must be its term's.
func (b *posBuilder) orderExtra() {
	to := b.ranks.order()
	if to == nil {
		return
	}
	const mask = 1<<posChar - 1
	for i, rec := range b.recs {
		key := rec >> 32
		kind := tokenKind(key >> posKind)
		if kind == tokWord {
			continue
		}
		x, y := key>>posChar&mask, key&mask
		if x < hanRanks && y < hanRanks {
			continue
		}
		if x >= hanRanks {
			x = to[x-hanRanks]
		}
		if y >= hanRanks && kind == tokBigram {
			y = to[y-hanRanks]
		}
		b.recs[i] = (uint64(kind)<<posKind|x<<posChar|y)<<32 | rec&math.MaxUint32
	}
}

// sort sorts the records by key, stably: one pass through memory by the
// key's top 11 bits, then each bucket, in cache, by the other 21 (three
// LSD passes of 7 bits, or two of 11 and 10 bits for a large one, or an
// insertion sort when tiny). Three 11-bit LSD passes over the whole
// batch scattered every record three times.
func (b *posBuilder) sort() {
	n := len(b.recs)
	if n == 0 {
		return
	}
	c := &b.count[0]
	clear(c[:])
	for _, rec := range b.recs {
		c[rec>>53]++
	}
	big := 0 // the largest bucket
	for _, x := range c {
		big = max(big, x)
	}
	prefixSums(c[:])
	var bounds [1<<11 + 1]int
	copy(bounds[:], c[:])
	bounds[1<<11] = n
	b.tmp = slices.Grow(b.tmp[:0], n)[:n]
	for _, rec := range b.recs {
		x := rec >> 53
		b.tmp[c[x]] = rec
		c[x]++
	}
	scratch := make([]uint64, big)
	for k := range 1 << 11 {
		if lo, hi := bounds[k], bounds[k+1]; hi > lo {
			sortBucket(b.tmp[lo:hi], b.recs[lo:hi], scratch)
		}
	}
	// as large as the records: not kept while the lists are coded and
	// the segment written (a batch of 6 MB of text: ~20 MB)
	b.tmp = nil
}

// sortBucket sorts src, records sharing their key's top 11 bits, by the
// rest of their key, stably, into dst; src and scratch, as long, are
// scratch.
func sortBucket(src, dst, scratch []uint64) {
	if len(src) <= 32 {
		for i := 1; i < len(src); i++ {
			v := src[i]
			j := i
			for ; j > 0 && src[j-1]>>32 > v>>32; j-- {
				src[j] = src[j-1]
			}
			src[j] = v
		}
		copy(dst, src)
		return
	}
	if len(src) >= bigBucket {
		sortBigBucket(src, dst, scratch[:len(src)])
		return
	}
	const mask = 1<<7 - 1
	var count [3][1 << 7]int32
	for _, v := range src {
		count[0][v>>32&mask]++
		count[1][v>>39&mask]++
		count[2][v>>46&mask]++
	}
	var passes [3]int // those that move records
	np := 0
	for p := range 3 {
		if int(count[p][src[0]>>uint(32+7*p)&mask]) != len(src) {
			passes[np] = p
			np++
		}
	}
	route(src, dst, scratch[:len(src)], passes[:np], func(p int, from, to []uint64) {
		radixPass(from, to, count[p][:], uint(32+7*p), mask)
	})
}

// route runs the passes that move records, each from one buffer to
// another, from src to dst: through scratch (and src again for a
// third), with no copy at the end, the pass before the last writing
// scratch (one copy too many in two passes from src ended in src).
func route(src, dst, scratch []uint64, passes []int, pass func(p int, from, to []uint64)) {
	switch len(passes) {
	case 0:
		copy(dst, src)
	case 1:
		pass(passes[0], src, dst)
	case 2:
		pass(passes[0], src, scratch)
		pass(passes[1], scratch, dst)
	default:
		pass(passes[0], src, scratch)
		pass(passes[1], scratch, src)
		pass(passes[2], src, dst)
	}
}

// radixPass scatters from into to by the digit v>>shift&mask, stably,
// given the digits' counts c (turned into where each one's run starts).
// It reports false, and moves nothing, when every record has one digit.
func radixPass(from, to []uint64, c []int32, shift uint, mask uint64) bool {
	if int(c[from[0]>>shift&mask]) == len(from) {
		return false
	}
	var sum int32
	for i, x := range c {
		c[i] = sum
		sum += x
	}
	for _, v := range from {
		x := v >> shift & mask
		to[c[x]] = v
		c[x]++
	}
	return true
}

// bigBucket is the size from which sortBucket sorts in two passes of
// 11 and 10 bits (sortBigBucket), not three of 7: a pass less over a
// large bucket is worth its larger counts (8 KB each, still in cache).
const bigBucket = 4096

// sortBigBucket is sortBucket of a large bucket: by the key's low 11
// bits, then its next 10.
func sortBigBucket(src, dst, scratch []uint64) {
	const lo, hi = 1<<11 - 1, 1<<10 - 1
	var c0 [1 << 11]int32
	var c1 [1 << 10]int32
	for _, v := range src {
		c0[v>>32&lo]++
		c1[v>>43&hi]++
	}
	var passes [2]int
	np := 0
	if int(c0[src[0]>>32&lo]) != len(src) {
		passes[np] = 0
		np++
	}
	if int(c1[src[0]>>43&hi]) != len(src) {
		passes[np] = 1
		np++
	}
	route(src, dst, scratch, passes[:np], func(p int, from, to []uint64) {
		if p == 0 {
			radixPass(from, to, c0[:], 32, lo)
		} else {
			radixPass(from, to, c1[:], 43, hi)
		}
	})
}

// finish sorts the records and writes the segment.
func (b *posBuilder) finish() (blob, header []byte) {
	b.orderExtra()
	b.sort()
	b.groups()
	w := &segWriter{hdr: segHeader{flags: segCounts | segRiceLocal}}
	b.code(w, b.termOrder())
	// the groups (8 bytes each) are not kept between batches
	b.groupsMet = len(b.starts)
	b.termBytes, b.starts, b.bounds = "", nil, nil
	return w.finish(b.docs)
}

// code writes the lists of the groups in order to w, as addCoded
// would, one after the other. The sections, the term block and the
// last term are kept in locals until the end: stored in w for each
// term, their pointers went through the write barrier, dear in wasm
// (where the collector, with no thread of its own, stays on through
// most of the loop).
func (b *posBuilder) code(w *segWriter, order []uint32) {
	const mask = 1<<posChar - 1
	docs, pos := make([]byte, 0, len(b.recs)*3/2), make([]byte, 0, len(b.recs)*3/2)
	var terms, block []byte
	var last string
	started := false
	var c localCoder
	all, bounds, starts := b.termBytes, b.bounds, b.starts
	const noKey = ^uint64(0)
	lastKey := noKey // last's, while it is a bigram
	for _, t := range order {
		term := all[bounds[t]:bounds[t+1]]
		recs := b.recs[starts[t]:starts[t+1]]
		ld, tfs, codes, sums, positional := b.list(recs)
		if !started || len(block) >= termBlockSize { // startTerm
			terms = append(terms, block...)
			w.hdr.blockFirst = append(w.hdr.blockFirst, term)
			w.hdr.blockOff = append(w.hdr.blockOff, len(terms))
			block = binary.AppendUvarint(block[:0], uint64(len(docs)))
			block = binary.AppendUvarint(block, uint64(len(pos)))
			last, lastKey, started = "", noKey, true
		}
		d0, p0 := len(docs), len(pos)
		docs, pos = c.appendSummed(docs, pos, ld, tfs, codes, positional, sums)
		// endTerm: a bigram after one of the same first character is
		// its step (appendEntry's runeStep, without decoding them)
		key := recs[0] >> 32
		if key>>posChar == lastKey>>posChar { // both bigrams (tokBigram 0)
			step := b.charOf(key&mask) - b.charOf(lastKey&mask)
			block = binary.AppendUvarint(block, uint64(step)<<1|1)
			block = appendCounts(block, len(ld), len(docs)-d0, len(pos)-p0)
		} else {
			block = appendEntry(block, last, term, len(ld), len(docs)-d0, len(pos)-p0)
		}
		last, lastKey = term, noKey
		if tokenKind(key>>posKind) == tokBigram {
			lastKey = key
		}
	}
	w.hdr.terms = len(order)
	w.terms.Write(terms)
	w.block = block
	w.docs, w.pos = docs, pos
}

// groups finds the groups of the sorted records: b.starts holds where
// each one's records start (and, last, where they end), b.termBytes
// their terms in key order, the term of group g at b.bounds[g] to
// b.bounds[g+1].
func (b *posBuilder) groups() {
	recs := b.recs
	n := len(recs)
	g := b.groupsMet // as many groups as the last batch, to start
	buf := make([]byte, 0, 6*g)
	starts, bounds := slices.Grow(b.starts[:0], g+1), append(slices.Grow(b.bounds[:0], g+1), 0)
	const mask = 1<<posChar - 1
	for i := 0; i < n; {
		key := recs[i] >> 32
		starts = append(starts, int32(i))
		for i++; i < n && recs[i]>>32 == key; i++ { // a loop with no call
		}
		switch kind := tokenKind(key >> posKind); kind {
		case tokWord:
			buf = append(buf, b.words[key&(1<<posKind-1)]...)
		case tokBigram:
			x, y := b.charOf(key>>posChar&mask), b.charOf(key&mask)
			if uint32(x-0x800) < 1<<16-0x800 && uint32(y-0x800) < 1<<16-0x800 { // 3 bytes each (no Han character is a surrogate)
				buf = append(buf, 0xE0|byte(x>>12), 0x80|byte(x>>6)&0x3F, 0x80|byte(x)&0x3F, 0xE0|byte(y>>12), 0x80|byte(y>>6)&0x3F, 0x80|byte(y)&0x3F)
			} else {
				buf = utf8.AppendRune(utf8.AppendRune(buf, x), y)
			}
		default:
			buf = appendHanTerm(buf, kind, b.charOf(key>>posChar&mask), 0)
		}
		bounds = append(bounds, int32(len(buf)))
	}
	b.starts, b.bounds = append(starts, int32(n)), bounds
	b.termBytes = string(buf)
}

// term is the term of group g.
func (b *posBuilder) term(g uint32) string { return b.termBytes[b.bounds[g]:b.bounds[g+1]] }

// list returns the documents, frequencies and position codes of one
// term's sorted records, and whether it has positions, in b's scratch,
// sized for any list of the batch; sums are, per block of blockSize
// documents, the sums of its frequencies and of its codes
// (localCoder.appendSummed). The scratch is sized first and written by
// index: a call in the loop (append's growing) had the compiler keep
// its variables on the stack.
func (b *posBuilder) list(recs []uint64) (docs, tfs, codes []uint32, sums []uint64, positional bool) {
	n := len(recs)
	l := &b.l
	docs, tfs = slices.Grow(l.docs[:0], n)[:n], slices.Grow(l.tfs[:0], n)[:n]
	sums = slices.Grow(b.sums[:0], 2*(n/blockSize+1))
	if tokenKind(recs[0]>>(32+posKind)) == tokChar {
		for lo := 0; lo < n; lo += blockSize {
			var tsum uint64
			for i, v := range recs[lo:min(n, lo+blockSize)] {
				tf := uint32(v) & (1<<posBits - 1)
				docs[lo+i], tfs[lo+i] = uint32(v)>>posBits, tf
				tsum += uint64(tf)
			}
			sums = append(sums, tsum, 0)
		}
		b.keep(docs, tfs, b.codes, sums)
		return docs, tfs, nil, sums, false
	}
	codes = slices.Grow(b.codes[:0], n)[:n]
	// per record its code only; per document its frequency, and its
	// codes' sum: its last position less its frequency less 1
	var prev uint32 // the previous position of the document, plus 1
	var csum uint64 // the codes of the block's documents
	cur := uint32(recs[0]) >> posBits
	nd, first, from := 0, 0, 0 // the documents, the document's first code, the block's
	for i, v := range recs {
		if d := uint32(v) >> posBits; d != cur {
			tf := uint32(i - first)
			docs[nd], tfs[nd] = cur, tf
			nd++
			csum += uint64(prev - tf)
			if nd%blockSize == 0 {
				sums = append(sums, uint64(i-from), csum)
				from, csum = i, 0
			}
			prev, cur, first = 0, d, i
		}
		x := uint32(v) & (1<<posBits - 1)
		codes[i] = x - prev
		prev = x + 1
	}
	tf := uint32(n - first)
	docs[nd], tfs[nd] = cur, tf
	nd++
	sums = append(sums, uint64(n-from), csum+uint64(prev-tf))
	b.keep(docs, tfs, codes, sums)
	return docs[:nd], tfs[:nd], codes, sums, true
}

// keep keeps list's scratch if it grew.
func (b *posBuilder) keep(docs, tfs, codes []uint32, sums []uint64) {
	if cap(docs) > cap(b.l.docs) || cap(tfs) > cap(b.l.tfs) || cap(codes) > cap(b.codes) || cap(sums) > cap(b.sums) {
		b.l.docs, b.l.tfs, b.codes, b.sums = docs, tfs, codes, sums
	}
}
