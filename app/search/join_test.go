package search

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// dumpLists decodes every list of the index's segments: per segment,
// each term with its documents, frequencies and positions, and the doc
// table.
func dumpLists(t *testing.T, ix *Index) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, m := range ix.man.Segs {
		s, err := ix.segment(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		blob, err := ix.read(ctx, s, 0, s.hdr.blobLen)
		if err != nil {
			t.Fatal(err)
		}
		h := s.hdr
		fmt.Fprintf(&b, "segment of %d documents, %d terms\n", h.docs, h.terms)
		c := termCursor{h: h, terms: blob[h.termsOff : h.termsOff+h.blockOff[len(h.blockOff)-1]]}
		for e := c.entry(); e != nil; c.advance() {
			it := &postingIter{}
			it.reset(blob[h.docsOff+e.docsOff:h.docsOff+e.docsOff+e.docsLen], blob[h.posOff+e.posOff:h.posOff+e.posOff+e.posLen], e.df, e.positional(), h.coding(), h.counts())
			fmt.Fprintf(&b, "%q %d:", e.term, e.df)
			var pos []uint32
			for d := it.next(0); d != noDoc; d = it.next(d + 1) {
				pos = it.positions(pos[:0])
				fmt.Fprintf(&b, " %d×%d%v", d, it.tf, pos)
			}
			if it.err != nil {
				t.Fatalf("term %q: %v", e.term, it.err)
			}
			b.WriteByte('\n')
			e = c.entry()
		}
		for d := range h.docs {
			info, err := ix.docInfo(ctx, s, uint32(d))
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%+v\n", *info)
		}
	}
	return b.String()
}

// TestJoinSameAsMerge: merges that join their inputs' lists (several
// tiers deep, lists of one block and of many, small blocks joined) make
// the lists, positions and doc tables that merges decoding and encoding
// every list make; with a deletion, the merge decodes.
func TestJoinSameAsMerge(t *testing.T) {
	docs := loadCorpus(t)
	ctx := context.Background()
	build := func(join bool) (string, []Hit) {
		joinMerges = join
		defer func() { joinMerges = true }()
		ix, err := Open(ctx, store.NewMemory(Tables()...))
		if err != nil {
			t.Fatal(err)
		}
		for i, n := 0, 0; i < len(docs); i, n = i+n, n%97+13 {
			if err := ix.Add(ctx, docs[i:min(i+n, len(docs))]...); err != nil {
				t.Fatal(err)
			}
			if i > 0 && i%10 == 0 {
				if err := ix.Delete(ctx, docs[i-5].ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		if bt := ix.BuildTimes(); bt.Merges < 8 || join && (bt.Joined == 0 || bt.Joined == bt.Merges) {
			t.Fatalf("%d merges, %d joined: want several tiers, some joined and some not", bt.Merges, bt.Joined)
		}
		res, err := ix.Search(ctx, "中国", Options{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		return dumpLists(t, ix), res.Hits
	}
	joined, jh := build(true)
	merged, mh := build(false)
	if joined != merged {
		a, b := strings.Split(joined, "\n"), strings.Split(merged, "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("joined merges: line %d of %d is\n%.300s\nwant\n%.300s", i, len(b), a[i], b[i])
			}
		}
		t.Fatalf("joined merges: %d lines, want %d", len(a), len(b))
	}
	if fmt.Sprint(jh) != fmt.Sprint(mh) {
		t.Fatalf("joined merges: hits %v, want %v", jh, mh)
	}
}
