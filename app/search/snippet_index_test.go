package search

import (
	"context"
	"slices"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// TestIndexedSnippets checks that the snippets made from the match
// positions the index found are exactly those made by tokenizing the
// text again, for every frozen query over part of the corpus (by
// relevance and by date, two pages).
func TestIndexedSnippets(t *testing.T) {
	docs := loadCorpus(t)
	docs = docs[:min(len(docs), 600)]
	ctx := context.Background()
	ix, err := Open(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(docs); i += 150 {
		if err := ix.Add(ctx, docs[i:min(i+150, len(docs))]...); err != nil {
			t.Fatal(err)
		}
	}
	text := map[string]string{}
	for _, d := range docs {
		text[d.ID] = d.Text
	}
	checked := 0
	for _, q := range readQueries(t) {
		query := ParseQuery(q.text)
		for _, opt := range []Options{{Limit: 10}, {Sort: ByDate, Offset: 10, Limit: 10}} {
			res, err := ix.Search(ctx, q.text, opt)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range res.Hits {
				snip, spans := snippet(text[h.ID], &query)
				if h.Snippet != snip || !slices.Equal(h.SnippetMatches, spans) {
					t.Errorf("Search(%q) hit %s: snippet %q %v, want %q %v", q.text, h.ID, h.Snippet, h.SnippetMatches, snip, spans)
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Errorf("checked %d snippets, want at least 1000", checked)
	}
}
