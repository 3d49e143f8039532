package library

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/store"
)

// unionFixture is a local library and a hosted one sharing some articles
// (the local copies of some moved to another date, source and author), and
// the articles the union shows.
type unionFixture struct {
	u            *Union
	local, host  *Library
	shown        []art
	localIDs     map[string]bool
	nLocal, nAll int
}

func newUnionFixture(t *testing.T) *unionFixture {
	t.Helper()
	all := corpus(260)
	hosted := all[:200]
	local := slices.Clone(all[180:]) // 20 in both, 60 local only
	for i := range 5 {               // local copies that differ
		a := &local[i]
		a.saved = time.Date(2031, 2, 3, i, 0, 0, 0, time.UTC)
		a.published, a.source, a.authors = "", "Local desk", []string{"Ann Lee"}
	}
	f := &unionFixture{localIDs: map[string]bool{}}
	f.local, _ = newJSONLibrary(t)
	f.host, _ = newJSONLibrary(t)
	importArts(t, f.local, local)
	importArts(t, f.host, hosted)
	f.u = NewUnion(Part{Origin: "imported", Lib: f.local}, Part{Origin: "Harbour archive", Lib: f.host})
	for _, a := range local {
		f.localIDs[a.id] = true
	}
	f.shown = slices.Clone(local)
	for _, a := range hosted {
		if !f.localIDs[a.id] {
			f.shown = append(f.shown, a)
		}
	}
	f.nLocal, f.nAll = len(local), len(f.shown)
	return f
}

// wantUnion returns the ids q shows, by brute force.
func (f *unionFixture) wantUnion(q UnionQuery) []string {
	arts := f.shown
	switch q.Origin {
	case "imported":
		arts = f.shown[:f.nLocal]
	case "Harbour archive":
		arts = f.shown[f.nLocal:]
	case "":
	default:
		arts = nil
	}
	return want(arts, q.Query)
}

func unionIDs(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

func TestUnionList(t *testing.T) {
	f := newUnionFixture(t)
	queries := []UnionQuery{
		{}, {Query: Query{Limit: 7}}, {Query: Query{Limit: 1000}},
		{Origin: "imported", Query: Query{Limit: 9}}, {Origin: "Harbour archive", Query: Query{Limit: 30}},
		{Query: Query{Source: "Local desk", Limit: 3}}, {Query: Query{Source: "Wire", Limit: 11}},
		{Query: Query{Author: "Ann Lee", Limit: 8}}, {Query: Query{Author: "Bo", Source: "晨报", Limit: 4}},
		{Query: Query{Year: 2031, Limit: 2}}, {Query: Query{Year: 2020, Limit: 6}},
		{Origin: "Harbour archive", Query: Query{Source: "港口日报", Year: 2022, Limit: 5}},
		{Origin: "nowhere"},
	}
	for _, q := range queries {
		all := f.wantUnion(q)
		limit := cmpOr(q.Limit, DefaultLimit)
		for off := 0; off <= len(all); off += limit {
			q.Offset = off
			items, total, err := f.u.List(ctx, q)
			w := all[off:min(off+limit, len(all))]
			if got := unionIDs(items); err != nil || !slices.Equal(got, w) || total != len(all) {
				t.Fatalf("List(%+v) = %q, total %d, %v; want %q, total %d", q, got, total, err, w, len(all))
			}
		}
		checkUnionAfter(t, f.u, all, q)
	}
}

func cmpOr(a, b int) int {
	if a > 0 {
		return a
	}
	return b
}

// checkUnionAfter pages through q with After and compares with all.
func checkUnionAfter(t *testing.T, u *Union, all []string, q UnionQuery) {
	t.Helper()
	q.Offset = 0
	var got []string
	for i := 0; i <= len(all); i++ {
		items, total, err := u.List(ctx, q)
		if err != nil || total != len(all) {
			t.Fatalf("List(%+v) = total %d, %v, want total %d", q, total, err, len(all))
		}
		if len(items) == 0 {
			break
		}
		got = append(got, unionIDs(items)...)
		q.After = items[len(items)-1].ID
	}
	if !slices.Equal(got, all) {
		t.Errorf("List(%+v) paged with After = %q, want %q", q, got, all)
	}
}

func TestUnionOrigins(t *testing.T) {
	f := newUnionFixture(t)
	items, _, err := f.u.List(ctx, UnionQuery{Query: Query{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		want := "Harbour archive"
		if f.localIDs[it.ID] {
			want = "imported"
		}
		if it.Origin != want {
			t.Errorf("List item %s origin = %q, want %q", it.ID, it.Origin, want)
		}
	}
	a, origin, err := f.u.Get(ctx, "id0185") // in both: the local copy
	if err != nil || origin != "imported" || a.ID != "id0185" {
		t.Errorf("Get(id0185) = %v, %q, %v; want the imported copy", a, origin, err)
	}
	if _, origin, err := f.u.Get(ctx, "id0003"); err != nil || origin != "Harbour archive" {
		t.Errorf("Get(id0003) origin = %q, %v; want the archive", origin, err)
	}
	if _, _, err := f.u.Get(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get(missing) = %v, want ErrNotFound", err)
	}
	owners, err := f.u.Owners(ctx, []string{"id0003", "id0185", "id0250", "missing"})
	if want := []string{"Harbour archive", "imported", "imported", ""}; err != nil || !slices.Equal(owners, want) {
		t.Errorf("Owners = %q, %v, want %q", owners, err, want)
	}
	if owners, _ := f.u.Owners(ctx, []string{"id0003", "id0250"}, "imported"); !slices.Equal(owners, []string{"", "imported"}) {
		t.Errorf("Owners(imported only) = %q", owners)
	}
}

func TestUnionCountAndFacets(t *testing.T) {
	f := newUnionFixture(t)
	if n, err := f.u.Count(ctx); err != nil || n != f.nAll {
		t.Errorf("Count = %d, %v, want %d", n, err, f.nAll)
	}
	uf, err := f.u.Facets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Facet{{"imported", f.nLocal}, {"Harbour archive", f.nAll - f.nLocal}}
	if !slices.Equal(uf.Origins, want) {
		t.Errorf("Facets().Origins = %v, want %v", uf.Origins, want)
	}
	// The summed facets equal those of one library holding the shown copies.
	one, _ := newJSONLibrary(t)
	importArts(t, one, f.shown)
	wf, _ := one.Facets(ctx)
	for _, c := range []struct {
		name      string
		got, want []Facet
	}{{"Sources", uf.Sources, wf.Sources}, {"Authors", uf.Authors, wf.Authors}, {"Years", uf.Years, wf.Years}} {
		if fmt.Sprint(sortedFacets(c.got)) != fmt.Sprint(sortedFacets(c.want)) {
			t.Errorf("Facets().%s = %v, want %v", c.name, c.got, c.want)
		}
		for i := 1; c.name != "Years" && i < len(c.got); i++ {
			if c.got[i-1].Count < c.got[i].Count {
				t.Errorf("Facets().%s not by count: %v", c.name, c.got)
			}
		}
	}
	// After a write to a part and Changed, the counts follow.
	if err := f.local.Delete(ctx, "id0185", "id0250"); err != nil {
		t.Fatal(err)
	}
	f.u.Changed()
	if n, err := f.u.Count(ctx); err != nil || n != f.nAll-1 { // id0185 is shown from the archive now
		t.Errorf("Count after deleting two local articles = %d, %v, want %d", n, err, f.nAll-1)
	}
	if _, origin, _ := f.u.Get(ctx, "id0185"); origin != "Harbour archive" {
		t.Errorf("Get(id0185) after deleting its local copy: origin %q, want the archive", origin)
	}
}

func sortedFacets(fs []Facet) []Facet {
	fs = slices.Clone(fs)
	slices.SortFunc(fs, func(a, b Facet) int {
		if a.Value < b.Value {
			return -1
		}
		if a.Value > b.Value {
			return 1
		}
		return 0
	})
	return fs
}

func TestUnionNeighbors(t *testing.T) {
	f := newUnionFixture(t)
	checkNeighbors(t, "Neighbors", f.wantUnion(UnionQuery{}), func(id string) (string, string, error) { return f.u.Neighbors(ctx, id) })
	if _, _, err := f.u.Neighbors(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Neighbors(missing) = %v, want ErrNotFound", err)
	}
}

func TestUnionOfOne(t *testing.T) {
	l, _ := newJSONLibrary(t)
	arts := corpus(90)
	importArts(t, l, arts)
	u := NewUnion(Part{Origin: "imported", Lib: l})
	all := want(arts, Query{})
	items, total, err := u.List(ctx, UnionQuery{Query: Query{Offset: 40, Limit: 25}})
	if got := unionIDs(items); err != nil || total != 90 || !slices.Equal(got, all[40:65]) {
		t.Errorf("List(offset 40) = %q, %d, %v; want %q, 90", got, total, err, all[40:65])
	}
}

func TestHolds(t *testing.T) {
	l, s := newJSONLibrary(t)
	importArts(t, l, corpus(5))
	held, err := Holds(ctx, s, []string{"id0004", "nope", "id0000"})
	if want := []bool{true, false, true}; err != nil || !slices.Equal(held, want) {
		t.Errorf("Holds = %v, %v, want %v", held, err, want)
	}
}

// failingIDs is a store whose ids table cannot be read (a hosted archive
// offline without the packs kept).
type failingIDs struct{ store.Store }

func (f failingIDs) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	if table == tIDs {
		return nil, errDisk
	}
	return f.Store.GetMany(ctx, table, keys)
}

func TestUnionPartUnreachable(t *testing.T) {
	local, _ := newJSONLibrary(t)
	importArts(t, local, corpus(3))
	host, s := newJSONLibrary(t)
	importArts(t, host, corpus(10))
	host.s = failingIDs{s}
	u := NewUnion(Part{Origin: "imported", Lib: local}, Part{Origin: "archive", Lib: host})
	items, total, err := u.List(ctx, UnionQuery{})
	if err != nil || total != 13 || len(items) != 13 {
		t.Errorf("List with the archive's ids unreadable = %d items, total %d, %v; want all 13 listed (copies twice)", len(items), total, err)
	}
	host.s = s
	if n, err := u.Count(ctx); err != nil || n != 10 {
		t.Errorf("Count once the ids are readable = %d, %v, want 10 (asked again)", n, err)
	}
}
