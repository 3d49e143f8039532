package search

import (
	"cmp"
	"slices"
	"strings"
)

// termOrder of a posBuilder's groups, with integer comparisons where
// termOrder compares strings: the groups come in key order (bigrams,
// edges, characters, words; a Han key's characters are ranks in code
// point order), and their terms' order is
//
//   - the edges ("\x01" and a character) first, in key order: a word
//     starts with a letter or a digit, a Han term with a Han character;
//   - then the characters and the bigrams merged by their first
//     character's rank, a character before the bigrams it starts (its
//     term is their prefix);
//   - the words, sorted, among them where their terms fall (one string
//     comparison a Han term while words are left: most words are ASCII,
//     before every Han term).
func (b *posBuilder) termOrder() []uint32 {
	starts := b.starts
	n := len(starts) - 1
	var bound [tokWord + 2]int // kind k's groups: bound[k] to bound[k+1]
	for k, g := tokBigram, 0; k <= tokWord; k++ {
		for g < n && b.kindOf(starts[g]) == k {
			g++
		}
		bound[k+1] = g
	}
	if bound[tokWord+1] != n { // not in key order: cannot be
		terms := make([]string, n)
		for g := range terms {
			terms[g] = b.term(uint32(g))
		}
		return termOrder(terms, func(i int) tokenKind { return b.kindOf(starts[i]) })
	}
	words := make([]uint32, 0, n-bound[tokWord])
	for g := bound[tokWord]; g < n; g++ {
		words = append(words, uint32(g))
	}
	b.sortWords(words)
	order := make([]uint32, 0, n)
	for g := bound[tokEdge]; g < bound[tokEdge+1]; g++ {
		order = append(order, uint32(g))
	}
	bi, biEnd := bound[tokBigram], bound[tokBigram+1]
	ch, chEnd := bound[tokChar], bound[tokChar+1]
	for bi < biEnd || ch < chEnd {
		var g int
		if ch < chEnd && (bi == biEnd || b.firstRank(starts[ch]) <= b.firstRank(starts[bi])) {
			g, ch = ch, ch+1
		} else {
			g, bi = bi, bi+1
		}
		for len(words) > 0 && b.term(words[0]) < b.term(uint32(g)) {
			order = append(order, words[0])
			words = words[1:]
		}
		order = append(order, uint32(g))
	}
	return append(order, words...)
}

// kindOf is the kind of the record at i.
func (b *posBuilder) kindOf(i int32) tokenKind { return tokenKind(b.recs[i] >> (32 + posKind)) }

// firstRank is the rank of the first character of the Han record at i.
func (b *posBuilder) firstRank(i int32) uint64 { return b.recs[i] >> (32 + posChar) & (1<<posChar - 1) }

// sortWords sorts word groups by their terms: by their first 8 bytes
// as an integer, then, where those are equal, as strings (a string
// comparison each time, through two slicings, made most of termOrder's
// time in wasm). The terms differ: the order is total.
func (b *posBuilder) sortWords(words []uint32) {
	type wordKey struct {
		pre uint64
		g   uint32
	}
	keys := make([]wordKey, len(words))
	for i, g := range words {
		t := b.term(g)
		var pre uint64
		for j := range 8 {
			pre <<= 8
			if j < len(t) {
				pre |= uint64(t[j])
			}
		}
		keys[i] = wordKey{pre, g}
	}
	slices.SortFunc(keys, func(x, y wordKey) int {
		if x.pre != y.pre {
			return cmp.Compare(x.pre, y.pre)
		}
		return strings.Compare(b.term(x.g), b.term(y.g))
	})
	for i := range keys {
		words[i] = keys[i].g
	}
}
