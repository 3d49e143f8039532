package search

import (
	"encoding/binary"
	"math"
	"slices"
	"sync"
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
	// a document's Han characters: chars[x] counts those of rank x,
	// chars[1<<posChar:][:nChars] lists the ranks met, in the order
	// met (one array: a register less in tokens' loop)
	chars  *[2 << posChar]uint32
	nChars int
	ranks  extraRanks // the Han characters past the BMP

	wordIDs   wordTable
	words     []string
	word      [maxWordBytes]byte
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
	return &posBuilder{chars: new([2 << posChar]uint32)}
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
	for _, x := range b.chars[1<<posChar:][:b.nChars] {
		b.chars[x] = 0
	}
	b.nChars = 0
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
	// at most one record per byte of text (tokens relies on it)
	if need := len(d.Title) + len(d.Text); cap(b.recs)-len(b.recs) < need {
		b.recs = slices.Grow(b.recs, max(need, len(b.recs)))
	}
	doc := uint32(len(b.docs))
	ents, ok := b.fold(d.Title)
	end := len(ents)
	n := b.tokens(ents, doc, 0)
	info.titleEnd = uint32(end)
	ents, ok2 := b.fold(d.Text)
	// the lead paragraph: up to the first line feed (an entry of its
	// own, and the only one of its value)
	lead := min(len(ents), maxLead)
	if i := slices.Index(ents[:lead], '\n'); i >= 0 {
		lead = i
	}
	info.leadEnd = uint32(end + 1 + lead)
	m := b.tokens(ents, doc, end+1)
	if !ok || !ok2 {
		return false
	}
	info.length = n + m
	recs, chars := b.recs, b.chars[:]
	for _, x := range chars[1<<posChar:][:b.nChars] {
		recs = append(recs, (uint64(tokChar)<<posKind|uint64(x)<<posChar)<<32|uint64(doc)<<posBits|uint64(chars[x&(1<<posChar-1)]))
		chars[x&(1<<posChar-1)] = 0
	}
	b.recs, b.nChars = recs, 0
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

// rankFold is t2s's bmp for fold: a character's folded form and class
// (folded | class<<classShift), but for a Han character the rank of its
// folded form (its hanRank) in place of that form, or, folded past the
// BMP, that form marked needRank. Made at its first use by a sync.Once,
// not a sync.OnceValue's variable: that one's initialisation would
// link it into the page, which never indexes.
func rankFold() *[1 << 16]uint32 {
	rankFoldOnce.Do(func() {
		t := new([1 << 16]uint32)
		for r, e := range t2s().bmp {
			if charClass(e>>classShift) == classHan {
				if x, ok := hanRank(rune(e & foldMask)); ok {
					e = uint32(classHan)<<classShift | uint32(x)
				} else {
					e |= needRank
				}
			}
			t[r] = e
		}
		rankFoldTable = t
	})
	return rankFoldTable
}

var (
	rankFoldOnce  sync.Once
	rankFoldTable *[1 << 16]uint32
)

// needRank marks a Han character that has no hanRank in an entry of
// rankFold's or of foldRun's.
const needRank = 1 << 26

// fold returns the characters of s as foldAll gives them (in
// b.folded), but a Han character as its rank: classHan<<classShift |
// rank. ok is false when a character past the BMP found no rank left.
//
// Its loop over ASCII characters and those of three bytes (foldRun)
// makes no call: in wasm, a call in a loop has the variables that live
// across it stored to the stack and loaded again at every turn
// (foldAll's appends did). The ranks past the BMP are found after it,
// for a text that has such characters.
func (b *posBuilder) fold(s string) (ents []uint32, ok bool) {
	tab := rankFold()
	ents = b.folded
	if cap(ents) < len(s) { // at most one character per byte
		ents = make([]uint32, max(len(s), 2*cap(ents)))
		b.folded = ents
	}
	ents = ents[:cap(ents)]
	k, i, seen := foldRun(tab, ents, s, 0, 0)
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		var e uint32
		if r < 1<<16 {
			e = tab[r]
		} else {
			f := t2s().fold(r)
			e = uint32(f) | uint32(classOf(f))<<classShift
			if isHan(f) {
				e |= needRank
			}
		}
		ents[k] = e
		var more uint32
		k, i, more = foldRun(tab, ents, s, k+1, i+size)
		seen |= e | more
	}
	ents = ents[:k]
	ok = true
	if seen&needRank != 0 {
		for j, e := range ents {
			if e&needRank != 0 {
				x, xok := b.rank(rune(e & foldMask))
				ok = ok && xok
				ents[j] = uint32(classHan)<<classShift | uint32(x)
			}
		}
	}
	return ents, ok
}

// foldRun writes the entries (tab's) of the characters of s from i to
// dst from k, while they are ASCII or three bytes long (but for a lead
// byte E0 or ED), and returns where it stopped in dst and in s, and the
// entries or'ed. It makes no call.
func foldRun(table *[1 << 16]uint32, dst []uint32, s string, k, i int) (int, int, uint32) {
	tab := table[:] // of a known length, and nil-checked once, not at each load
	var seen uint32
	for i < len(s) {
		c := s[i]
		var e uint32
		switch {
		case c < utf8.RuneSelf:
			e = tab[c]
			i++
		// three bytes of a lead other than E0 and ED are valid with any
		// continuation bytes (no overlong form, no surrogate)
		case c-0xE1 < 0x0F && c != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			e = tab[(uint32(c&0x0F)<<12|uint32(s[i+1]&0x3F)<<6|uint32(s[i+2]&0x3F))&0xFFFF]
			i += 3
		default:
			return k, i, seen
		}
		dst[k] = e
		k++
		seen |= e
	}
	return k, i, seen
}

// tokens appends the records of the tokens of ents (a text as fold
// gives it), at positions from pos in document doc, and counts its Han
// characters; it returns the number of its bigrams and words. It gives
// the tokens tokenizer.run gives (FuzzPosBuilder), in the same order.
//
// It writes the records by index, to the room add made: a text has no
// more records than bytes (a word has one; a Han character, of three
// bytes or four, at most a bigram, an edge and its character's
// record). It makes no call but one per word, and the characters of a
// Han run, most of a Chinese text, go through a loop of their own with
// few variables. In wasm, its turns were dear: appends (a call each,
// whose live variables went to the stack and back), the collector's
// write barrier on b.charList's appends, and more variables than
// registers.
func (b *posBuilder) tokens(ents []uint32, doc uint32, pos int) (n uint32) {
	out, k := b.recs[:cap(b.recs)], len(b.recs)
	notN := k           // k less the bigrams and words: the records before, and the edges
	chars := b.chars[:] // nil-checked once
	nc := b.nChars
	at := uint64(doc)<<posBits | uint64(pos) // the place of ents[0]
	const (
		mask = 1<<posChar - 1
		list = 1 << posChar // chars' list of ranks
		han  = uint32(classHan)
		word = uint32(classWord)
	)
	for j := 0; j < len(ents); {
		switch e := ents[j]; e >> classShift {
		case han:
			x := e & mask
			if chars[x] == 0 {
				chars[list|nc&mask] = x
				nc++
			}
			chars[x]++
			single := -1 // j if the run has a start edge, the end edge of a run of one
			if j > 0 && ents[j-1]>>classShift == word {
				out[k] = uint64(uint32(tokEdge)<<posKind|x<<posChar)<<32 | (at + uint64(j))
				k++
				notN++
				single = j
			}
			// the rest of the run: a bigram each
			for j+1 < len(ents) {
				e := ents[j+1]
				if e>>classShift != han {
					break
				}
				j++
				y := e & mask
				if chars[y] == 0 {
					chars[list|nc&mask] = y
					nc++
				}
				chars[y]++
				out[k] = uint64(x<<posChar|y)<<32 | (at + uint64(j-1)) // tokBigram is 0
				k++
				x = y
			}
			// the run's end edge, if a word follows, unless it is the
			// start's
			if j+1 < len(ents) && ents[j+1]>>classShift == word && j != single {
				out[k] = uint64(uint32(tokEdge)<<posKind|x<<posChar)<<32 | (at + uint64(j))
				k++
				notN++
			}
			j++
		case word:
			start := j
			for j++; j < len(ents) && ents[j]>>classShift == word; j++ {
			}
			out[k] = b.wordKey(ents[start:j])<<32 | (at + uint64(start))
			k++
		default:
			j++
		}
	}
	b.recs, b.nChars = out[:k], nc
	return uint32(k - notN)
}

// wordKey is the key of the word of the characters ents (fold's), cut
// to maxWordBytes bytes: a character that does not fit is left out.
// A word of up to 16 ASCII characters (most words) is packed from
// ents as wordTable.id packs its bytes, and looked up in its table at
// once: through wordTable.id, its bytes appended one by one and packed
// again, the words (705k in 10k synthetic documents) took 51 of 300 ms
// of tokenizing in wasm.
func (b *posBuilder) wordKey(ents []uint32) uint64 {
	if len(ents) <= 16 {
		w := b.word[:len(ents)]
		var lo, hi, or uint64 // the first 8 bytes packed, the rest
		for i, e := range ents {
			r := uint64(e & foldMask)
			or |= r
			w[i] = byte(r)
			if i < 8 {
				lo = lo<<8 | r
			} else {
				hi = hi<<8 | r
			}
		}
		if or < utf8.RuneSelf {
			var id uint32
			if len(ents) <= 8 {
				id = b.wordIDs.short.id(lo, 0, w, &b.words)
			} else {
				id = b.wordIDs.mid.id(lo, hi, w, &b.words)
			}
			return uint64(tokWord)<<posKind | uint64(id)
		}
	}
	w := b.word[:0]
	for _, e := range ents {
		r := rune(e & foldMask)
		if len(w)+utf8.RuneLen(r) <= maxWordBytes {
			w = utf8.AppendRune(w, r)
		}
	}
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
