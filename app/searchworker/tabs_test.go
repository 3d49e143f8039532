package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
)

// TestTwoTabs runs two workers over one database, as two tabs of the app
// do: each adds documents after the other opened the index, each must
// find the other's, and the stored index must hold them all (a worker
// writing from its stale manifest would drop the other's segments).
func TestTwoTabs(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(search.Tables()...)
	open := func(context.Context, string, []string) (store.Store, error) { return mem, nil }
	db := t.Name() // a database of this test's own
	a, b := &worker{open: open}, &worker{open: open}
	for _, w := range []*worker{a, b} {
		if r := one(t, w.handle(ctx, request{ID: 1, Op: "open", DB: db})); r.Err != "" {
			t.Fatalf("open = %+v", r)
		}
	}
	add := func(w *worker, name string, first, n int) {
		t.Helper()
		docs := make([]search.Doc, n)
		for i := range docs {
			docs[i] = search.Doc{ID: fmt.Sprintf("%s%d", name, first+i), Title: name + "城夜班车", Text: "末班车延后两小时。"}
		}
		w.handle(ctx, request{ID: 2, Op: "add", Docs: docs})
		if reps := w.handle(ctx, request{ID: 3, Op: "stats"}); reps[len(reps)-1].Err != "" {
			t.Fatalf("add then stats = %+v", reps)
		}
	}
	total := func(w *worker, q string) int {
		t.Helper()
		r := one(t, w.handle(ctx, request{ID: 4, Op: "search", Q: q}))
		if r.Err != "" {
			t.Fatalf("search %q = %+v", q, r)
		}
		return r.Results.Total
	}
	// Enough adds that the index merges segments: a merge deletes pages
	// the other worker's manifest may still name.
	for round := range 12 {
		add(a, "甲", round*10, 10)
		add(b, "乙", round*10, 10)
		told(t, a)
		if got, want := total(a, "乙城"), (round+1)*10; got != want {
			t.Fatalf("round %d: worker a finds %d of b's documents, want %d", round, got, want)
		}
		if got, want := total(b, "甲城"), (round+1)*10; got != want {
			t.Fatalf("round %d: worker b finds %d of a's documents, want %d", round, got, want)
		}
	}
	one(t, a.handle(ctx, request{ID: 5, Op: "delete", IDs: []string{"乙0", "乙1"}}))
	told(t, b)
	if got := total(b, "乙城"); got != 118 {
		t.Errorf("after a deleted two of b's documents, b finds %d, want 118", got)
	}
	ix, err := search.Open(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	if st := ix.Stats(); st.Docs != 238 {
		t.Errorf("the stored index holds %d documents, want 238", st.Docs)
	}
}
