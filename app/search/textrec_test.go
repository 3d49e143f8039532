package search

import (
	"context"
	"slices"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// TestTextRecords: both forms of a record of tableText decode to their
// title and text, and only the second says where its document is.
func TestTextRecords(t *testing.T) {
	for _, title := range []string{"", "江城试行夜间公交", string(make([]byte, 300))} {
		text := "末班车延后两小时。\n第二段"
		old := string(encodeText(title, text))
		if gt, gx, err := decodeText(old); err != nil || gt != title || gx != text {
			t.Errorf("decodeText(encodeText(%q)) = %q, %q, %v", title, gt, gx, err)
		}
		if _, ok, err := textRef([]byte(old)); ok || err != nil {
			t.Errorf("textRef(encodeText(%q)) = %v, %v; want no ref", title, ok, err)
		}
		ref := docRef{seg: 300, doc: 70000}
		rec := encodeTextRef(ref, title, text)
		if gt, gx, err := decodeText(string(rec)); err != nil || gt != title || gx != text {
			t.Errorf("decodeText(encodeTextRef(%q)) = %q, %q, %v", title, gt, gx, err)
		}
		if got, ok, err := textRef(rec); !ok || err != nil || got != ref {
			t.Errorf("textRef(encodeTextRef(%v, %q)) = %v, %v, %v", ref, title, got, ok, err)
		}
	}
	if _, _, err := textRef(textRefMark[:]); err == nil {
		t.Errorf("textRef(the mark alone): no error")
	}
}

// TestOlderRecords: in an index whose first documents were added by an
// older version (a record of tableIDs, a text without its place), an add
// still replaces them, and the documents added since have no record of
// tableIDs.
func TestOlderRecords(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory(Tables()...)
	ix, err := Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	var docs []Doc
	for i := range 40 {
		docs = append(docs, markedDoc(i, "号"))
	}
	if err := ix.Add(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	// rewrite the first 20 as an older version wrote them
	var b store.Batch
	for i, d := range docs[:20] {
		b.Put(tableIDs, d.ID, encodeRef(docRef{ix.man.Segs[0].ID, uint32(i)}))
		b.Put(tableText, d.ID, encodeText(d.Title, d.Text))
	}
	if err := st.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(ctx, st); err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{3, 30} {
		if err := ix.Add(ctx, markedDoc(i, "期")); err != nil {
			t.Fatal(err)
		}
		id := markedDoc(i, "").ID
		if got := ids(t, ix, marker(i, "号"), Options{Limit: 100}); slices.Contains(got, id) {
			t.Errorf("Search(%s) = %v after replacing document %s, want it not", marker(i, "号"), got, id)
		}
		if got := ids(t, ix, marker(i, "期"), Options{Limit: 100}); !slices.Contains(got, id) {
			t.Errorf("Search(%s) = %v after replacing document %s, want it", marker(i, "期"), got, id)
		}
	}
	if got := ix.Stats().Docs; got != 40 {
		t.Errorf("Stats().Docs = %d, want 40", got)
	}
	if err := ix.Delete(ctx, docs[5].ID, docs[35].ID); err != nil {
		t.Fatal(err)
	}
	if got := ix.Stats().Docs; got != 38 {
		t.Errorf("Stats().Docs after deleting 2 = %d, want 38", got)
	}
	n, err := st.Count(ctx, tableIDs)
	if err != nil || n != 19 {
		t.Errorf("records of tableIDs = %d, %v; want the 19 older ones left", n, err)
	}
}
