package main

import (
	"context"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// TestReparseStoredArticles: a library an older parser stored (here, one
// that read "步道照明" as "步道 照明", as zero-width spaces were read, and
// recorded no revision) is parsed again by the worker while it is idle,
// in steps, and its index follows: the new text is found, the old is not.
func TestReparseStoredArticles(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	old := func(data []byte) (*parser.Article, error) {
		a, err := parser.Parse(data)
		if err == nil {
			for i := range a.Body {
				a.Body[i].Text = strings.ReplaceAll(a.Body[i].Text, "步道照明", "步道 照明")
				a.Body[i].Inlines = nil
			}
		}
		return a, err
	}
	lib, err := library.OpenWith(ctx, mem, library.Options{Parse: old})
	if err != nil {
		t.Fatal(err)
	}
	ids := storeArticles(t, lib, 2*reparseChunk+5)
	ix, err := search.Open(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := lib.SearchDocs(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if err := ix.Add(ctx, *d); err != nil {
			t.Fatal(err)
		}
	}

	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	im := &importer{w: w}
	one(t, w.handle(ctx, request{ID: 1, Op: "open"}))
	im.checkReparse(ctx)
	if !im.reparsing {
		t.Fatal("checkReparse after opening a library of no recorded revision: reparsing = false")
	}
	search := func(q string) int {
		t.Helper()
		r := one(t, w.handle(ctx, request{ID: 2, Op: "search", Q: `"` + q + `"`}))
		if r.Err != "" || r.Results == nil {
			t.Fatalf("search %s = %+v", q, r)
		}
		return r.Results.Total
	}
	if n := search("步道照明"); n != 0 {
		t.Fatalf("search 步道照明 before = %d, want 0 (the old parse split it)", n)
	}
	steps := 0
	for im.reparseDue {
		im.reparseStep(ctx)
		im.flush(ctx)
		steps++
	}
	if steps != 3 {
		t.Errorf("re-parsing %d articles took %d steps, want 3", len(ids), steps)
	}
	if n := search("步道照明"); n != len(ids) {
		t.Errorf("search 步道照明 after = %d, want %d", n, len(ids))
	}
	if n := search("步道 照明"); n != 0 {
		t.Errorf(`search "步道 照明" after = %d, want 0`, n)
	}
	if left, err := w.ix.Deferred(ctx); err != nil || len(left) != 0 {
		t.Errorf("still to be indexed: %q, %v", left, err)
	}
	im.checkReparse(ctx)
	if im.reparseDue {
		t.Error("checkReparse after the work: a re-parse is due")
	}
}
