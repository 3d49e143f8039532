package library

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// corpus returns n test articles spread over sources, authors and years,
// some with only savedAt and some with no date.
func corpus(n int) []art {
	r := rand.New(rand.NewPCG(3, 4))
	sources := []string{"晨报", "Evening Post", "港口日报", "Wire"}
	authors := []string{"林晓雨", "陈大海", "Ann Lee", "王小明", "Bo"}
	arts := make([]art, n)
	for i := range arts {
		a := art{id: fmt.Sprintf("id%04d", i)}
		day := time.Date(2018+r.IntN(8), 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(365*24)) * time.Hour)
		switch r.IntN(10) {
		case 0: // undated
		case 1, 2:
			a.saved = day
		case 3:
			a.published = day.Format("2006-01-02") // date only
		default:
			a.published = day.Format(dateLayout)
			a.saved = day.Add(time.Hour)
		}
		if r.IntN(6) > 0 {
			a.source = sources[r.IntN(len(sources))]
		}
		for range r.IntN(3) {
			if au := authors[r.IntN(len(authors))]; !slices.Contains(a.authors, au) {
				a.authors = append(a.authors, au)
			}
		}
		arts[i] = a
	}
	if n > 1 { // two articles at the same time: ordered by id
		arts[1].published, arts[1].saved = arts[0].published, arts[0].saved
	}
	return arts
}

func importArts(t testing.TB, l *Library, arts []art) {
	t.Helper()
	for chunk := range slices.Chunk(arts, 50) {
		var files []File
		for _, a := range chunk {
			files = append(files, a.file(time.Time{}))
		}
		for _, r := range importOK(t, l, files...) {
			if r.Status != Added {
				t.Fatalf("Import(%s) = %v, %v", r.Name, r.Status, r.Err)
			}
		}
	}
}

// want returns the ids of arts matching q in list order, by brute force.
func want(arts []art, q Query) []string {
	type item struct{ key, id string }
	var items []item
	for _, a := range arts {
		d := sortDate(a.published, a.saved)
		if q.Source != "" && a.source != q.Source ||
			q.Author != "" && !slices.Contains(a.authors, q.Author) ||
			q.Year != 0 && yearOf(d) != fmt.Sprint(q.Year) {
			continue
		}
		// Newest first: compare dates descending, undated last, then id.
		items = append(items, item{d, a.id})
	}
	slices.SortFunc(items, func(x, y item) int {
		switch {
		case x.key == y.key:
			return strings.Compare(x.id, y.id)
		case x.key == "":
			return 1
		case y.key == "":
			return -1
		}
		return strings.Compare(y.key, x.key)
	})
	var ids []string
	for _, it := range items {
		ids = append(ids, it.id)
	}
	return ids
}

func ids(items []Meta) []string {
	var out []string
	for _, m := range items {
		out = append(out, m.ID)
	}
	return out
}

// checkList compares every page of q with the brute-force answer.
func checkList(t *testing.T, l *Library, arts []art, q Query) {
	t.Helper()
	all := want(arts, q)
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	for off := 0; off <= len(all); off += limit {
		q.Offset = off
		items, total, err := l.List(ctx, q)
		if err != nil {
			t.Fatalf("List(%+v) = %v", q, err)
		}
		w := all[off:min(off+limit, len(all))]
		if got := ids(items); !slices.Equal(got, w) || total != len(all) {
			t.Fatalf("List(%+v) = %q, total %d, want %q, total %d", q, got, total, w, len(all))
		}
	}
	checkListAfter(t, l, all, q)
}

// checkListAfter pages through q with After and compares with all.
func checkListAfter(t *testing.T, l *Library, all []string, q Query) {
	t.Helper()
	q.Offset = 99999 // ignored with After
	var got []string
	for i := 0; ; i++ {
		items, total, err := l.List(ctx, q)
		if err != nil || total != len(all) {
			t.Fatalf("List(%+v) = total %d, %v, want total %d", q, total, err, len(all))
		}
		if i == 0 {
			items, _, _ = l.List(ctx, Query{Source: q.Source, Author: q.Author, Year: q.Year, Limit: q.Limit})
		}
		if len(items) == 0 || i > len(all) {
			break
		}
		got = append(got, ids(items)...)
		q.After = items[len(items)-1].ID
	}
	if !slices.Equal(got, all) {
		t.Errorf("List(%+v) paged with After = %q, want %q", q, got, all)
	}
}

func TestList(t *testing.T) {
	l, _ := newJSONLibrary(t)
	arts := corpus(400)
	importArts(t, l, arts)
	queries := []Query{{}, {Limit: 7}, {Limit: 1000}}
	for _, s := range []string{"晨报", "Wire", "nobody"} {
		queries = append(queries, Query{Source: s, Limit: 30}, Query{Source: s, Year: 2020, Limit: 9})
	}
	for _, a := range []string{"林晓雨", "Bo"} {
		queries = append(queries, Query{Author: a, Limit: 25}, Query{Author: a, Year: 2023},
			Query{Author: a, Source: "Evening Post", Limit: 4}, Query{Author: a, Source: "港口日报", Year: 2019, Limit: 3})
	}
	for y := 2017; y <= 2026; y++ {
		queries = append(queries, Query{Year: y, Limit: 20})
	}
	for _, q := range queries {
		checkList(t, l, arts, q)
	}
	items, _, _ := l.List(ctx, Query{Limit: 1000})
	if last := items[len(items)-1]; sortDate(last.Published, last.SavedAt) != "" {
		t.Errorf("last of List = %+v, want an undated article", last)
	}
	if items, total, err := l.List(ctx, Query{Offset: 10000}); len(items) != 0 || total != 400 || err != nil {
		t.Errorf("List(offset past the end) = %d items, total %d, %v", len(items), total, err)
	}
	if _, _, err := l.List(ctx, Query{After: "missing"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("List(After a missing id) = %v, want ErrNotFound", err)
	}
}

func TestListAfterDeleteAndUpdate(t *testing.T) {
	l, _ := newJSONLibrary(t)
	arts := corpus(120)
	importArts(t, l, arts)
	var gone []string
	for i := 0; i < len(arts); i += 3 {
		gone = append(gone, arts[i].id)
	}
	if err := l.Delete(ctx, append(gone, "never-stored", gone[0])...); err != nil {
		t.Fatalf("Delete = %v", err)
	}
	arts = slices.DeleteFunc(arts, func(a art) bool { return slices.Contains(gone, a.id) })
	// Updates that move articles to another date, source and authors.
	for i := range 10 {
		a := &arts[i]
		a.saved = time.Date(2030, 1, 1, i, 0, 0, 0, time.UTC)
		a.published, a.source, a.authors = "", "Moved", []string{"Ann Lee"}
		if res := importOK(t, l, a.file(a.saved)); res[0].Status != Updated {
			t.Fatalf("Import(update %s) = %v, %v", a.id, res[0].Status, res[0].Err)
		}
	}
	for _, q := range []Query{{}, {Source: "Moved"}, {Source: "晨报"}, {Author: "Ann Lee", Limit: 9}, {Year: 2030}, {Year: 2021}} {
		checkList(t, l, arts, q)
	}
	checkFacets(t, l, arts)
	if ok, err := l.Has(ctx, gone[1]); ok || err != nil {
		t.Errorf("Has(deleted) = %v, %v", ok, err)
	}
	if ok, err := l.Has(ctx, arts[0].id); !ok || err != nil {
		t.Errorf("Has(stored) = %v, %v", ok, err)
	}
}

// checkNeighborsIn checks NeighborsIn for every article q lists: the
// articles before and after it in want's order.
func checkNeighborsIn(t *testing.T, l *Library, arts []art, q Query) {
	t.Helper()
	checkNeighbors(t, fmt.Sprintf("NeighborsIn(…, %+v)", q), want(arts, q), func(id string) (string, string, error) {
		return l.NeighborsIn(context.Background(), id, q)
	})
}

// checkNeighbors checks that neighbors (named name) gives every ID of
// order the IDs before and after it there ("" at the ends).
func checkNeighbors(t *testing.T, name string, order []string, neighbors func(id string) (prev, next string, err error)) {
	t.Helper()
	for i, id := range order {
		prev, next, err := neighbors(id)
		wp, wn := "", ""
		if i > 0 {
			wp = order[i-1]
		}
		if i+1 < len(order) {
			wn = order[i+1]
		}
		if err != nil || prev != wp || next != wn {
			t.Errorf("%s of %q = %q, %q, %v, want %q, %q", name, id, prev, next, err, wp, wn)
		}
	}
}

// checkFacets compares Facets with counts made by brute force.
func checkFacets(t *testing.T, l *Library, arts []art) {
	t.Helper()
	sources, authors, years := map[string]int{}, map[string]int{}, map[string]int{}
	for _, a := range arts {
		if a.source != "" {
			sources[a.source]++
		}
		for _, au := range a.authors {
			authors[au]++
		}
		if y := yearOf(sortDate(a.published, a.saved)); y != "" {
			years[y]++
		}
	}
	f, err := l.Facets(ctx)
	if err != nil {
		t.Fatalf("Facets = %v", err)
	}
	for _, c := range []struct {
		name string
		got  []Facet
		want map[string]int
	}{{"Sources", f.Sources, sources}, {"Authors", f.Authors, authors}, {"Years", f.Years, years}} {
		got := map[string]int{}
		for i, fc := range c.got {
			got[fc.Value] = fc.Count
			if c.name != "Years" && i > 0 && c.got[i-1].Count < fc.Count {
				t.Errorf("Facets().%s not by count: %v", c.name, c.got)
			}
			if c.name == "Years" && i > 0 && c.got[i-1].Value < fc.Value {
				t.Errorf("Facets().Years not newest first: %v", c.got)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("Facets().%s = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestFacets(t *testing.T) {
	l, _ := newJSONLibrary(t)
	arts := corpus(200)
	importArts(t, l, arts)
	checkFacets(t, l, arts)
	var all []string
	for _, a := range arts {
		all = append(all, a.id)
	}
	if err := l.Delete(ctx, all...); err != nil {
		t.Fatal(err)
	}
	f, err := l.Facets(ctx)
	if err != nil || len(f.Sources)+len(f.Authors)+len(f.Years) != 0 {
		t.Errorf("Facets after deleting all = %+v, %v, want none", f, err)
	}
	for _, table := range []string{tIDs, tOrder, tArticle, tOriginal, tIndex, tCount} {
		if n, _ := l.s.Count(ctx, table); n != 0 {
			t.Errorf("Count(%q) after deleting all = %d, want 0", table, n)
		}
	}
}

func TestNeighbors(t *testing.T) {
	l, _ := newJSONLibrary(t)
	arts := corpus(150)
	importArts(t, l, arts)
	checkNeighbors(t, "Neighbors", want(arts, Query{}), func(id string) (string, string, error) { return l.Neighbors(ctx, id) })
	for _, q := range []Query{{Source: "Wire"}, {Author: "Bo"}, {Year: 2020}, {Source: "晨报", Year: 2022}, {Source: "Wire", Author: "Ann Lee"}} {
		checkNeighborsIn(t, l, arts, q)
	}
	if _, _, err := l.Neighbors(ctx, "missing"); err == nil {
		t.Errorf("Neighbors(missing) = nil error")
	}
}

func TestSortDate(t *testing.T) {
	saved := time.Date(2024, 3, 4, 5, 6, 7, 0, time.FixedZone("x", 3600))
	for _, c := range []struct {
		published string
		saved     time.Time
		want      string
	}{
		{"2025-02-13T03:56:11", saved, "2025-02-13T03:56:11"},
		{"2025-02-13", saved, "2025-02-13T00:00:00"},
		{"2025", time.Time{}, "2025-01-01T00:00:00"},
		{"", saved, "2024-03-04T04:06:07"},
		{"unknown", saved, "2024-03-04T04:06:07"},
		{"", time.Time{}, ""},
	} {
		if got := sortDate(c.published, c.saved); got != c.want {
			t.Errorf("sortDate(%q, %v) = %q, want %q", c.published, c.saved, got, c.want)
		}
	}
}
