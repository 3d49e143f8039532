package search

import (
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
	slices.SortFunc(words, func(x, y uint32) int { return strings.Compare(b.term(x), b.term(y)) })
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
