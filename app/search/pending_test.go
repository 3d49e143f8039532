package search

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// deferred is ix.Deferred, failing t on an error.
func deferred(t *testing.T, ix *Index) []string {
	t.Helper()
	ids, err := ix.Deferred(context.Background())
	if err != nil {
		t.Fatalf("Deferred: %v", err)
	}
	return ids
}

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
	if err := ix.Defer(ctx, "b", "d"); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(ctx, st); err != nil {
		t.Fatal(err)
	}
	if got := deferred(t, ix); !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Fatalf("Deferred after a reopen = %q, want [a b c d]", got)
	}
	if err := ix.Add(ctx, Doc{ID: "b", Title: "标题", Text: "正文"}); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, "c", "d"); err != nil { // never added: only deferred
		t.Fatal(err)
	}
	if ix, err = Open(ctx, st); err != nil {
		t.Fatal(err)
	}
	if got := deferred(t, ix); !slices.Equal(got, []string{"a"}) {
		t.Errorf("Deferred after adding b and deleting c and d = %q, want [a]", got)
	}
	if err := ix.Add(ctx, Doc{ID: "a", Title: "标题", Text: "正文"}); err != nil {
		t.Fatal(err)
	}
	if got := deferred(t, ix); len(got) != 0 {
		t.Errorf("Deferred after adding a = %q, want none", got)
	}
	n := 0
	st.Scan(ctx, tableMeta, "pending/", "pending0", 0, func(string, []byte) bool { n++; return true })
	if n != 0 {
		t.Errorf("%d pending records left once all were added, want 0", n)
	}
}

// TestDeferCost: a Defer writes the same few bytes however many IDs were
// deferred before it (the manifest does not hold them).
func TestDeferCost(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory(Tables()...)
	ix, err := Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for batch := range 50 {
		ids := make([]string, 200)
		for i := range ids {
			ids[i] = "article-" + strconv.Itoa(batch*200+i)
		}
		if err := ix.Defer(ctx, ids...); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(ix.manBytes))
	}
	if first, last := sizes[0], sizes[len(sizes)-1]; last > first+50*10 {
		t.Errorf("manifest after 1 Defer: %d bytes, after 50 of 200 IDs each: %d, want about the same", first, last)
	}
	if got := deferred(t, ix); len(got) != 10000 {
		t.Errorf("len(Deferred) = %d, want 10000", len(got))
	}
}

// TestDeferredInManifest: a list written in the manifest by an older
// Defer is still read and taken off.
func TestDeferredInManifest(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory(Tables()...)
	man := manifest{Version: formatVersion, Next: 1, Pending: []string{"old1", "old2"}}
	b, _ := json.Marshal(&man)
	var batch store.Batch
	batch.Put(tableMeta, "manifest", b)
	if err := st.Write(ctx, &batch); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Defer(ctx, "new1"); err != nil {
		t.Fatal(err)
	}
	if got := deferred(t, ix); !slices.Equal(got, []string{"old1", "old2", "new1"}) {
		t.Fatalf("Deferred = %q, want [old1 old2 new1]", got)
	}
	if err := ix.Add(ctx, Doc{ID: "old2", Title: "旧稿", Text: "正文"}, Doc{ID: "new1", Title: "新稿", Text: "正文"}); err != nil {
		t.Fatal(err)
	}
	if got := deferred(t, ix); !slices.Equal(got, []string{"old1"}) {
		t.Errorf("Deferred after adding old2 and new1 = %q, want [old1]", got)
	}
}
