package search

import (
	"context"
	"fmt"
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
// with documents deleted before a merge), and after a reopen.
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
	live := map[int]bool{}
	for i := range batches * per {
		live[i] = !deleted[i]
	}
	n := batches*per - len(deleted)
	check(ix, "号", live, n)

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
