package main

import (
	"context"
	"testing"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
)

// TestWarmIndex: warmIndex searches the library's own index, each of
// warmIndexQueries once, reading what a first query reads, and ends as
// soon as stop says so, before any search.
func TestWarmIndex(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory(search.Tables()...)
	ix, err := search.Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ctx, warmLibrary(0, warmDocs)...); err != nil {
		t.Fatal(err)
	}
	for _, q := range warmIndexQueries {
		if res, err := ix.Search(ctx, q, search.Options{}); err != nil || res.Total == 0 {
			t.Errorf("Search(%q) = %v, %v; want hits in the warm-up library", q, res, err)
		}
	}

	reopen := func() *search.Index {
		ix, err := search.Open(ctx, &freshStore{st})
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
	ix = reopen()
	searches := 0
	warmIndex(ctx, ix, func() bool { searches++; return false })
	if searches != len(warmIndexQueries) {
		t.Errorf("warmIndex asked stop %d times, want once before each of %d searches", searches, len(warmIndexQueries))
	}
	if ix.Stats().Reads == 0 {
		t.Errorf("warmIndex read nothing of the index")
	}

	ix = reopen()
	searches = 0
	warmIndex(ctx, ix, func() bool { searches++; return true })
	if searches != 1 || ix.Stats().Reads != 0 {
		t.Errorf("warmIndex stopped at once: asked stop %d times, read %d times; want 1 and 0", searches, ix.Stats().Reads)
	}
	warmIndex(ctx, nil, func() bool { return false }) // no index: nothing to do
}
