package search

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// textShelf is a text source of documents by ID, counting its reads.
type textShelf struct {
	docs  map[string]Doc
	reads int
}

func (l *textShelf) texts(_ context.Context, ids []string) ([]*Doc, error) {
	l.reads++
	out := make([]*Doc, len(ids))
	for i, id := range ids {
		if d, ok := l.docs[id]; ok {
			out[i] = &d
		}
	}
	return out, nil
}

// TestTextsFrom: an index whose texts are kept elsewhere writes its
// documents' places in a record a segment, no record a document, shows its hits with the source's texts (read
// once, then cached), replaces and deletes its documents, and after a
// reopen without the source still answers (snippets empty).
func TestTextsFrom(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory(Tables()...)
	ix, err := Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	lib := &textShelf{docs: map[string]Doc{}}
	ix.TextsFrom(lib.texts)
	add := func(docs ...Doc) {
		t.Helper()
		for _, d := range docs {
			lib.docs[d.ID] = d
		}
		if err := ix.Add(ctx, docs...); err != nil {
			t.Fatal(err)
		}
	}
	add(Doc{ID: "a", Title: "江城夜班公交", Text: "末班车延后到凌晨一点。"},
		Doc{ID: "b", Title: "湖区雨季", Text: "末班车因暴雨停运。"})
	for _, id := range []string{"a", "b"} {
		if rec, err := st.Get(ctx, tableText, id); err == nil {
			t.Errorf("record of %s = %q; want none", id, rec)
		}
	}
	if rec, err := st.Get(ctx, tableMeta, placesKey(ix.man.Segs[0].ID)); err != nil || string(rec) != "a\nb" {
		t.Errorf("places record = %q, %v; want a and b", rec, err)
	}
	search := func(q string) *Results {
		t.Helper()
		r, err := ix.Search(ctx, q, Options{})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		return r
	}
	r := search("末班车")
	if got := hitIDs(r); len(got) != 2 {
		t.Fatalf("Search(末班车) = %q, want a and b", got)
	}
	for _, h := range r.Hits {
		if !strings.Contains(h.Snippet, "末班车") || h.Title != lib.docs[h.ID].Title {
			t.Errorf("hit %s: title %q, snippet %q: want the source's", h.ID, h.Title, h.Snippet)
		}
	}
	reads := lib.reads
	search("末班车")
	if lib.reads != reads {
		t.Errorf("the source read %d times more for the same hits, want 0 (cached)", lib.reads-reads)
	}

	add(Doc{ID: "a", Title: "江城夜班公交", Text: "首班车提前到五点。"}) // replaced
	if got := hitIDs(search("末班车")); !slices.Equal(got, []string{"b"}) {
		t.Errorf("after a's replace, Search(末班车) = %q, want [b]", got)
	}
	if r := search("首班车"); len(r.Hits) != 1 || !strings.Contains(r.Hits[0].Snippet, "首班车") {
		t.Errorf("Search(首班车) = %+v, want a with its new text", r.Hits)
	}
	if err := ix.Delete(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(search("末班车")); len(got) != 0 {
		t.Errorf("after b's delete, Search(末班车) = %q, want none", got)
	}

	if ix, err = Open(ctx, st); err != nil { // no source: the hits without their texts
		t.Fatal(err)
	}
	ix.texts = newTextCache()
	r = search("首班车")
	if len(r.Hits) != 1 || r.Hits[0].ID != "a" || r.Hits[0].Snippet != "" {
		t.Errorf("reopened without a source, Search(首班车) = %+v, want a, no snippet", r.Hits)
	}
}

// TestPlaces: in an index whose texts are kept elsewhere, documents
// replaced and deleted across merges and reopens (the places map read
// again, or rebuilt with a lost ID filter) leave one live copy each.
func TestPlaces(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory(Tables()...)
	lib := &textShelf{docs: map[string]Doc{}}
	open := func() *Index {
		t.Helper()
		ix, err := Open(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		ix.TextsFrom(lib.texts)
		return ix
	}
	ix := open()
	live := map[int]bool{}
	for round := range 12 {
		var docs []Doc
		for i := round * 3; i < round*3+6; i++ { // each round replaces 3 of the last
			docs = append(docs, markedDoc(i, "号"))
			live[i] = true
		}
		for _, d := range docs {
			lib.docs[d.ID] = d
		}
		if err := ix.Add(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		if round%4 == 3 {
			ix = open()
		}
		if round == 6 {
			var b store.Batch
			b.Delete(tableMeta, idFilterKey)
			if err := st.Write(ctx, &b); err != nil {
				t.Fatal(err)
			}
			ix = open()
		}
		if round%3 == 1 {
			del := markedDoc(round, "号").ID
			if err := ix.Delete(ctx, del); err != nil {
				t.Fatal(err)
			}
			delete(live, round)
		}
	}
	if got := ix.Stats().Docs; got != len(live) {
		t.Errorf("Stats().Docs = %d, want %d", got, len(live))
	}
	checkMarkers(t, ix, live, 40)
}

// TestPlacesBounded: the places records and the manifest's list of them
// grow with the live segments, not with the adds: a merge writes its
// output's record in place of its inputs'. Replaced and deleted
// documents are still found where they are, or not at all.
func TestPlacesBounded(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory(Tables()...)
	lib := &textShelf{docs: map[string]Doc{}}
	ix, err := Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	ix.TextsFrom(lib.texts)
	live := map[int]bool{}
	const adds = 48
	for round := range adds {
		var docs []Doc
		for i := round * 2; i < round*2+3; i++ { // each add replaces one of the last
			docs = append(docs, markedDoc(i, "号"))
			lib.docs[docs[len(docs)-1].ID] = docs[len(docs)-1]
			live[i] = true
		}
		if err := ix.Add(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		if round%5 == 2 {
			if err := ix.Delete(ctx, markedDoc(round, "号").ID); err != nil {
				t.Fatal(err)
			}
			delete(live, round)
		}
	}
	records := 0
	err = st.Scan(ctx, tableMeta, "places/", "places0", 0, func(string, []byte) bool { records++; return true })
	if err != nil {
		t.Fatal(err)
	}
	if segs := len(ix.man.Segs); records > segs || len(ix.man.Places) > segs || ix.BuildTimes().Merges == 0 {
		t.Errorf("after %d adds and %d merges: %d places records, %d in the manifest; want at most one a live segment (%d)",
			adds, ix.BuildTimes().Merges, records, len(ix.man.Places), segs)
	}
	if got := ix.Stats().Docs; got != len(live) {
		t.Errorf("Stats().Docs = %d, want %d", got, len(live))
	}
	// replace and delete through the places: each found once, or none
	var again []Doc
	for i := 0; i < 2*adds+1; i += 7 {
		again = append(again, markedDoc(i, "号"))
		lib.docs[again[len(again)-1].ID] = again[len(again)-1]
		live[i] = true
	}
	if err := ix.Add(ctx, again...); err != nil {
		t.Fatal(err)
	}
	if err := ix.Delete(ctx, markedDoc(3, "号").ID, markedDoc(40, "号").ID); err != nil {
		t.Fatal(err)
	}
	delete(live, 3)
	delete(live, 40)
	checkMarkers(t, ix, live, 2*adds+1)
	if got := ix.Stats().Docs; got != len(live) {
		t.Errorf("after the replaces and deletes, Stats().Docs = %d, want %d", got, len(live))
	}
}

// checkMarkers checks that each of the markers 0 to n-1 finds one
// document when live, none when not.
func checkMarkers(t *testing.T, ix *Index, live map[int]bool, n int) {
	ctx := context.Background()
	t.Helper()
	for i := range n {
		r, err := ix.Search(ctx, marker(i, "号"), Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		if live[i] {
			want = 1
		}
		if r.Total != want {
			t.Errorf("Search(marker %d) = %d hits, want %d", i, r.Total, want)
		}
	}
}

// TestTextsGoneOrChanged: a document whose text, kept elsewhere, is
// gone from there (an article deleted without the index being told) is
// left out of the hits and the total and named in Results.Gone; one whose
// text changed since it was indexed (imported again, not indexed yet)
// is shown with its text as it is, its matches found there, not at the
// positions indexed (which lie past its end: no panic).
func TestTextsGoneOrChanged(t *testing.T) {
	ctx := context.Background()
	ix, err := Open(ctx, store.NewMemory(Tables()...))
	if err != nil {
		t.Fatal(err)
	}
	lib := &textShelf{docs: map[string]Doc{}}
	ix.TextsFrom(lib.texts)
	docs := []Doc{
		{ID: "a", Title: "江城夜班公交", Text: "市交通局昨日表示，经过三个月的试运行，夜间线路的末班车延后到凌晨一点。"},
		{ID: "b", Title: "湖区雨季", Text: "末班车因暴雨停运。"},
		{ID: "c", Title: "山城缆车", Text: "缆车的末班车提前一小时。"},
	}
	for _, d := range docs {
		lib.docs[d.ID] = d
	}
	if err := ix.Add(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	delete(lib.docs, "b")
	lib.docs["a"] = Doc{ID: "a", Title: "江城夜班公交", Text: "末班车延后。"}
	r, err := ix.Search(ctx, "末班车", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(r); !slices.Equal(slices.Sorted(slices.Values(got)), []string{"a", "c"}) || r.Total != 2 {
		t.Errorf("Search(末班车) = %q, total %d; want a and c, total 2", got, r.Total)
	}
	if !slices.Equal(r.Gone, []string{"b"}) {
		t.Errorf("Results.Gone = %q, want [b]", r.Gone)
	}
	for _, h := range r.Hits {
		if h.ID == "a" && (h.Snippet != "末班车延后。" || len(h.SnippetMatches) != 1 || h.Snippet[h.SnippetMatches[0][0]:h.SnippetMatches[0][1]] != "末班车") {
			t.Errorf("hit a: snippet %q, matches %v; want its new text with 末班车 marked", h.Snippet, h.SnippetMatches)
		}
	}
}
