package search

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// idLookups counts the IDs an index looks up in tableIDs and tableText
// (where a local index's records say where their documents are).
type idLookups struct {
	store.Store
	keys int
}

func (s *idLookups) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	if table == tableIDs || table == tableText {
		s.keys += len(keys)
	}
	return s.Store.GetMany(ctx, table, keys)
}

// TestIDFilter: an add looks up only the IDs the filter may hold (new
// ones, but for a few false positives, are not looked up), and still
// replaces a document added before: in the same index, after a reopen,
// after the filter grew a layer, and in an index without a filter
// (an older version's).
func TestIDFilter(t *testing.T) {
	ctx := context.Background()
	st := &idLookups{Store: store.NewMemory(Tables()...)}
	ix, err := Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	add := func(from, to int, kind string) {
		t.Helper()
		var docs []Doc
		for i := from; i < to; i++ {
			docs = append(docs, markedDoc(i, kind))
		}
		if err := ix.Add(ctx, docs...); err != nil {
			t.Fatal(err)
		}
	}
	replaced := func(i int, kind string) {
		t.Helper()
		add(i, i+1, kind)
		id := markedDoc(i, "").ID
		if got := ids(t, ix, marker(i, kind), Options{Limit: 100}); !slices.Contains(got, id) {
			t.Errorf("Search(%s) = %v after replacing document %s, want it", marker(i, kind), got, id)
		}
		if got := ids(t, ix, marker(i, "号"), Options{Limit: 100}); slices.Contains(got, id) {
			t.Errorf("Search(%s) = %v after replacing document %s, want it not", marker(i, "号"), got, id)
		}
	}
	add(0, 500, "号")
	add(500, 1000, "号")
	if st.keys > 30 {
		t.Errorf("adding 1,000 new documents looked up %d IDs, want a few false positives at most", st.keys)
	}
	replaced(7, "期")
	if ix, err = Open(ctx, st); err != nil {
		t.Fatal(err)
	}
	replaced(600, "期")
	for from := 1000; from < 5000; from += 500 {
		add(from, from+500, "号")
	}
	if f := ix.ids; len(f.layers) < 2 {
		t.Errorf("the filter has %d layers for 5,000 documents, want it grown", len(f.layers))
	}
	replaced(9, "届")
	var b store.Batch
	b.Delete(tableMeta, idFilterKey)
	if err := st.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(ctx, st); err != nil {
		t.Fatal(err)
	}
	replaced(4321, "期")
	if got := ix.Stats().Docs; got != 5000 {
		t.Errorf("Stats().Docs = %d, want 5000", got)
	}
}

// TestIDFilterEncoding: a filter read back holds what was added.
func TestIDFilterEncoding(t *testing.T) {
	f := newIDFilter(100)
	for i := range 100 {
		f.add(fmt.Sprint("id", i))
	}
	g, err := decodeIDFilter(f.encode())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		if id := fmt.Sprint("id", i); !g.has(id) {
			t.Fatalf("decoded filter: has(%q) = false, want true", id)
		}
	}
	for i := range 10000 {
		f.add(fmt.Sprint("more", i))
	}
	if g, err = decodeIDFilter(f.encode()); err != nil || len(g.layers) != len(f.layers) || len(g.layers) < 2 {
		t.Fatalf("decoded filter of %d layers: %d layers, %v; want the same, at least 2", len(f.layers), len(g.layers), err)
	}
	for i := range 10000 {
		if id := fmt.Sprint("more", i); !g.has(id) {
			t.Fatalf("decoded filter: has(%q) = false, want true", id)
		}
	}
	if _, err := decodeIDFilter([]byte{1, 2, 3}); err == nil {
		t.Fatalf("decodeIDFilter(3 bytes): no error")
	}
}
