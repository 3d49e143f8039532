package search

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// sampleBlock encodes a term block of n terms (bigrams sharing their
// first character, words, long names) as a segment writer does, and
// returns it with its entries.
func sampleBlock(n int) ([]byte, []termEntry) {
	rng := rand.New(rand.NewPCG(3, uint64(n)))
	seen := map[string]bool{}
	var terms []string
	for len(terms) < n {
		var t string
		switch rng.IntN(4) {
		case 0:
			t = fmt.Sprintf("w%d", rng.IntN(5000))
		case 1:
			t = strings.Repeat("长", 1+rng.IntN(3)) + fmt.Sprint(rng.IntN(99))
		default:
			t = string([]rune{0x4E00 + rune(rng.IntN(8)), 0x4E00 + rune(rng.IntN(300))})
		}
		if !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	slices.Sort(terms)
	b := binary.AppendUvarint(nil, 1000)
	b = binary.AppendUvarint(b, 70)
	docsOff, posOff := 1000, 70
	var ents []termEntry
	last := ""
	for _, t := range terms {
		e := termEntry{term: t, df: 1 + rng.IntN(3), docsOff: docsOff, docsLen: 1 + rng.IntN(40), posOff: posOff}
		if rng.IntN(3) > 0 {
			e.posLen = rng.IntN(100)
		}
		b = appendEntry(b, last, t, e.df, e.docsLen, e.posLen)
		docsOff, posOff, last = docsOff+e.docsLen, posOff+e.posLen, t
		ents = append(ents, e)
	}
	return b, ents
}

// TestTermBlockFind looks up every term of blocks of several sizes,
// and terms between, before and after them, in a sampled block
// (newTermBlock), against the entries written.
func TestTermBlockFind(t *testing.T) {
	for _, n := range []int{1, 2, termSampleEvery - 1, termSampleEvery, termSampleEvery + 1, 100, 400} {
		raw, ents := sampleBlock(n)
		b, err := newTermBlock(raw)
		if err != nil {
			t.Fatalf("newTermBlock(%d terms): %v", n, err)
		}
		for i, want := range ents {
			got, ok := b.find(want.term)
			if !ok || !reflect.DeepEqual(got, want) {
				t.Errorf("%d terms: find(%q) = %+v, %v; want %+v", n, want.term, got, ok, want)
			}
			for _, miss := range []string{want.term + "\x00", want.term[:len(want.term)-1]} {
				if _, ok := b.find(miss); ok && !slices.ContainsFunc(ents, func(e termEntry) bool { return e.term == miss }) {
					t.Errorf("%d terms: find(%q) found a term the block does not hold", n, miss)
				}
			}
			// from lists the entries from the first ≥ term, in order
			var names []string
			err := b.from(want.term, func(e *termEntry) bool {
				names = append(names, string(e.name))
				return len(names) < 3
			})
			wantNames := []string{}
			for _, e := range ents[i:min(i+3, len(ents))] {
				wantNames = append(wantNames, e.term)
			}
			if err != nil || !slices.Equal(names, wantNames) {
				t.Errorf("%d terms: from(%q) = %q, %v; want %q", n, want.term, names, err, wantNames)
			}
		}
		if _, ok := b.find(""); ok {
			t.Errorf("%d terms: find(\"\") found a term", n)
		}
		if _, ok := b.find("\U0010FFFF"); ok {
			t.Errorf("%d terms: find(past the last) found a term", n)
		}
		var first string
		b.from("", func(e *termEntry) bool { first = string(e.name); return false })
		if first != ents[0].term {
			t.Errorf("%d terms: from(\"\") starts at %q, want %q", n, first, ents[0].term)
		}
	}
}

// TestTermBlockCorrupt: a block cut short is an error, not a panic.
func TestTermBlockCorrupt(t *testing.T) {
	raw, _ := sampleBlock(100)
	for cut := 1; cut < len(raw); cut += 7 {
		b, err := newTermBlock(raw[:cut])
		if err == nil {
			for _, term := range []string{"w1", "一丁", "长"} {
				b.find(term)
			}
		}
	}
}
