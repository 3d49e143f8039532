package main

import (
	"context"
	"testing"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store"
)

// TestCheckIndexesLostArticles: a library some of whose articles never
// reached the index, nor its list of those to index (as a tab closed
// between an import's two writes leaves them), is checked by the worker
// while idle, after any re-parse, in steps: a count, then chunks of
// checkChunk IDs. The lost articles are indexed; those waiting to be
// indexed are left to resume; once all are indexed, the count alone is
// taken.
func TestCheckIndexesLostArticles(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	lib, err := library.Open(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lib.ReparseDue(ctx); err != nil { // as a worker's open has, before any import
		t.Fatal(err)
	}
	const n, indexed, waiting = checkChunk + 10, 200, 5
	ids := storeArticles(t, lib, n)
	docs, err := lib.SearchDocs(ctx, ids[:indexed])
	if err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if err := ix.Add(ctx, *d); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.Defer(ctx, ids[indexed:indexed+waiting]...); err != nil {
		t.Fatal(err)
	}

	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	im := &importer{w: w}
	one(t, w.handle(ctx, request{ID: 1, Op: "open"}))
	found := func() int {
		t.Helper()
		r := one(t, w.handle(ctx, request{ID: 2, Op: "search", Q: "步道照明"}))
		if r.Err != "" || r.Results == nil {
			t.Fatalf("search = %+v", r)
		}
		return r.Results.Total
	}
	run := func() (steps int) {
		t.Helper()
		im.checkReparse(ctx)
		for im.reparsing {
			im.reparseStep(ctx)
			im.flush(ctx)
			if steps++; steps > 10 {
				t.Fatal("the check did not end")
			}
		}
		return steps
	}
	if steps := run(); steps != 3 {
		t.Errorf("checking %d articles took %d steps, want 3 (a count and two chunks)", n, steps)
	}
	if im.check.found != n-indexed-waiting {
		t.Errorf("the check found %d articles missing from the index, want %d", im.check.found, n-indexed-waiting)
	}
	if got := found(); got != n-waiting {
		t.Errorf("articles found after the check = %d, want %d (all but those waiting)", got, n-waiting)
	}
	im.resume(ctx)
	im.flush(ctx)
	if got := found(); got != n {
		t.Errorf("articles found after the resume = %d, want %d", got, n)
	}
	if steps := run(); steps != 1 || im.check.walking {
		t.Errorf("the check of a library all indexed took %d steps (walking %v), want the count alone", steps, im.check.walking)
	}
}

// TestDeletedArticlesForgotten: an article deleted from the library
// while the index was not told (the page deletes from both in two
// writes) is left out of the search that meets it, and then deleted
// from the index.
func TestDeletedArticlesForgotten(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	im := &importer{w: w}
	one(t, w.handle(ctx, request{ID: 1, Op: "open", Texts: message.TextsLibrary}))
	lib, err := library.Open(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	ids := storeArticles(t, lib, 3)
	if err := im.queueStored(ctx, ids); err != nil {
		t.Fatal(err)
	}
	im.flush(ctx)
	if err := lib.Delete(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	for round := range 2 {
		r := one(t, w.handle(ctx, request{ID: 2, Op: "search", Q: "步道照明"}))
		if r.Err != "" || r.Results == nil || r.Results.Total != 2 || len(r.Results.Hits) != 2 {
			t.Fatalf("search %d after a delete the index missed = %+v, want 2 hits", round, r)
		}
		for _, h := range r.Results.Hits {
			if h.ID == ids[1] || h.Title == "" {
				t.Errorf("search %d: hit %q titled %q, want the two stored articles", round, h.ID, h.Title)
			}
		}
	}
	if st := w.ix.Stats(); st.Docs != 2 {
		t.Errorf("index after the search: %d documents, want 2 (the deleted one forgotten)", st.Docs)
	}
}

// storeArticles stores n articles of article(i) in lib and returns
// their IDs.
func storeArticles(t *testing.T, lib *library.Library, n int) []string {
	t.Helper()
	var files []library.File
	for i := range n {
		files = append(files, library.File{Name: "n.md", Data: article(i)})
	}
	res, err := lib.Import(context.Background(), files)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(res))
	for i, r := range res {
		ids[i] = r.ID
	}
	return ids
}
