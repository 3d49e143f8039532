package search

import (
	"context"
	"slices"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// TestTopK checks that the k best kept while ranking (a heap, and
// candidates skipped when they cannot reach it) are the first k of every
// match sorted, for every frozen query over part of the corpus, in both
// orders.
func TestTopK(t *testing.T) {
	docs := loadCorpus(t)
	docs = docs[:min(len(docs), 800)]
	ctx := context.Background()
	ix, err := Open(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(docs); i += 200 {
		if err := ix.Add(ctx, docs[i:min(i+200, len(docs))]...); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range readQueries(t) {
		query := ParseQuery(q.text)
		for _, by := range []Sort{ByRelevance, ByDate} {
			all, err := ix.rank(ctx, &query, by, -1)
			if err != nil || all == nil {
				t.Fatalf("rank(%q) = %v, %v", q.text, all, err)
			}
			want := all.top(0, 15)
			got, err := ix.rank(ctx, &query, by, 15)
			if err != nil {
				t.Fatal(err)
			}
			if got.total != len(all.cands) {
				t.Errorf("rank(%q, %d).total = %d, want %d", q.text, by, got.total, len(all.cands))
			}
			ids := func(cs []cand) []string {
				var out []string
				for _, c := range cs {
					out = append(out, c.id)
				}
				return out
			}
			if g, w := ids(got.top(0, 15)), ids(want); !slices.Equal(g, w) {
				t.Errorf("rank(%q, %d) best = %v, want %v", q.text, by, g, w)
			}
		}
	}
}
