package search

import (
	"encoding/binary"
	"math"
	stdbits "math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// runBuilder turns a Bulk's batch of documents into runs (see Run). A
// shipped segment keeps no positions, so a token becomes one word: its
// term's key and its weight (title, lead paragraph or body); the
// document is where the word lies, each document's after the one
// before's. A run's words are sorted, by an LSD radix sort, stable, into
// (term, document) order, the first pass taking the documents in date
// order and writing each word as key<<18 | document<<2 | weight.
//
// Keys are kind<<30 | a<<15 | b, a and b the ranks of a Han token's
// characters (b 0 but for a bigram): their hanRanks, or for the few past
// the BMP the ranks above (rank); or kind<<30 | number for a word (in
// the order met): 32 bits, three passes of 11 bits. A run with more
// characters past the BMP than there are ranks left has wide keys:
// kind<<36 | a<<18 | b, its characters' code points (as the builder's
// keys), four passes.
type runBuilder struct {
	tz    tokenizer
	recs  []uint64 // key<<2 | weight: a document's tokens (put), in order
	ends  []int    // where each document's records end
	docs  []docInfo
	wide  bool
	ranks extraRanks // the Han characters past the BMP
	// the records a builder would hold: a token's each, a character's
	// per document (full), and each document's share of them, in the
	// order added (Run.records)
	n     int
	nDocs []uint32
	docN  int // n when the current document began
	limit int // the records of a full run: maxRecords

	raw    []uint64 // records of a text being tokenized, not yet put
	folded []uint32 // its characters (foldAll)

	wordIDs wordTable
	words   []string

	// per-document character counts, by character
	charCount []uint32
	charList  []rune
	textBytes int

	tmp   []uint64 // the sort's other buffer
	count [4][1 << 11]int
	// the run's bytes, a term's list and name, the order of the words
	data      []byte
	groups    []runGroup
	wordOrder []wordGroup
}

func newRunBuilder() *runBuilder {
	return &runBuilder{
		charCount: make([]uint32, hanLimit),
		limit:     maxRecords,
		recs:      make([]uint64, 0, maxRecords+maxRecords/8),
	}
}

// Key layouts: narrow (hanRank) and wide (code points).
const (
	narrowKind = 30
	narrowChar = 15
	wideKind   = 36
	wideChar   = 18
	recDoc     = 2  // a sorted record's document, from this bit
	recKey     = 18 // and its key
)

// A record's weight and a run list's frequency take 2 bits.
var _ [3 - shippedMaxTF]struct{}

// hanRank numbers the Han characters of the BMP (isHan) in code point
// order, in 15 bits; ok is false for a character past the BMP.
func hanRank(r rune) (x uint64, ok bool) {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF:
		return uint64(r-0x4E00) + 1 + 0x19C0, true
	case r >= 0x3400 && r <= 0x4DBF:
		return uint64(r-0x3400) + 1, true
	case r >= 0xF900 && r <= 0xFAFF:
		return uint64(r-0xF900) + 1 + 0x19C0 + 0x5200, true
	case r == 0x3007:
		return 0, true
	}
	return 0, false
}

// hanRanks is the number of hanRanks; the ranks above, to the narrow
// key's limit, are a run's other Han characters' (runBuilder.rank).
const hanRanks = 1 + 0x19C0 + 0x5200 + 0x200

// hanOfRank is the character of a rank.
func (rb *runBuilder) hanOfRank(x uint64) rune {
	return rb.ranks.charOf(x)
}

func (rb *runBuilder) reset() {
	rb.wordIDs.reset()
	rb.words = rb.words[:0]
	rb.recs, rb.ends, rb.docs = rb.recs[:0], rb.ends[:0], nil
	rb.wide = false
	rb.ranks.reset()
	rb.n, rb.nDocs, rb.docN = 0, rb.nDocs[:0], 0
	rb.charList = rb.charList[:0]
	rb.textBytes = 0
}

// full is builder.full: the same records, and as many, end a run.
func (rb *runBuilder) full() bool {
	return rb.n >= rb.limit || len(rb.docs) >= 1<<16 || len(rb.words) >= 1<<30
}

// hanKey is the key of a Han token (c is 0 but for a bigram).
func (rb *runBuilder) hanKey(kind tokenKind, a, c rune) uint64 {
	if !rb.wide {
		x, ok1 := rb.rank(a)
		y, ok2 := uint64(0), true
		if kind == tokBigram {
			y, ok2 = rb.rank(c)
		}
		if ok1 && ok2 {
			return uint64(kind)<<narrowKind | x<<narrowChar | y
		}
		rb.widen()
	}
	return hanKeyOf(kind, a, c)
}

// rank is the hanRank of a Han character, or a rank above them for one
// past the BMP, in the order met (orderExtra puts them in code point
// order at the run's end); ok is false when no rank is left.
func (rb *runBuilder) rank(r rune) (uint64, bool) {
	return rb.ranks.rankOf(r, 1<<narrowChar)
}

// orderExtra renumbers the extra ranks of narrow records in code point
// order, as a key's order must be its term's.
func (rb *runBuilder) orderExtra() {
	if rb.wide {
		return
	}
	to := rb.ranks.order()
	if to == nil {
		return
	}
	const mask = 1<<narrowChar - 1
	for i, rec := range rb.recs {
		key := rec >> 2
		kind := tokenKind(key >> narrowKind)
		if kind == tokWord {
			continue
		}
		a, c := key>>narrowChar&mask, key&mask
		if a < hanRanks && c < hanRanks {
			continue
		}
		if a >= hanRanks {
			a = to[a-hanRanks]
		}
		if c >= hanRanks && kind == tokBigram {
			c = to[c-hanRanks]
		}
		rb.recs[i] = (uint64(kind)<<narrowKind|a<<narrowChar|c)<<2 | rec&3
	}
}

func (rb *runBuilder) wordKey(w []byte) uint64 {
	id := rb.wordIDs.id(w, &rb.words)
	if rb.wide {
		return uint64(tokWord)<<wideKind | uint64(id)
	}
	return uint64(tokWord)<<narrowKind | uint64(id)
}

// wordTable numbers the words of a run in the order met: a word of at
// most 16 bytes by an open-addressing table that holds it packed in one
// or two words (no string to reach, no hashing of a string), a longer
// one by a map. A word holds no zero byte: packed, it is never 0 (an
// empty slot), and two words differ.
type wordTable struct {
	short wordSlots // words of at most 8 bytes
	mid   wordSlots // of 9 to 16
	long  map[string]uint32
}

// wordSlots is an open-addressing table of packed words: a, the first 8
// bytes (0: an empty slot), b the rest, and their numbers.
type wordSlots struct {
	a, b  []uint64 // len a power of 2
	ids   []uint32
	n     int // slots used
	shift uint
}

func (t *wordTable) reset() {
	t.short.reset()
	t.mid.reset()
	clear(t.long)
}

func (s *wordSlots) reset() {
	clear(s.a)
	s.n = 0
}

// id returns the number of w, appending it to words if it is new.
func (t *wordTable) id(w []byte, words *[]string) uint32 {
	if len(w) > 16 {
		id, ok := t.long[string(w)]
		if !ok {
			if t.long == nil {
				t.long = map[string]uint32{}
			}
			id = uint32(len(*words))
			*words = append(*words, string(w))
			t.long[string(w)] = id
		}
		return id
	}
	if len(w) > 8 {
		return t.mid.id(packWord(w[:8]), packWord(w[8:]), w, words)
	}
	return t.short.id(packWord(w), 0, w, words)
}

// packWord packs up to 8 bytes in a word.
func packWord(w []byte) uint64 {
	var packed uint64
	for _, c := range w {
		packed = packed<<8 | uint64(c)
	}
	return packed
}

// id returns the number of the word w packed as a and b.
func (s *wordSlots) id(a, b uint64, w []byte, words *[]string) uint32 {
	if 2*(s.n+1) > len(s.a) {
		s.grow()
	}
	mask := len(s.a) - 1
	for j := int(((a ^ b*0xC2B2AE3D27D4EB4F) * 0x9E3779B97F4A7C15) >> s.shift); ; j = (j + 1) & mask {
		switch s.a[j] {
		case 0:
			id := uint32(len(*words))
			s.a[j], s.b[j], s.ids[j] = a, b, id
			*words = append(*words, string(w))
			s.n++
			return id
		case a:
			if s.b[j] == b {
				return s.ids[j]
			}
		}
	}
}

// grow doubles the table.
func (s *wordSlots) grow() {
	oa, ob, oids := s.a, s.b, s.ids
	size := max(1024, 2*len(oa))
	s.a, s.b, s.ids = make([]uint64, size), make([]uint64, size), make([]uint32, size)
	s.shift = uint(64 - stdbits.Len(uint(size-1)))
	mask := size - 1
	for i, a := range oa {
		if a == 0 {
			continue
		}
		b := ob[i]
		j := int(((a ^ b*0xC2B2AE3D27D4EB4F) * 0x9E3779B97F4A7C15) >> s.shift)
		for s.a[j&mask] != 0 {
			j++
		}
		s.a[j&mask], s.b[j&mask], s.ids[j&mask] = a, b, oids[i]
	}
}

// widen rewrites the records' keys wide, those put and those not yet.
func (rb *runBuilder) widen() {
	for i, rec := range rb.recs {
		rb.recs[i] = rb.widerKey(rec>>2)<<2 | rec&3
	}
	for i, rec := range rb.raw {
		rb.raw[i] = rb.widerKey(rec>>2)<<2 | rec&3
	}
	rb.wide = true
}

// slowKey is hanKey for tokens, raw its records not yet put: a
// widening rewrites them too.
func (rb *runBuilder) slowKey(raw []uint64, kind tokenKind, a, c rune) ([]uint64, uint64) {
	rb.raw = raw
	key := rb.hanKey(kind, a, c)
	return rb.raw, key
}

// putAll adds records of tokens, key<<2 | weight, to the document's. A
// term's records of one document stay apart until the sort puts them
// side by side, and its list sums their weights (appendRunList): the
// sort takes a quarter more records, where a table of the document's
// terms took a lookup a token to keep each once.
func (rb *runBuilder) putAll(raw []uint64) {
	rb.recs = append(rb.recs, raw...)
	rb.n += len(raw)
}

func (rb *runBuilder) widerKey(k uint64) uint64 {
	kind := tokenKind(k >> narrowKind)
	if kind == tokWord {
		return uint64(kind)<<wideKind | k&(1<<narrowKind-1)
	}
	a := rb.hanOfRank(k >> narrowChar & (1<<narrowChar - 1))
	var c rune
	if kind == tokBigram {
		c = rb.hanOfRank(k & (1<<narrowChar - 1))
	}
	return hanKeyOf(kind, a, c)
}

// add tokenizes one document, as builder.add does, each token weighted
// as groupShipped weighs it.
func (rb *runBuilder) add(d *Doc) {
	info := docInfo{id: d.ID, source: d.Source, authors: d.Authors}
	if !d.Date.IsZero() {
		info.date = d.Date.Unix()
	}
	size := len(d.Title) + len(d.Text)
	if need := size / 2; cap(rb.recs)-len(rb.recs) < need {
		rb.recs = slices.Grow(rb.recs, max(need, len(rb.recs)))
	}
	end, n := rb.tokens(d.Title, 0, math.MaxInt, 0)
	info.titleEnd = uint32(end)
	lead, _, _ := strings.Cut(d.Text, "\n")
	info.leadEnd = uint32(end + 1 + min(utf8.RuneCountInString(lead), maxLead))
	_, m := rb.tokens(d.Text, end+1, end, int(info.leadEnd))
	info.length = n + m
	rb.endDoc(info, size)
}

// endDoc ends the document add began: a record for each of its Han
// characters (their counts capped), and its entry.
func (rb *runBuilder) endDoc(info docInfo, size int) {
	recs, counts := rb.recs, rb.charCount
	for _, c := range rb.charList {
		x, ok := hanRank(c)
		key := uint64(tokChar)<<narrowKind | x<<narrowChar
		if rb.wide || !ok {
			rb.recs = recs
			key = rb.hanKey(tokChar, c, 0)
			recs = rb.recs // widened
		}
		recs = append(recs, key<<2|uint64(min(counts[c], shippedMaxTF)))
		counts[c] = 0
	}
	rb.recs = recs
	rb.n += len(rb.charList)
	rb.charList = rb.charList[:0]
	rb.nDocs = append(rb.nDocs, uint32(rb.n-rb.docN))
	rb.docN = rb.n
	rb.docs = append(rb.docs, info)
	rb.ends = append(rb.ends, len(rb.recs))
	rb.textBytes += size
}

// run makes the documents added a run and its bytes (valid until the
// next batch).
func (rb *runBuilder) run() (*Run, []byte) {
	order := dateOrder(rb.docs)
	docs := make([]docInfo, len(order))
	records := make([]uint32, len(order))
	for n, d := range order {
		docs[n], records[n] = rb.docs[d], rb.nDocs[d]
	}
	r := &Run{docs: docs, records: records, textBytes: rb.textBytes}
	rb.orderExtra()
	recs := rb.sort(order)
	rb.data = rb.write(r, recs, rb.data[:0])
	return r, rb.data
}

// sort sorts the records into (term, document) order, documents
// numbered in order, and returns them.
func (rb *runBuilder) sort(order []int) []uint64 {
	if !rb.wide {
		return rb.sortNarrow(order)
	}
	return rb.sortLSD(order)
}

// sortLSD is sort by an LSD radix sort over the whole run, in passes of
// up to 11 bits, the first taking the documents in date order: wide
// keys' sort.
func (rb *runBuilder) sortLSD(order []int) []uint64 {
	keyBits := 2 + 2*narrowChar
	if rb.wide {
		keyBits = 2 + 2*wideChar
	}
	passes := (keyBits + 10) / 11
	digit := (keyBits + passes - 1) / passes
	mask := uint64(1)<<digit - 1
	n := len(rb.recs)
	for p := range passes {
		clear(rb.count[p][:mask+1])
	}
	for _, rec := range rb.recs {
		k := rec >> 2
		for p := range passes {
			rb.count[p][k>>(p*digit)&mask]++
		}
	}
	rb.tmp = slices.Grow(rb.tmp[:0], n)[:n]
	src, dst := rb.recs, rb.tmp
	// the first pass takes the documents in date order and numbers them
	c := &rb.count[0]
	prefixSums(c[:mask+1])
	for nd, d := range order {
		from := 0
		if d > 0 {
			from = rb.ends[d-1]
		}
		doc := uint64(nd) << recDoc
		for _, rec := range src[from:rb.ends[d]] {
			x := rec >> 2 & mask
			dst[c[x]] = rec>>2<<recKey | doc | rec&3
			c[x]++
		}
	}
	src, dst = dst, src
	for p := 1; p < passes; p++ {
		shift := recKey + p*digit
		c := &rb.count[p]
		if c[src[0]>>shift&mask] == n {
			continue
		}
		prefixSums(c[:mask+1])
		for _, v := range src {
			x := v >> shift & mask
			dst[c[x]] = v
			c[x]++
		}
		src, dst = dst, src
	}
	rb.recs, rb.tmp = src, dst
	return src
}

// prefixSums turns counts into the start of each one's bucket.
func prefixSums(c []int) {
	sum := 0
	for i, x := range c {
		c[i] = sum
		sum += x
	}
}

// runGroup is a term of a run: its key and where its records start.
type runGroup struct {
	key   uint64
	start int
}

// write appends the run's terms to data, in term order (termWriter.add),
// and notes its checkpoints.
func (rb *runBuilder) write(r *Run, recs []uint64, data []byte) []byte {
	groups := rb.groups[:0]
	for i, v := range recs {
		if k := v >> recKey; i == 0 || k != recs[i-1]>>recKey {
			groups = append(groups, runGroup{k, i})
		}
	}
	groups = append(groups, runGroup{start: len(recs)})
	rb.groups = groups
	kindShift := narrowKind
	if rb.wide {
		kindShift = wideKind
	}
	// the kinds' groups, in key order: bigrams, edges, chars, words
	var kinds [5]int
	for k, i := tokenKind(0), 0; k <= tokWord; k++ {
		for i < len(groups)-1 && tokenKind(groups[i].key>>kindShift) == k {
			i++
		}
		kinds[k+1] = i
	}
	rb.wordOrder = rb.wordOrder[:0]
	for g := kinds[tokWord]; g < kinds[tokWord+1]; g++ {
		rb.wordOrder = append(rb.wordOrder, wordGroup{termKeyOf(rb.words[groups[g].key&(1<<kindShift-1)]), g})
	}
	wordMask := uint64(1)<<kindShift - 1
	rb.sortWords(groups, wordMask)
	w := termWriter{rb: rb, r: r, recs: recs, groups: groups, data: data}
	// edges ("\x01" and a character) come first
	for g := kinds[tokEdge]; g < kinds[tokEdge+1]; g++ {
		w.add(g, rb.termKey(groups[g].key), "")
	}
	// then the Han terms (a character before its bigrams) and the words,
	// in the order of their terms' keys (a Han term is never a prefix of
	// a word, nor a word of a Han term: their keys differ)
	bi, ch, wo := kinds[tokBigram], kinds[tokChar], 0
	for bi < kinds[tokBigram+1] || ch < kinds[tokChar+1] || wo < len(rb.wordOrder) {
		g := -1
		switch {
		case ch < kinds[tokChar+1] && (bi == kinds[tokBigram+1] || rb.first(groups[ch].key) <= rb.first(groups[bi].key)):
			g = ch
		case bi < kinds[tokBigram+1]:
			g = bi
		}
		var key uint64
		if g >= 0 {
			key = rb.termKey(groups[g].key)
		}
		for wo < len(rb.wordOrder) {
			o := rb.wordOrder[wo]
			if g >= 0 && o.key > key {
				break
			}
			w.add(o.g, o.key, rb.words[groups[o.g].key&wordMask])
			wo++
		}
		if g < 0 {
			break
		}
		w.add(g, key, "")
		if g == ch {
			ch++
		} else {
			bi++
		}
	}
	return w.data
}

// wordGroup is a word's group in a run and its term's key.
type wordGroup struct {
	key uint64
	g   int
}

// sortWords puts the words' groups in their terms' order: by key, then
// (words longer than 8 bytes) by word.
func (rb *runBuilder) sortWords(groups []runGroup, wordMask uint64) {
	slices.SortFunc(rb.wordOrder, func(x, y wordGroup) int {
		if x.key != y.key {
			if x.key < y.key {
				return -1
			}
			return 1
		}
		return strings.Compare(rb.words[groups[x.g].key&wordMask], rb.words[groups[y.g].key&wordMask])
	})
}

// first is the first character of a Han key, in an order that is the
// characters'.
func (rb *runBuilder) first(key uint64) uint64 {
	if rb.wide {
		return key >> wideChar & (hanLimit - 1)
	}
	return key >> narrowChar & (1<<narrowChar - 1)
}

// termKey is the key of a Han key's term (termKeyOf): its UTF-8, at
// most 8 bytes, in a word.
func (rb *runBuilder) termKey(key uint64) uint64 {
	var kind tokenKind
	var a, c rune
	if rb.wide {
		kind, a, c = tokenKind(key>>wideKind), rune(key>>wideChar&(hanLimit-1)), rune(key&(hanLimit-1))
	} else {
		kind = tokenKind(key >> narrowKind)
		a = rb.hanOfRank(key >> narrowChar & (1<<narrowChar - 1))
		if kind == tokBigram {
			c = rb.hanOfRank(key & (1<<narrowChar - 1))
		}
	}
	k, at := uint64(0), 64
	if kind == tokEdge {
		k, at = uint64(edgeMark[0])<<56, 56
	}
	k, at = putRuneKey(k, at, a)
	if kind == tokBigram {
		k, _ = putRuneKey(k, at, c)
	}
	return k
}

// putRuneKey puts the UTF-8 of a Han character (3 or 4 bytes) in k
// below bit at, and returns where it ends.
func putRuneKey(k uint64, at int, r rune) (uint64, int) {
	if r < 0x10000 {
		u := uint64(0xE0|r>>12)<<16 | uint64(0x80|r>>6&0x3F)<<8 | uint64(0x80|r&0x3F)
		return k | u<<(at-24), at - 24
	}
	u := uint64(0xF0|r>>18)<<24 | uint64(0x80|r>>12&0x3F)<<16 | uint64(0x80|r>>6&0x3F)<<8 | uint64(0x80|r&0x3F)
	return k | u<<(at-32), at - 32
}

// termKeyOf is a term's key: its first 8 bytes, big-endian, zeros past
// its end. Terms hold no zero byte: a term of at most 8
// bytes is its key's bytes (keyTerm), and keys are in their terms'
// order.
func termKeyOf(t string) uint64 {
	if len(t) >= 8 {
		return binary.BigEndian.Uint64([]byte(t[:8]))
	}
	var k uint64
	for i := range len(t) {
		k |= uint64(t[i]) << (56 - 8*i)
	}
	return k
}

// keyTerm is the term of a key whose term has at most 8 bytes.
func keyTerm(k uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], k)
	return string(b[:8-stdbits.TrailingZeros64(k)/8])
}

// termWriter writes the terms of a run, in order.
type termWriter struct {
	rb     *runBuilder
	r      *Run
	recs   []uint64
	groups []runGroup
	data   []byte
	last   uint64 // the key before
	n      int
}

// add appends the record of group g, its term's key and, for a word, its
// word: uvarint(key less the one before: 0 before a checkpoint's),
// uvarint(length of the list<<1 | the term is longer than 8 bytes), the
// list (appendRunList), then for such a term uvarint(length of the rest)
// and the rest.
func (w *termWriter) add(g int, key uint64, word string) {
	long := len(word) > 8
	if w.n%runCheckpoint == 0 {
		term := word
		if !long {
			term = keyTerm(key)
		}
		w.r.marks = append(w.r.marks, checkpoint{term, int64(len(w.data))})
		w.last = 0
	}
	w.n++
	w.data = binary.AppendUvarint(w.data, key-w.last)
	w.last = key
	// the list is written after a byte for its length, moved on when its
	// length takes more
	at := len(w.data)
	w.data = appendRunList(append(w.data, 0), w.recs[w.groups[g].start:w.groups[g+1].start])
	h := uint64(len(w.data)-at-1) << 1
	if long {
		h |= 1
	}
	if h < 0x80 {
		w.data[at] = byte(h)
	} else {
		var buf [binary.MaxVarintLen64]byte
		hb := binary.PutUvarint(buf[:], h)
		n := len(w.data)
		w.data = slices.Grow(w.data, hb-1)[:n+hb-1]
		copy(w.data[at+hb:], w.data[at+1:n])
		copy(w.data[at:], buf[:hb])
	}
	if long {
		w.data = binary.AppendUvarint(w.data, uint64(len(word)-8))
		w.data = append(w.data, word[8:]...)
	}
}

// appendRunList appends the list of a term's sorted records, a
// document's side by side: per document, uvarint(gap<<2 | tf), gap
// being the document's number less the one before's (the first's, plus
// one) and tf its records' weights summed and capped at shippedMaxTF, as
// groupShipped sums them (tf is the low bits of the uvarint's first
// byte, where a document's next record adds its weight).
func appendRunList(b []byte, recs []uint64) []byte {
	b = slices.Grow(b, 3*len(recs))
	prev := uint64(0) // the previous document plus one
	at := 0           // where its uvarint starts
	for _, rec := range recs {
		doc := rec >> recDoc & (1<<16 - 1)
		if doc+1 == prev {
			b[at] = b[at]&^3 | byte(min(uint64(b[at]&3)+rec&3, shippedMaxTF))
			continue
		}
		v := (doc+1-prev)<<2 | rec&3
		prev, at = doc+1, len(b)
		if v < 0x80 {
			b = append(b, byte(v))
		} else {
			b = binary.AppendUvarint(b, v)
		}
	}
	return b
}
