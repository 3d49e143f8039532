package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// fastPathDocs generates n documents of Chinese-like text over a small
// alphabet (so that its characters are in many documents, some many
// times), some of them deleted or replaced after they were indexed.
func fastPathDocs(n int) []Doc {
	const alphabet = "的国中人会发展经济合作新闻报道今年市场政府表示"
	chars := []rune(alphabet)
	rng := rand.New(rand.NewPCG(7, 11))
	docs := make([]Doc, n)
	for i := range docs {
		var text strings.Builder
		for range 20 + rng.IntN(300) {
			text.WriteRune(chars[rng.IntN(len(chars))])
			if rng.IntN(15) == 0 {
				text.WriteString("。")
			}
		}
		docs[i] = Doc{ID: fmt.Sprintf("f%04d", i), Title: string(chars[rng.IntN(len(chars))]) + "报道", Text: text.String(), Date: day(rng.IntN(900))}
	}
	return docs
}

// TestPerDocFastPath holds the one-character queries' fast path
// (plan.perDocOnly) to the general one: the same totals, hits, scores
// to the last bit, snippets and matches, in both orders and on a later
// page, over several segments with deleted documents.
func TestPerDocFastPath(t *testing.T) {
	ctx := context.Background()
	ix, _ := openMemory(t)
	docs := fastPathDocs(600)
	for i := 0; i < len(docs); i += 150 {
		if err := ix.Add(ctx, docs[i:i+150]...); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Delete(ctx, "f0003", "f0200", "f0451"); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ctx, Doc{ID: "f0010", Title: "更新", Text: "国国国中"}); err != nil {
		t.Fatal(err)
	}
	queries := []string{"的", "国", "報", "展", "表", "中"}
	for _, q := range queries {
		for _, opt := range []Options{{}, {Sort: ByDate}, {Offset: 20, Limit: 30}, {Limit: 1}} {
			fast, err := ix.Search(ctx, q, opt)
			if err != nil {
				t.Fatal(err)
			}
			generalOnly = true
			general, err := ix.Search(ctx, q, opt)
			generalOnly = false
			if err != nil {
				t.Fatal(err)
			}
			if fast.Total == 0 || len(fast.Hits) == 0 {
				t.Errorf("Search(%q, %+v): no hits: the fixture should match", q, opt)
			}
			if !reflect.DeepEqual(fast, general) {
				t.Errorf("Search(%q, %+v): fast path %d hits of %d, general %d of %d; first differing hit:\n%s", q, opt,
					len(fast.Hits), fast.Total, len(general.Hits), general.Total, firstDiff(fast.Hits, general.Hits))
			}
		}
	}
}

// firstDiff describes the first hit that differs between a and b.
func firstDiff(a, b []Hit) string {
	for i := range min(len(a), len(b)) {
		if !reflect.DeepEqual(a[i], b[i]) {
			return fmt.Sprintf("%d: %+v\n   vs %+v", i, a[i], b[i])
		}
	}
	return "(one list is longer)"
}
