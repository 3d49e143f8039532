package search

import (
	"encoding/binary"
	"slices"
	"strings"
	"unicode/utf8"
)

// builder turns a batch of documents into one segment. Tokens become
// records: a key naming the term (Han characters packed in the integer, or
// a word's number) and a value, document<<32 | position. A radix sort of
// the keys, stable, puts the records in (term, document, position) order
// with sequential passes only: no hash lookup per token. Tokenizing
// allocates only for new words.
type builder struct {
	tz      tokenizer
	wordIDs map[string]uint32
	words   []string

	keys []uint64
	vals []uint64
	docs []docInfo

	// per-document character counts, by character
	charCount []uint32
	charList  []rune
	textBytes int

	// finish's scratch, kept for the next batch
	keys2, vals2 []uint64

	// shipped: write a shipped segment (shipped.go)
	shipped bool
}

// Record keys: kind<<36 | a<<18 | b for Han tokens (Han is below 1<<18),
// kind<<36 | word number for words.
const (
	keyBits  = 38
	hanLimit = 1 << 18
)

func hanKeyOf(kind tokenKind, a, b rune) uint64 { return uint64(kind)<<36 | uint64(a)<<18 | uint64(b) }

// maxLead bounds the lead paragraph, in characters.
const maxLead = 200

// maxRecords bounds a batch's records (16 bytes each, and as much to sort).
const maxRecords = 3 << 20

func newBuilder() *builder {
	return &builder{wordIDs: map[string]uint32{}}
}

// reset empties the builder for the next batch, keeping its memory.
func (b *builder) reset() {
	clear(b.wordIDs)
	b.words = b.words[:0]
	b.keys, b.vals, b.docs = b.keys[:0], b.vals[:0], nil
	b.charList = b.charList[:0]
	b.textBytes = 0
}

func (b *builder) full() bool {
	return len(b.vals) >= maxRecords || len(b.docs) >= 1<<16 || len(b.words) >= 1<<30
}

func (b *builder) wordKey(w []byte) uint64 {
	id, ok := b.wordIDs[string(w)]
	if !ok {
		id = uint32(len(b.words))
		b.words = append(b.words, string(w))
		b.wordIDs[string(w)] = id
	}
	return uint64(tokWord)<<36 | uint64(id)
}

// add tokenizes one document: the title at positions from 0, the text
// after a gap of one position (so no phrase spans the two).
func (b *builder) add(d *Doc) {
	doc := uint64(len(b.docs))
	info := docInfo{id: d.ID, source: d.Source, authors: d.Authors}
	if !d.Date.IsZero() {
		info.date = d.Date.Unix()
	}
	if b.charCount == nil {
		b.charCount = make([]uint32, hanLimit)
	}
	// about one record per 3 bytes of Chinese text: grow once, not by doubling
	if need := (len(d.Title) + len(d.Text)) / 2; cap(b.keys)-len(b.keys) < need {
		b.keys = slices.Grow(b.keys, max(need, len(b.keys)))
		b.vals = slices.Grow(b.vals, max(need, len(b.vals)))
	}
	var n uint32
	emit := func(t token) {
		var key uint64
		switch t.kind {
		case tokChar:
			if b.charCount[t.a] == 0 {
				b.charList = append(b.charList, t.a)
			}
			b.charCount[t.a]++
			return
		case tokWord:
			key = b.wordKey(t.word)
			n++
		case tokBigram:
			key = hanKeyOf(tokBigram, t.a, t.b)
			n++
		default:
			key = hanKeyOf(t.kind, t.a, t.b)
		}
		b.keys = append(b.keys, key)
		b.vals = append(b.vals, doc<<32|uint64(t.pos))
	}
	end := b.tz.run(d.Title, 0, emit)
	info.titleEnd = uint32(end)
	lead, _, _ := strings.Cut(d.Text, "\n")
	info.leadEnd = uint32(end + 1 + min(utf8.RuneCountInString(lead), maxLead))
	b.tz.run(d.Text, end+1, emit)
	info.length = n
	for _, c := range b.charList {
		b.keys = append(b.keys, hanKeyOf(tokChar, c, 0))
		b.vals = append(b.vals, doc<<32|uint64(b.charCount[c]))
		b.charCount[c] = 0
	}
	b.charList = b.charList[:0]
	b.docs = append(b.docs, info)
	b.textBytes += len(d.Title) + len(d.Text)
}

// finish sorts the records and writes the segment.
func (b *builder) finish() (blob, header []byte) {
	if b.shipped {
		b.sortByDate()
	}
	b.sortRecords()
	// one group of records per term, in key order
	terms, termKeys, start := b.groups()
	// about 1.5 bytes per record in each section
	w := &segWriter{docs: make([]byte, 0, len(b.vals)*3/2), pos: make([]byte, 0, len(b.vals)*3/2)}
	var l postingList
	w.hdr.flags = segCounts
	if b.shipped {
		w.hdr.flags = segShipped
	}
	kindOf := func(i int) tokenKind { return tokenKind(termKeys[i] >> 36) }
	for _, id := range termOrder(terms, kindOf) {
		if perDoc := tokenKind(termKeys[id]>>36) == tokChar; b.shipped {
			l.groupShipped(b.vals[start[id]:start[id+1]], perDoc, b.docs)
		} else {
			l.group(b.vals[start[id]:start[id+1]], perDoc)
		}
		w.addTerm(terms[id], l.docs, l.tfs, l.raw, l.ends)
	}
	return w.finish(b.docs)
}

// groups returns the terms of the sorted records, their keys, and where
// each term's records start (and, last, where they end). The terms' bytes
// share one allocation.
func (b *builder) groups() (terms []string, keys []uint64, start []int) {
	n := 0
	for i, k := range b.keys {
		if i == 0 || k != b.keys[i-1] {
			n++
		}
	}
	keys, start = make([]uint64, 0, n), make([]int, 0, n+1)
	ends := make([]int32, 0, n)
	buf := make([]byte, 0, 6*n) // a bigram's length
	for i, k := range b.keys {
		if i > 0 && k == b.keys[i-1] {
			continue
		}
		keys, start = append(keys, k), append(start, i)
		if kind := tokenKind(k >> 36); kind == tokWord {
			buf = append(buf, b.words[k&(1<<36-1)]...)
		} else {
			buf = appendHanTerm(buf, kind, rune(k>>18&(hanLimit-1)), rune(k&(hanLimit-1)))
		}
		ends = append(ends, int32(len(buf)))
	}
	start = append(start, len(b.keys))
	all := string(buf)
	terms = make([]string, n)
	from := int32(0)
	for i, e := range ends {
		terms[i] = all[from:e]
		from = e
	}
	return terms, keys, start
}

// appendHanTerm appends the term of a Han token (see token.term).
func appendHanTerm(b []byte, kind tokenKind, a, c rune) []byte {
	switch kind {
	case tokBigram:
		return utf8.AppendRune(utf8.AppendRune(b, a), c)
	case tokEdge:
		b = append(b, edgeMark...)
	}
	return utf8.AppendRune(b, a)
}

// radixBits is the digit of the records' radix sort.
const radixBits = 10

// sortRecords sorts the records by key, stably (an LSD radix sort),
// skipping the digits all keys share. One pass counts every digit.
func (b *builder) sortRecords() {
	n := len(b.keys)
	if n == 0 {
		return
	}
	b.keys2 = slices.Grow(b.keys2[:0], n)[:n]
	b.vals2 = slices.Grow(b.vals2[:0], n)[:n]
	const digits = (keyBits + radixBits - 1) / radixBits
	const mask = 1<<radixBits - 1
	var count [digits][1 << radixBits]int
	for _, k := range b.keys {
		for d := range digits {
			count[d][k>>(d*radixBits)&mask]++
		}
	}
	for d := range digits {
		shift := d * radixBits
		c := &count[d]
		if c[b.keys[0]>>shift&mask] == n {
			continue
		}
		sum := 0
		for i, x := range c {
			c[i] = sum
			sum += x
		}
		keys2, vals2 := b.keys2, b.vals2
		for i, k := range b.keys {
			x := k >> shift & mask
			keys2[c[x]] = k
			vals2[c[x]] = b.vals[i]
			c[x]++
		}
		b.keys, b.keys2 = b.keys2, b.keys
		b.vals, b.vals2 = b.vals2, b.vals
	}
}

// termOrder returns the indexes of terms in ascending order of the
// terms, given terms in ascending order of their record keys, and the
// kind of each: each kind of Han term is then already in order (UTF-8
// keeps the order of code points), words are in the order they were met.
// The words are sorted and the four runs merged.
func termOrder(terms []string, kindOf func(i int) tokenKind) []uint32 {
	var runs [4][]uint32
	for i := range terms {
		k := kindOf(i)
		runs[k] = append(runs[k], uint32(i))
	}
	slices.SortFunc(runs[tokWord], func(x, y uint32) int { return strings.Compare(terms[x], terms[y]) })
	order := make([]uint32, 0, len(terms))
	for {
		best := -1
		for r := range runs {
			if len(runs[r]) > 0 && (best < 0 || terms[runs[r][0]] < terms[runs[best][0]]) {
				best = r
			}
		}
		if best < 0 {
			return order
		}
		order = append(order, runs[best][0])
		runs[best] = runs[best][1:]
	}
}

// postingList is one term's list being written: documents, their
// frequencies and, unless the term is kept per document only, their
// encoded positions (see appendPostingsRaw).
type postingList struct {
	docs, tfs []uint32
	raw       []byte
	ends      []int
	pairs     []docTF // sortList's scratch
}

// group makes the list of one term's sorted records, reusing l's memory.
func (l *postingList) group(recs []uint64, perDoc bool) {
	l.docs, l.tfs, l.raw, l.ends = l.docs[:0], l.tfs[:0], l.raw[:0], l.ends[:0]
	if perDoc {
		for _, v := range recs {
			l.docs = append(l.docs, uint32(v>>32))
			l.tfs = append(l.tfs, uint32(v))
		}
		l.ends = nil
		return
	}
	var prev uint32 // previous position of the document
	for _, v := range recs {
		d, x := uint32(v>>32), uint32(v)
		if n := len(l.docs); n > 0 && l.docs[n-1] == d {
			l.tfs[n-1]++
		} else {
			if n > 0 {
				l.ends = append(l.ends, len(l.raw))
			}
			l.docs = append(l.docs, d)
			l.tfs = append(l.tfs, 1)
			prev = 0
		}
		l.raw = binary.AppendUvarint(l.raw, uint64(x-prev))
		prev = x
	}
	l.ends = append(l.ends, len(l.raw))
}
