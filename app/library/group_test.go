package library

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

func TestGroupRoundTrip(t *testing.T) {
	es := []entry{{ok: "7980\x00a", iv: "晨报\x00林晓雨"}, {ok: "~\x00b", iv: ""}, {ok: "", iv: "x"}}
	got, err := decodeGroup(nil, encodeGroup(es))
	if err != nil || !slices.Equal(got, es) {
		t.Errorf("decodeGroup(encodeGroup(%q)) = %q, %v", es, got, err)
	}
	for _, bad := range [][]byte{{5, 'a'}, {1, 'a'}, {0x80}} {
		if _, err := decodeGroup(nil, bad); err == nil {
			t.Errorf("decodeGroup(%q) = nil error, want one", bad)
		}
	}
	for _, c := range []struct{ ok, batch string }{{"7980-8\x00id", "12"}, {"~\x00id", "1"}} {
		ok, batch, err := parseIDValue(idValue(c.ok, c.batch))
		if ok != c.ok || batch != c.batch || err != nil {
			t.Errorf("parseIDValue(idValue(%q, %q)) = %q, %q, %v", c.ok, c.batch, ok, batch, err)
		}
	}
	if ok, batch, err := parseIDValue([]byte("7980\x00id")); ok != "7980\x00id" || batch != "" || err != nil {
		t.Errorf("parseIDValue(a version 3 record) = %q, %q, %v", ok, batch, err)
	}
}

// TestGroupsPerWrite: an import write stores one index record per source
// and author it holds, not one per article and facet.
func TestGroupsPerWrite(t *testing.T) {
	l, s := newJSONLibrary(t)
	arts := corpus(50) // one write
	importArts(t, l, arts)
	facets := map[string]bool{}
	for _, a := range arts {
		if a.source != "" {
			facets["s"+a.source] = true
		}
		for _, au := range a.authors {
			facets["a"+au] = true
		}
	}
	if n, _ := s.Count(ctx, tIndex); n != len(facets) {
		t.Errorf("%d index records after one write of %d articles, want %d (one per facet value)", n, len(arts), len(facets))
	}
}

// toVersion3 rewrites the groups of the library in s as version 3 wrote
// its index: an entry of its own per article and facet, the ids records
// plain order keys.
func toVersion3(t *testing.T, s store.Store) {
	t.Helper()
	var b store.Batch
	err := s.Scan(ctx, tIndex, "", "", 0, func(k string, v []byte) bool {
		p, _, ok := strings.Cut(k, groupMark)
		if !ok {
			return true
		}
		es, err := decodeGroup(nil, v)
		if err != nil {
			t.Fatalf("group %q: %v", k, err)
		}
		for _, e := range es {
			b.Put(tIndex, p+e.ok, []byte(e.iv))
		}
		b.Delete(tIndex, k)
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Scan(ctx, tIDs, "", "", 0, func(k string, v []byte) bool {
		ok, _, _ := parseIDValue(v)
		b.Put(tIDs, k, []byte(ok))
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	b.Put(tInfo, keySchema, []byte("3"))
	b.Delete(tInfo, keyBatch)
	if err := s.Write(ctx, &b); err != nil {
		t.Fatal(err)
	}
}

// TestVersion3Entries: a version 3 library (index entries of their own)
// is read as it is, and lists, filters, pages and neighbours stay right
// once newer imports add groups beside its entries, and through deletes
// and updates of either kind.
func TestVersion3Entries(t *testing.T) {
	s := store.NewMemory(Tables()...)
	l := openLibrary(t, s, jsonParse)
	arts := corpus(240)
	importArts(t, l, arts[:120])
	toVersion3(t, s)
	if _, err := Open(ctx, readOnly{s}); err != nil {
		t.Fatalf("Open(version 3, read-only) = %v, want it opened as it is", err)
	}
	l = openLibrary(t, s, jsonParse)
	if v, _ := s.Get(ctx, tInfo, keySchema); string(v) != "3" {
		t.Errorf("schema after opening version 3 = %q, want 3 until a group is written", v)
	}
	checkAll(t, l, arts[:120])
	importArts(t, l, arts[120:])
	if v, _ := s.Get(ctx, tInfo, keySchema); string(v) != "4" {
		t.Errorf("schema after an import = %q, want 4", v)
	}
	checkAll(t, l, arts)

	// deletes and updates of articles of either kind
	var gone []string
	for i := 0; i < len(arts); i += 5 {
		gone = append(gone, arts[i].id)
	}
	if err := l.Delete(ctx, gone...); err != nil {
		t.Fatal(err)
	}
	arts = slices.DeleteFunc(arts, func(a art) bool { return slices.Contains(gone, a.id) })
	for _, i := range []int{1, 2, 3, 100, 101, 150, 151} {
		a := &arts[i]
		a.saved = time.Date(2030, 1, 1, i, 0, 0, 0, time.UTC)
		a.published, a.source, a.authors = "", "Moved", []string{"Ann Lee", "Bo"}
		if res := importOK(t, l, a.file(a.saved)); res[0].Status != Updated {
			t.Fatalf("Import(update %s) = %v, %v", a.id, res[0].Status, res[0].Err)
		}
	}
	checkAll(t, l, arts)

	var all []string
	for _, a := range arts {
		all = append(all, a.id)
	}
	if err := l.Delete(ctx, all...); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{tIDs, tOrder, tIndex, tCount} {
		if n, _ := s.Count(ctx, table); n != 0 {
			t.Errorf("Count(%q) after deleting all = %d, want 0", table, n)
		}
	}
}

// checkAll checks the lists, counts and neighbours of filters of every
// kind against arts.
func checkAll(t *testing.T, l *Library, arts []art) {
	t.Helper()
	qs := []Query{{}, {Source: "Wire"}, {Source: "晨报", Limit: 7}, {Author: "Bo", Limit: 9},
		{Author: "Ann Lee", Year: 2021}, {Source: "Wire", Author: "Ann Lee", Limit: 3}, {Year: 2022}, {Source: "Moved"}}
	for _, q := range qs {
		checkList(t, l, arts, q)
		checkNeighborsIn(t, l, arts, q)
	}
	checkFacets(t, l, arts)
}

// indexVisits counts the records of table "index" a Scan visits.
type indexVisits struct {
	store.Store
	n int
}

func (s *indexVisits) Scan(ctx context.Context, table, start, end string, limit int, fn func(string, []byte) bool) error {
	return s.Store.Scan(ctx, table, start, end, limit, func(k string, v []byte) bool {
		if table == tIndex {
			s.n++
		}
		return fn(k, v)
	})
}

// TestGroupsFirstPage: the first page of a filter reads the groups of a
// facet only as far as it needs (articles imported newest first: the
// first groups hold it), and pages right however they were imported.
func TestGroupsFirstPage(t *testing.T) {
	arts := corpus(400)
	for i := range arts { // every article dated, one source
		arts[i].published = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour).Format(dateLayout)
		arts[i].source = "Wire"
	}
	slices.Reverse(arts) // newest first
	s := &indexVisits{Store: store.NewMemory(Tables()...)}
	l := openLibrary(t, s, jsonParse)
	importArts(t, l, arts) // 8 writes of 50
	s.n = 0
	q := Query{Source: "Wire", Limit: 20}
	items, total, err := l.List(ctx, q)
	if err != nil || total != len(arts) || !slices.Equal(ids(items), want(arts, q)[:20]) {
		t.Fatalf("List(%+v) = %q, %d, %v", q, ids(items), total, err)
	}
	if s.n > 2 {
		t.Errorf("List(%+v) read %d index records, want at most 2 of the 8 groups", q, s.n)
	}
	checkList(t, l, arts, q)
	checkList(t, l, arts, Query{Source: "Wire", Year: 2020, Limit: 30})

	// imported oldest first, the first page is in the last group
	slices.Reverse(arts)
	l = openLibrary(t, store.NewMemory(Tables()...), jsonParse)
	importArts(t, l, arts)
	checkList(t, l, arts, q)
}
