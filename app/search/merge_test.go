package search

import (
	"context"
	"fmt"
	"maps"
	"runtime/debug"
	"slices"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// stems make each document's own marker: two of them and 号.
var stems = []rune("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥")

func marker(i int, kind string) string {
	return string(stems[i/len(stems)%len(stems)]) + string(stems[i%len(stems)]) + kind
}

func markedDoc(i int, kind string) Doc {
	return Doc{ID: fmt.Sprintf("d%03d", i), Title: "测试文档", Text: "这是" + marker(i, kind) + "文档的正文。", Date: day(i)}
}

// TestMergeForwards: merges rewrite no record of document IDs; a replace
// or a delete of a document finds it through the merges (several levels,
// with documents deleted before a merge), and after a reopen; Holds
// tells the live documents from the deleted, replaced and unknown.
func TestMergeForwards(t *testing.T) {
	ctx := context.Background()
	ix, cs := openMemory(t)
	const batches, per = 20, 3
	deleted := map[int]bool{}
	for b := range batches {
		var docs []Doc
		for j := range per {
			docs = append(docs, markedDoc(b*per+j, "号"))
		}
		if err := ix.Add(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		if b%3 == 2 { // a document of the batch before last, before it is merged
			i := (b-1)*per + 1
			if err := ix.Delete(ctx, markedDoc(i, "").ID); err != nil {
				t.Fatal(err)
			}
			deleted[i] = true
		}
	}
	if len(ix.man.Merged) == 0 {
		t.Fatalf("no merge after %d adds: %d segments", batches, len(ix.man.Segs))
	}
	check := func(ix *Index, kind string, live map[int]bool, docs int) {
		t.Helper()
		if got := ix.Stats().Docs; got != docs {
			t.Errorf("Stats().Docs = %d, want %d", got, docs)
		}
		for i := range batches * per {
			want := []string{}
			if live[i] {
				want = []string{markedDoc(i, "").ID}
			}
			if got := ids(t, ix, marker(i, kind), Options{}); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Search(%s) = %q, want %q", marker(i, kind), got, want)
			}
		}
	}
	// held: the documents live, whatever their version
	held := func(ix *Index, live map[int]bool) {
		t.Helper()
		all := make([]string, batches*per+1)
		for i := range all {
			all[i] = markedDoc(i, "").ID // the last one never added
		}
		got, err := ix.Holds(ctx, all)
		if err != nil {
			t.Fatal(err)
		}
		for i, h := range got {
			if h != live[i] {
				t.Errorf("Holds(%s) = %v, want %v", all[i], h, live[i])
			}
		}
	}
	live := map[int]bool{}
	for i := range batches * per {
		live[i] = !deleted[i]
	}
	n := batches*per - len(deleted)
	check(ix, "号", live, n)
	held(ix, live)

	// replace every live document: each old version must be tombstoned
	var docs []Doc
	for i := range batches * per {
		if live[i] {
			docs = append(docs, markedDoc(i, "版"))
		}
	}
	for i := 0; i < len(docs); i += 7 {
		if err := ix.Add(ctx, docs[i:min(i+7, len(docs))]...); err != nil {
			t.Fatal(err)
		}
	}
	check(ix, "号", map[int]bool{}, n)
	check(ix, "版", live, n)
	held(ix, live)

	// delete every other one, then reopen
	for i := 0; i < batches*per; i += 2 {
		if err := ix.Delete(ctx, markedDoc(i, "").ID); err != nil {
			t.Fatal(err)
		}
		if live[i] {
			n--
		}
		live[i] = false
	}
	check(ix, "版", live, n)
	again, err := Open(ctx, &reopened{cs.Store})
	if err != nil {
		t.Fatal(err)
	}
	check(again, "版", live, n)
	held(again, live)
}

// TestForwardsResolve follows a document through two merges, one with a
// document deleted before it.
func TestForwardsResolve(t *testing.T) {
	m := manifest{Merged: []mergedSeg{
		{ID: 1, Into: 5, Base: 0, Dead: []byte{0b0000_0101}}, // docs 0 and 2 deleted
		{ID: 2, Into: 5, Base: 6},
		{ID: 5, Into: 9, Base: 100},
	}}
	fw := m.forwards()
	for _, c := range []struct{ in, want docRef }{
		{docRef{1, 1}, docRef{9, 100}},
		{docRef{1, 3}, docRef{9, 101}},
		{docRef{1, 9}, docRef{9, 107}},
		{docRef{1, 2}, docRef{-1, 0}},
		{docRef{2, 4}, docRef{9, 110}},
		{docRef{9, 4}, docRef{9, 4}},
		{docRef{7, 4}, docRef{7, 4}},
	} {
		if got, err := fw.resolve(c.in); err != nil || got != c.want {
			t.Errorf("resolve(%v) = %v, %v, want %v", c.in, got, err, c.want)
		}
	}
	cycle := manifest{Merged: []mergedSeg{{ID: 1, Into: 2}, {ID: 2, Into: 1}}}
	if _, err := cycle.forwards().resolve(docRef{1, 0}); err == nil {
		t.Errorf("resolve through a cycle = nil error")
	}
}

// gcStore records the collector's target at each write (a merge writes
// its segment while it runs).
type gcStore struct {
	store.Store
	seen []int
}

func (g *gcStore) Write(ctx context.Context, b *store.Batch) error {
	pct := debug.SetGCPercent(-1)
	debug.SetGCPercent(pct)
	g.seen = append(g.seen, pct)
	return g.Store.Write(ctx, b)
}

// TestMergeGCPercent: merges leave the collector alone unless the
// index's owner asks (MergeGCPercent), and restore its target after.
func TestMergeGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, pct := range []int{0, 20} {
		ctx := context.Background()
		gs := &gcStore{Store: store.NewMemory(Tables()...)}
		ix, err := Open(ctx, gs)
		if err != nil {
			t.Fatal(err)
		}
		ix.MergeGCPercent(pct)
		for i := range 3 * mergeFactor {
			if err := ix.Add(ctx, markedDoc(i, "号")); err != nil {
				t.Fatal(err)
			}
		}
		if len(ix.man.Merged) == 0 {
			t.Fatalf("MergeGCPercent(%d): no merge after %d adds", pct, 3*mergeFactor)
		}
		want := 100
		if pct > 0 {
			want = pct
		}
		if !slices.Contains(gs.seen, want) || pct > 0 && !slices.Contains(gs.seen, 100) {
			t.Errorf("MergeGCPercent(%d): targets seen by the writes %v, want %d during merges and 100 otherwise", pct, gs.seen, want)
		}
		if pct == 0 && slices.ContainsFunc(gs.seen, func(p int) bool { return p != 100 }) {
			t.Errorf("MergeGCPercent(0): targets seen by the writes %v, want 100 throughout", gs.seen)
		}
		if got := debug.SetGCPercent(100); got != 100 {
			t.Errorf("MergeGCPercent(%d): target after the adds %d, want 100 restored", pct, got)
		}
	}
}

// pageReads records the pages read by GetMany.
type pageReads struct {
	store.Store
	on    bool
	keys  []string
	calls []int // the keys of each GetMany
}

func (p *pageReads) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	if p.on && table == tablePages {
		p.keys = append(p.keys, keys...)
		p.calls = append(p.calls, len(keys))
	}
	return p.Store.GetMany(ctx, table, keys)
}

// TestMergeReadsRanges: a merge reads its inputs a range at a time, not
// whole: each page of theirs once (a page at the edge of two ranges
// too), from the page cache when it holds it, else from the store in
// reads of a few pages; the pages taken leave the cache; the merged
// segment is the same whichever way its pages came.
func TestMergeReadsRanges(t *testing.T) {
	ctx := context.Background()
	docs := synthetic(t, mergeFactor*500)
	var merged [2]map[string]string
	for run, dropped := range []bool{false, true} {
		ps := &pageReads{Store: store.NewMemory(Tables()...)}
		ix, err := Open(ctx, ps)
		if err != nil {
			t.Fatal(err)
		}
		for i := range mergeFactor - 1 {
			if err := ix.Add(ctx, docs[i*500:(i+1)*500]...); err != nil {
				t.Fatal(err)
			}
		}
		// the last add merges the segments of every add
		if len(ix.man.Segs) != mergeFactor-1 || len(ix.man.Merged) > 0 {
			t.Fatalf("%d segments, %d merged before the last add, want %d and none", len(ix.man.Segs), len(ix.man.Merged), mergeFactor-1)
		}
		want := map[string]bool{} // the inputs' pages read from the store
		for _, m := range ix.man.Segs {
			for p := 0; p*ix.man.pages() < m.Bytes; p++ {
				if dropped && p%3 != 0 {
					ix.cache.remove(pageID{m.ID, p})
					want[pageKey(m.ID, p)] = true
				}
			}
		}
		ps.on = true
		if err := ix.Add(ctx, docs[(mergeFactor-1)*500:]...); err != nil {
			t.Fatal(err)
		}
		ps.on = false
		if len(ix.man.Segs) != 1 || len(ix.man.Merged) != mergeFactor {
			t.Fatalf("%d segments, %d merged after the last add, want 1 and %d", len(ix.man.Segs), len(ix.man.Merged), mergeFactor)
		}
		seen := map[string]bool{}
		for _, k := range ps.keys {
			if seen[k] {
				t.Errorf("page %s read twice", k)
			}
			seen[k] = true
		}
		if len(seen) != len(want) || !maps.Equal(seen, want) && len(want) > 0 {
			t.Errorf("pages read %d, want the %d pages of the inputs not cached", len(seen), len(want))
		}
		// the first read is of the term and doc tables, the others of
		// the ranges' lists
		if len(want) > 0 && (len(ps.calls) < 8 || slices.Max(ps.calls[1:]) > len(want)/4) {
			t.Errorf("%d pages read in reads of %v pages, want the tables and then ranges of a few pages", len(want), ps.calls)
		}
		for k := range ix.cache.m {
			if k.seg != ix.man.Segs[0].ID {
				t.Errorf("page %v of an input still cached", k)
			}
		}
		merged[run] = map[string]string{}
		err = ps.Scan(ctx, tablePages, "", "", 0, func(k string, v []byte) bool {
			merged[run][k] = string(v)
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if !maps.Equal(merged[0], merged[1]) {
		t.Errorf("merged pages differ between inputs read from the cache and from the store")
	}
}
