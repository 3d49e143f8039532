package search

import (
	"context"
	"slices"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// TestDeferred: deferred IDs outlive a reopen of the index, and Add and
// Delete take theirs off the list.
func TestDeferred(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory(Tables()...)
	ix, err := Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Defer(ctx, "a", "b", "c", "a"); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(ctx, st); err != nil {
		t.Fatal(err)
	}
	if got := ix.Deferred(); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Fatalf("Deferred after a reopen = %q, want [a b c]", got)
	}
	if err := ix.Add(ctx, Doc{ID: "b", Title: "标题", Text: "正文"}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, "c"); err != nil { // never added: only deferred
		t.Fatal(err)
	}
	if ix, err = Open(ctx, st); err != nil {
		t.Fatal(err)
	}
	if got := ix.Deferred(); !slices.Equal(got, []string{"a"}) {
		t.Errorf("Deferred after adding b and deleting c = %q, want [a]", got)
	}
	if err := ix.Add(ctx, Doc{ID: "a", Title: "标题", Text: "正文"}); err != nil {
		t.Fatal(err)
	}
	if got := ix.Deferred(); len(got) != 0 {
		t.Errorf("Deferred after adding a = %q, want none", got)
	}
}
