package search

import (
	"context"
	"reflect"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// pruneOptions are the pages and orders the bounds are held to.
var pruneOptions = []Options{{}, {Sort: ByDate}, {Offset: 20, Limit: 30}, {Limit: 1}, {Limit: 3}}

// samePruned runs q with and without the bounds (noPrune) and reports
// a difference in the totals, hits, scores, snippets or matches; it
// returns how many documents the bounds left out.
func samePruned(t *testing.T, ix *Index, q string, opt Options) int {
	t.Helper()
	ctx := context.Background()
	query := ParseQuery(q)
	ix.mu.Lock()
	r, err := ix.rank(ctx, &query, opt.Sort, opt.Offset+opt.Limit+max(20-opt.Limit-opt.Offset, 0))
	ix.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	pruned := 0
	if r != nil {
		pruned = r.pruned
	}
	fast, err := ix.Search(ctx, q, opt)
	if err != nil {
		t.Fatal(err)
	}
	noPrune = true
	full, err := ix.Search(ctx, q, opt)
	noPrune = false
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, full) {
		t.Errorf("Search(%q, %+v): bounded %d hits of %d, full ranking %d of %d; first differing hit:\n%s", q, opt,
			len(fast.Hits), fast.Total, len(full.Hits), full.Total, firstDiff(fast.Hits, full.Hits))
	}
	return pruned
}

// TestPruneSame holds the ranking that leaves out the documents that
// cannot be among the k best (ranker.below) to the full ranking: the
// same totals, hits, scores to the last bit, snippets and matches, in
// both orders and on later pages, over generated documents in several
// segments with deleted and replaced ones, for queries of one
// character, one bigram, longer strings, several parts, exclusions and
// filters.
func TestPruneSame(t *testing.T) {
	ctx := context.Background()
	ix, _ := openMemory(t)
	docs := fastPathDocs(900)
	for i := 0; i < len(docs); i += 150 {
		if err := ix.Add(ctx, docs[i:i+150]...); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Delete(ctx, "f0003", "f0200", "f0451", "f0700"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ctx, Doc{ID: "f0010", Title: "国国报道", Text: "国国国中。经济合作"}); err != nil {
		t.Fatal(err)
	}
	queries := []string{"的", "国", "国中", "经济", "发展", "经济合作", "人会发", "国 经济", "中国 市场 政府",
		"经济 -合作", "国 -的", "\"今年市场\"", "经济 after:2026-06", "国 的 表示", "报道", "报", "新闻 表"}
	pruned := 0
	for _, q := range queries {
		for _, opt := range pruneOptions {
			pruned += samePruned(t, ix, q, opt)
		}
	}
	if pruned == 0 {
		t.Errorf("no document was bounded out: the fixture should exercise the bounds")
	}
}

// TestPruneCorpus is TestPruneSame over part of the corpus and every
// frozen query.
func TestPruneCorpus(t *testing.T) {
	docs := loadCorpus(t)
	docs = docs[:min(len(docs), 1200)]
	ctx := context.Background()
	ix, err := Open(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(docs); i += 300 {
		if err := ix.Add(ctx, docs[i:min(i+300, len(docs))]...); err != nil {
			t.Fatal(err)
		}
	}
	pruned := 0
	for _, q := range readQueries(t) {
		for _, opt := range pruneOptions[:3] {
			pruned += samePruned(t, ix, q.text, opt)
		}
	}
	if pruned == 0 {
		t.Errorf("no document was bounded out over the corpus")
	}
	t.Logf("%d documents bounded out", pruned)
}
