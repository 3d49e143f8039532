package search

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// subsetOf returns a random subset of parent of about share of its
// documents (at least riceVarintDocs+1), ascending, and frequencies.
func subsetOf(rng *rand.Rand, parent []uint32, share float64) (docs, tfs []uint32) {
	for len(docs) <= riceVarintDocs {
		docs = docs[:0]
		for _, d := range parent {
			if rng.Float64() < share {
				docs = append(docs, d)
			}
		}
	}
	for range docs {
		tfs = append(tfs, uint32(1+rng.IntN(3)))
	}
	return docs, tfs
}

// relativeList encodes docs as a shipped list relative to parent, and
// returns it; it fails the test if the list was not written relative.
func relativeList(t *testing.T, parent, docs, tfs []uint32) []byte {
	t.Helper()
	p := parentList{}
	p.see("中", parent, true)
	idx := p.indices("中国", docs)
	if idx == nil {
		t.Fatalf("a subset of its parent's list of %d documents was not coded relative", len(parent))
	}
	db, _, _ := appendPostingsTo(nil, nil, nil, docs, tfs, nil, nil, true, true, false, idx)
	if db[0]&riceRelative == 0 && len(docs) <= riceBlockSize {
		t.Fatalf("the block head %#x is not marked relative", db[0])
	}
	return db
}

// TestRelativeRoundTrip: a list coded relative to its parent's decodes
// to what was encoded, walked in order and with jumps across its blocks,
// and in fewer bytes than coded alone.
func TestRelativeRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, c := range []struct {
		parent int
		share  float64
	}{{10, 0.5}, {200, 0.02}, {3000, 0.9}, {5000, 0.3}, {20000, 0.1}, {20000, 0.99}} {
		t.Run(fmt.Sprintf("%d×%.2f", c.parent, c.share), func(t *testing.T) {
			parent, _, _ := randomList(rng, c.parent, false)
			docs, tfs := subsetOf(rng, parent, c.share)
			db := relativeList(t, parent, docs, tfs)
			it := newPostingIter(db, nil, len(docs), false, true)
			it.parent = parent
			gd, gt, _ := decodeAll(it)
			if it.err != nil || !slices.Equal(gd, docs) || !slices.Equal(gt, tfs) {
				t.Fatalf("round trip of %d documents of %d: err %v, %d documents back, same %v", len(docs), len(parent), it.err, len(gd), slices.Equal(gd, docs))
			}
			alone, _, _ := appendPostingsTo(nil, nil, nil, docs, tfs, nil, nil, true, true, false, nil)
			if len(db) > len(alone) {
				t.Errorf("relative: %d bytes, alone %d", len(db), len(alone))
			}
			open := func() *postingIter {
				it := newPostingIter(db, nil, len(docs), false, true)
				it.parent = parent
				return it
			}
			checkJumps(t, rng, 50, func(int) int { return int(parent[len(parent)-1])/8 + 1 }, open, docs, tfs, nil)
		})
	}
}

// TestRelativeNeedsItsParent: a relative list read without its parent's
// list, or with a shorter one, is corrupt, not read wrong.
func TestRelativeNeedsItsParent(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	parent, _, _ := randomList(rng, 3000, false)
	docs, tfs := subsetOf(rng, parent, 0.5)
	db := relativeList(t, parent, docs, tfs)
	for name, p := range map[string][]uint32{"none": nil, "shorter": parent[:len(parent)/2]} {
		it := newPostingIter(db, nil, len(docs), false, true)
		it.parent = p
		decodeAll(it)
		if !errors.Is(it.err, errCorrupt) {
			t.Errorf("parent %s: err %v, want errCorrupt", name, it.err)
		}
	}
}

// TestParentListIndices: a list is coded relative only to its own
// parent's, the last seen, when it holds none but the parent's
// documents, when it is long enough to be Rice-coded, and the parent's
// not too long to decode (relMaxParent); the indices
// are the documents' places in the parent's list, over a long one too
// (words of its bitmap past the first).
func TestParentListIndices(t *testing.T) {
	var p parentList
	p.see("国", []uint32{0, 4, 9, 12, 40, 41, 90}, true)
	p.see("国家", []uint32{4, 9}, true) // not a parent: ignored
	for _, c := range []struct {
		term string
		docs []uint32
		want []uint32
	}{
		{"国家", []uint32{4, 12, 41}, []uint32{1, 3, 5}},
		{"国家", []uint32{0, 4, 9, 12, 40, 41, 90}, []uint32{0, 1, 2, 3, 4, 5, 6}},
		{"国家", []uint32{4, 13, 41}, nil}, // 13 is not the parent's
		{"国家", []uint32{4, 12, 91}, nil}, // past its end
		{"国家", []uint32{4, 12}, nil},     // short: varints
		{"中国", []uint32{4, 12, 41}, nil}, // another parent
		{"国", []uint32{4, 12, 41}, nil},  // a parent itself
		{"word", []uint32{4, 12, 41}, nil},
	} {
		if got := p.indices(c.term, c.docs); !slices.Equal(got, c.want) || (got == nil) != (c.want == nil) {
			t.Errorf("indices(%s, %v) = %v, want %v", c.term, c.docs, got, c.want)
		}
	}
	huge := make([]uint32, relMaxParent+1)
	for i := range huge {
		huge[i] = uint32(2 * i)
	}
	p.see("国", huge, false)
	if got := p.indices("国家", []uint32{0, 2, 4}); got != nil {
		t.Errorf("the child of a parent of %d documents was coded relative", len(huge))
	}
	rng := rand.New(rand.NewPCG(15, 16))
	big, _, _ := randomList(rng, 5000, false)
	p.see("国", big, true)
	for _, share := range []float64{0.001, 0.01, 0.5} {
		docs, _ := subsetOf(rng, big, share)
		got := slices.Clone(p.indices("国家", docs))
		for i, x := range got {
			if big[x] != docs[i] {
				t.Fatalf("share %v: index %d of %d is %d, the parent's %d", share, i, docs[i], x, big[x])
			}
		}
		if len(got) != len(docs) {
			t.Fatalf("share %v: %d indices for %d documents", share, len(got), len(docs))
		}
	}
}

// TestGroupBounds: a merge's bounds move to their groups' starts, so that
// a range holds the parents of its lists.
func TestGroupBounds(t *testing.T) {
	got := groupBounds([]string{"abc", "中", "中国", "中央", "丰收", "习近", "习近平", "zz"})
	want := []string{"abc", "中", "丰", "习"}
	if !slices.Equal(got, want) {
		t.Errorf("groupBounds = %q, want %q", got, want)
	}
	for term, want := range map[string]string{"中国": "中", "中": "中", "国家队": "国", "news": "news", "3号": "3号", "": ""} {
		if got := groupStart(term); got != want {
			t.Errorf("groupStart(%q) = %q, want %q", term, got, want)
		}
	}
}

// TestShippedRelative: a shipped index codes its bigrams' lists relative
// to their characters', and reads them back, through an index and
// through the merges of its segments; a one-character query and a
// bigram's find the same documents as a scan, before and after deletes.
func TestShippedRelative(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(17, 18))
	chars := []rune("中国人民家庭学校城市天气")
	var docs []Doc
	for i := range 3000 {
		text := make([]rune, 40)
		for j := range text {
			text[j] = chars[rng.IntN(len(chars))]
		}
		docs = append(docs, Doc{ID: fmt.Sprintf("d%04d", i), Title: fmt.Sprintf("第%d篇", i), Text: string(text), Date: shipDay(i % 400)})
	}
	ix, _ := newShipped(t, docs, 500)
	check := func(stage string, gone map[string]bool) {
		t.Helper()
		for _, q := range []string{"中", "中国", "国人", "天气", "气中", "学校城"} {
			want := 0
			for _, d := range docs {
				if !gone[d.ID] && (strings.Contains(d.Text, q) || strings.Contains(d.Title, q)) {
					want++
				}
			}
			res, err := ix.Search(ctx, q, Options{Limit: 5000})
			if err != nil {
				t.Fatalf("%s: Search(%s): %v", stage, q, err)
			}
			if res.Total != want || len(res.Hits) != want {
				t.Errorf("%s: Search(%s): %d hits (total %d), want %d", stage, q, len(res.Hits), res.Total, want)
			}
		}
	}
	check("segments of 500", nil)
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if len(ix.man.Segs) != 1 {
		t.Fatalf("%d segments after Compact", len(ix.man.Segs))
	}
	s, err := ix.segment(ctx, ix.man.Segs[0])
	if err != nil {
		t.Fatal(err)
	}
	if !s.hdr.relative() {
		t.Fatalf("flags %#x: not segRelative", s.hdr.flags)
	}
	e, err := ix.lookup(ctx, s, "中国")
	if err != nil || e == nil {
		t.Fatalf("lookup(中国): %v %v", e, err)
	}
	b, err := ix.read(ctx, s, s.hdr.docsOff+e.docsOff, e.docsLen)
	if err != nil {
		t.Fatal(err)
	}
	if e.df <= riceBlockSize && b[0]&riceRelative == 0 {
		t.Errorf("中国's list (%d documents) is not relative: head %#x", e.df, b[0])
	}
	check("compacted", nil)
	gone := map[string]bool{}
	var del []string
	for i := 0; i < len(docs); i += 3 {
		gone[docs[i].ID] = true
		del = append(del, docs[i].ID)
	}
	if err := ix.Delete(ctx, del...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ctx, Doc{ID: "new", Text: "中国天气", Date: shipDay(500)}); err != nil {
		t.Fatal(err)
	}
	docs = append(docs, Doc{ID: "new", Text: "中国天气"})
	if err := ix.Compact(ctx); err != nil { // a merge of relative segments, with deletes
		t.Fatal(err)
	}
	check("deleted and compacted", gone)
}

// TestListDocs: a Rice-coded list decoded a block at a time gives the
// documents next gives, for lists of one block and of several, with
// frequencies or without; a list cut short is corrupt.
func TestListDocs(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	for _, df := range []int{1, 2, 3, 100, riceBlockSize, riceBlockSize + 1, 5000} {
		for _, freqs := range []bool{true, false} {
			docs, tfs, _ := randomList(rng, df, false)
			db, _, _ := appendPostingsTo(nil, nil, nil, docs, tfs, nil, nil, true, freqs, false, nil)
			got, err := listDocs(nil, newPostingIter(db, nil, df, false, true))
			if err != nil || !slices.Equal(got, docs) {
				t.Errorf("df %d freqs %v: %d documents back (%v), same %v", df, freqs, len(got), err, slices.Equal(got, docs))
			}
			if df > riceVarintDocs {
				if _, err := listDocs(nil, newPostingIter(db[:len(db)/2], nil, df, false, true)); err == nil {
					t.Errorf("df %d freqs %v: half the list decoded without an error", df, freqs)
				}
			}
		}
	}
}

// TestRelativeSameAsAbsolute indexes the corpus as a shipped index twice,
// with relative lists and without, and runs the frozen queries over each,
// cold, texts from elsewhere (as a hosted archive): the same hits in the
// same order, the same totals, and no more reads of the store (a
// visitor's round trips) a query.
func TestRelativeSameAsAbsolute(t *testing.T) {
	ctx := context.Background()
	docs := loadCorpus(t)
	texts := textsOf(docs)
	build := func(relative bool) (store.Store, int) {
		relativeLists = relative
		defer func() { relativeLists = true }()
		ix, st := newShipped(t, docs, 400)
		if err := ix.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		return st, ix.Stats().IndexBytes
	}
	rel, relBytes := build(true)
	abs, absBytes := build(false)
	if relBytes >= absBytes {
		t.Errorf("index of %d bytes with relative lists, %d without", relBytes, absBytes)
	}
	search := func(st store.Store, q string) (*Results, int) {
		rc := &readCounter{Store: st} // a store of its own: no cache taken
		ix, err := OpenShipped(ctx, rc)
		if err != nil {
			t.Fatal(err)
		}
		ix.UseTexts(texts)
		r, err := ix.Search(ctx, q, Options{Limit: 20})
		if err != nil {
			t.Fatalf("Search(%s): %v", q, err)
		}
		return r, rc.reads
	}
	qs := readQueries(t)
	for _, q := range qs {
		r, rn := search(rel, q.text)
		a, an := search(abs, q.text)
		if !slices.Equal(hitIDs(r), hitIDs(a)) || r.Total != a.Total || r.Estimated != a.Estimated {
			t.Errorf("%s: relative %v (total %d), absolute %v (total %d)", q.text, hitIDs(r), r.Total, hitIDs(a), a.Total)
		}
		if rn > an {
			t.Errorf("%s: %d reads with relative lists, %d without", q.text, rn, an)
		}
	}
	t.Logf("%d queries; index %d bytes with relative lists, %d without", len(qs), relBytes, absBytes)
}

// TestBigParent: a character in more than relMaxParent documents codes
// its bigrams' lists as they are, and its block says so in the header;
// a rarer one codes its own relative; both are searched right.
func TestBigParent(t *testing.T) {
	ctx := context.Background()
	chars := []rune("甲乙丙丁戊己庚辛壬癸")
	n := relMaxParent + 1000
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = Doc{ID: fmt.Sprintf("d%05d", i), Text: fmt.Sprintf("中%c国", chars[i%len(chars)]), Date: shipDay(i % 300)}
	}
	ix, _ := newShipped(t, docs, n/3)
	if err := ix.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	s, err := ix.segment(ctx, ix.man.Segs[0])
	if err != nil {
		t.Fatal(err)
	}
	small := string(chars[0])
	if !s.hdr.isBigParent("中") || s.hdr.isBigParent(small) {
		t.Errorf("big parents: 中 %v, %s %v; want true, false", s.hdr.isBigParent("中"), small, s.hdr.isBigParent(small))
	}
	for term, want := range map[string]bool{"中" + small: false, small + "国": true} {
		e, err := ix.lookup(ctx, s, term)
		if err != nil || e == nil {
			t.Fatalf("lookup(%s): %v %v", term, e, err)
		}
		it, err := ix.iterator(ctx, s, e)
		if err != nil {
			t.Fatal(err)
		}
		if it.relativeList() != want {
			t.Errorf("%s (%d documents): relative %v, want %v", term, e.df, it.relativeList(), want)
		}
	}
	for _, q := range []string{"中" + small, small + "国", "中" + small + "国"} {
		r, err := ix.Search(ctx, q, Options{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if want := (n + len(chars) - 1) / len(chars); r.Total != want {
			t.Errorf("Search(%s): %d, want %d", q, r.Total, want)
		}
	}
}
