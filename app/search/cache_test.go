package search

import (
	"context"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
)

// readCounter counts the reads (Get and GetMany) reaching a store.
type readCounter struct {
	store.Store
	reads int
}

func (c *readCounter) Get(ctx context.Context, table, key string) ([]byte, error) {
	c.reads++
	return c.Store.Get(ctx, table, key)
}

func (c *readCounter) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	c.reads++
	return c.Store.GetMany(ctx, table, keys)
}

// openCounted opens an index on a new memory store counting its reads.
func openCounted(t *testing.T) (*Index, *readCounter) {
	t.Helper()
	rc := &readCounter{Store: store.NewMemory(Tables()...)}
	ix, err := Open(context.Background(), rc)
	if err != nil {
		t.Fatal(err)
	}
	return ix, rc
}

// readsOf runs q on ix and returns the reads that reached rc.
func readsOf(t *testing.T, ix *Index, rc *readCounter, q string) int {
	t.Helper()
	before := rc.reads
	if _, err := ix.Search(context.Background(), q, Options{}); err != nil {
		t.Fatalf("Search(%q) = %v", q, err)
	}
	return rc.reads - before
}

// TestCachesAfterWrite: the pages and texts an Add writes are cached, so
// a query right after an import reads nothing.
func TestCachesAfterWrite(t *testing.T) {
	ix, rc := openCounted(t)
	if err := ix.Add(context.Background(), fixtures...); err != nil {
		t.Fatal(err)
	}
	if n := readsOf(t, ix, rc, "习近平"); n != 0 {
		t.Errorf("Search after Add read the store %d times, want 0", n)
	}
}

// TestReopenAdoptsCaches: an index reopened on the same store keeps the
// caches of the last; on another store it starts cold.
func TestReopenAdoptsCaches(t *testing.T) {
	ctx := context.Background()
	ix, cs := openCounted(t)
	if err := ix.Add(ctx, fixtures...); err != nil {
		t.Fatal(err)
	}
	again, err := Open(ctx, cs)
	if err != nil {
		t.Fatal(err)
	}
	if n := readsOf(t, again, cs, "习近平"); n != 0 {
		t.Errorf("Search after a reopen on the same store read the store %d times, want 0", n)
	}
	cold, err := Open(ctx, &readCounter{Store: cs.Store})
	if err != nil {
		t.Fatal(err)
	}
	if n := readsOf(t, cold, cold.st.(*textStore).Store.(*readCounter), "习近平"); n == 0 {
		t.Errorf("Search after an open on another store read nothing: caches of another store")
	}
}

// TestReopenAfterOtherWriter: another writer (a tab) replaces a document;
// the index reopened here finds the new text, not a cached old one.
func TestReopenAfterOtherWriter(t *testing.T) {
	ctx := context.Background()
	ix, cs := openCounted(t)
	if err := ix.Add(ctx, fixtures...); err != nil {
		t.Fatal(err)
	}
	readsOf(t, ix, cs, "会见") // texts and pages cached
	other, err := Open(ctx, &reopened{cs.Store})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Add(ctx, Doc{ID: "a", Title: "新的标题", Text: "改写后的正文提到习近平。"}); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(ctx, cs)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(t, ix, "会见", Options{}); len(got) != 0 {
		t.Errorf("Search(会见) after the replace = %q, want none", got)
	}
	res, err := ix.Search(ctx, "改写", Options{})
	if err != nil || len(res.Hits) != 1 || !strings.Contains(res.Hits[0].Snippet, "改写后的正文") || res.Hits[0].Title != "新的标题" {
		t.Fatalf("Search(改写) = %+v, %v, want a with its new title and text", res, err)
	}
}

// TestReopenAfterReset: a store emptied and built again reuses segment
// numbers; an index reopened on it must not take the old caches.
func TestReopenAfterReset(t *testing.T) {
	ctx := context.Background()
	ix, cs := openCounted(t)
	if err := ix.Add(ctx, fixtures...); err != nil {
		t.Fatal(err)
	}
	readsOf(t, ix, cs, "习近平")
	if err := dropAll(ctx, cs.Store); err != nil {
		t.Fatal(err)
	}
	other, err := Open(ctx, &reopened{cs.Store})
	if err != nil {
		t.Fatal(err)
	}
	docs := []Doc{
		{ID: "x", Title: "港口新闻", Text: "港口货运量增长。习近平出席活动。"},
		{ID: "y", Title: "天气预报", Text: "明天多云转晴。"},
	}
	if err := other.Add(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(ctx, cs)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(t, ix, "习近平", Options{}); len(got) != 1 || got[0] != "x" {
		t.Errorf("Search(习近平) after a rebuild = %q, want [x]", got)
	}
	if got := ids(t, ix, "多云", Options{}); len(got) != 1 || got[0] != "y" {
		t.Errorf("Search(多云) after a rebuild = %q, want [y]", got)
	}
}

var _ store.Store = (*textStore)(nil)

// TestMergeForgetsPages: after a merge, the caches hold nothing of the
// merged-away segments.
func TestMergeForgetsPages(t *testing.T) {
	ctx := context.Background()
	ix, _ := openCounted(t)
	for i := range fixtures {
		if err := ix.Add(ctx, fixtures[i]); err != nil {
			t.Fatal(err)
		}
		readsOf(t, ix, &readCounter{}, "习近平")
	}
	if len(ix.man.Merged) == 0 {
		t.Fatalf("no merge after %d adds", len(fixtures))
	}
	live := map[int]bool{}
	for _, m := range ix.man.Segs {
		live[m.ID] = true
	}
	for k := range ix.cache.m {
		if !live[k.seg] {
			t.Errorf("page %v of a merged-away segment cached", k)
		}
	}
	for k := range ix.blocks.m {
		if !live[k.seg] {
			t.Errorf("term block %v of a merged-away segment cached", k)
		}
	}
}

// TestReopenKeepsIDFilter: an index reopened on an unchanged manifest
// keeps the ID filter (an add of new documents reads no filter), and one
// reopened after another writer's add reads it again, so that it still
// replaces the document the other added.
func TestReopenKeepsIDFilter(t *testing.T) {
	ctx := context.Background()
	ix, cs := openCounted(t)
	if err := ix.Add(ctx, fixtures...); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(ctx, cs)
	if err != nil {
		t.Fatal(err)
	}
	before := cs.reads
	if err := ix.Add(ctx, markedDoc(1, "号")); err != nil {
		t.Fatal(err)
	}
	if n := cs.reads - before; n != 0 {
		t.Errorf("an add of a new document after a reopen read the store %d times, want 0", n)
	}
	other, err := Open(ctx, &reopened{cs.Store})
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Add(ctx, markedDoc(2, "号")); err != nil {
		t.Fatal(err)
	}
	if ix, err = Open(ctx, cs); err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ctx, markedDoc(2, "期")); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, ix, marker(2, "号"), Options{}); len(got) != 0 {
		t.Errorf("Search(%s) after replacing the other writer's document = %q, want none", marker(2, "号"), got)
	}
	if got := ix.Stats().Docs; got != len(fixtures)+2 {
		t.Errorf("Stats().Docs = %d, want %d", got, len(fixtures)+2)
	}
}

// TestLRUProtects: a value asked for again by a later query stays while
// later queries pass many values through once each (a plain LRU dropped
// it), and a cache never ticked is a plain LRU.
func TestLRUProtects(t *testing.T) {
	c := newLRU[int](10, func(int) int { return 1 })
	c.tick()
	c.put(0, 0)
	c.tick()
	if _, ok := c.get(0); !ok {
		t.Fatal("get(0) missed right after put")
	}
	for k := 1; k <= 100; k++ {
		c.tick()
		c.put(k, k)
		c.get(k) // asked for by the query that put it: not protected
	}
	if _, ok := c.get(0); !ok {
		t.Errorf("the value asked for by a second query was dropped by 100 values passing through")
	}
	if c.size != 10 || len(c.m) != 10 {
		t.Errorf("size %d, %d values, want 10 and 10", c.size, len(c.m))
	}
	plain := newLRU[int](10, func(int) int { return 1 })
	plain.put(0, 0)
	plain.get(0)
	for k := 1; k <= 10; k++ {
		plain.put(k, k)
	}
	if plain.has(0) {
		t.Errorf("a cache never ticked kept its oldest value past its bound")
	}
}

// TestLRUKeepsQueryPages: the values a query puts are not dropped for
// each other while protected ones are left to drop.
func TestLRUKeepsQueryPages(t *testing.T) {
	c := newLRU[int](10, func(int) int { return 1 })
	for k := range 8 {
		c.tick()
		c.put(k, k)
		c.tick()
		c.get(k) // protected
	}
	c.tick()
	for k := 100; k < 106; k++ {
		c.put(k, k)
	}
	for k := 100; k < 106; k++ {
		if !c.has(k) {
			t.Errorf("value %d put by the current query was dropped", k)
		}
	}
	if c.size > 10 {
		t.Errorf("size %d, over the bound 10", c.size)
	}
}

// TestAddMakesRoom: an add's records take the room of cached pages (16
// bytes a record: the records and their sort), so that the heap's peak
// is not the batch's and a full cache besides.
func TestAddMakesRoom(t *testing.T) {
	ctx := context.Background()
	ix, _ := openMemory(t)
	page := make([]byte, 16<<10)
	for p := 0; p*len(page) < cacheBytes; p++ { // pages of no segment
		ix.cache.put(pageID{1 << 30, p}, page)
	}
	var docs []Doc
	size := 0
	for i := 0; size < 1<<20; i++ {
		d := markedDoc(i, strings.Repeat("新闻的正文", 40))
		docs = append(docs, d)
		size += len(d.Title) + len(d.Text)
	}
	if err := ix.Add(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	kept := 0
	for k := range ix.cache.m {
		if k.seg == 1<<30 {
			kept += len(page)
		}
	}
	// the batch reserves 2 records for 5 bytes of text
	if want := cacheBytes - 16*size*2/5; kept > want {
		t.Errorf("after an add of %d bytes of text, %d bytes of other pages cached, want at most %d", size, kept, want)
	}
}
