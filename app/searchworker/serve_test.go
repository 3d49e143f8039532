package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store"
)

func TestWorkerProtocol(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(search.Tables()...)
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	if r := one(t, w.handle(ctx, request{ID: 1, Op: "search", Q: "x"})); r.Err == "" || r.ID != 1 {
		t.Errorf("search before open = %+v, want an error for id 1", r)
	}
	if r := one(t, w.handle(ctx, request{ID: 2, Op: "open", DB: "test"})); r.Err != "" || r.Stats == nil || r.Stats.Docs != 0 {
		t.Fatalf("open = %+v, want empty stats", r)
	}
	docs := []search.Doc{
		{ID: "a", Title: "江城试行夜间公交", Text: "末班车延后两小时。", Source: "example.cn", Date: time.Date(2025, 10, 9, 0, 0, 0, 0, time.UTC)},
		{ID: "b", Title: "山城茶農提前採收", Text: "春茶產量預估增加一成。", Source: "example.tw"},
	}
	if reps := w.handle(ctx, request{ID: 3, Op: "add", Docs: docs[:1]}); len(reps) != 0 {
		t.Fatalf("add of one doc = %+v, want no reply until a flush", reps)
	}
	if reps := w.handle(ctx, request{ID: 30, Op: "add", Docs: docs[1:]}); len(reps) != 0 || w.idle() {
		t.Fatalf("second add = %+v, idle %v; want no reply, adds waiting", reps, w.idle())
	}
	reps := w.handle(ctx, request{ID: 31, Op: "stats"})
	if len(reps) != 3 || reps[0].ID != 3 || reps[1].ID != 30 || reps[2].ID != 31 || reps[2].Stats.Docs != 2 || !w.idle() {
		t.Fatalf("stats after two adds = %+v, want the adds' replies then stats of 2 docs", reps)
	}
	r := one(t, w.handle(ctx, request{ID: 4, Op: "search", Q: "茶农"}))
	if r.Err != "" || r.Results == nil || r.Results.Total != 1 || r.Results.Hits[0].ID != "b" {
		t.Fatalf("search 茶农 = %+v, want hit b", r)
	}
	if r := one(t, w.handle(ctx, request{ID: 5, Op: "delete", IDs: []string{"b"}})); r.Err != "" || r.Stats.Docs != 1 {
		t.Errorf("delete = %+v, want 1 doc left", r)
	}
	if r := one(t, w.handle(ctx, request{ID: 6, Op: "search", Q: "茶农"})); r.Err != "" || r.Results.Total != 0 {
		t.Errorf("search 茶农 after delete = %+v, want none", r)
	}
	if r := one(t, w.handle(ctx, request{ID: 7, Op: "frobnicate"})); r.Err == "" {
		t.Errorf("unknown op = %+v, want an error", r)
	}
}

// one returns the only reply.
func one(t *testing.T, reps []reply) reply {
	t.Helper()
	if len(reps) != 1 {
		t.Fatalf("replies = %+v, want one", reps)
	}
	return reps[0]
}

func TestWorkerFlushesFullBatch(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(search.Tables()...)
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	one(t, w.handle(ctx, request{ID: 1, Op: "open"}))
	docs := make([]search.Doc, flushDocs)
	for i := range docs {
		docs[i] = search.Doc{ID: fmt.Sprint(i), Title: "标题", Text: "正文"}
	}
	if r := one(t, w.handle(ctx, request{ID: 2, Op: "add", Docs: docs})); r.Err != "" || r.Stats.Docs != flushDocs {
		t.Errorf("add of flushDocs docs = %+v, want it flushed at once", r)
	}
}

// TestWarmUp: the warm-up library gives the warm queries long lists and
// short ones, so that warmUp runs the code a real library's queries run.
func TestWarmUp(t *testing.T) {
	ctx := context.Background()
	st := store.NewMemory(search.Tables()...)
	ix, err := search.Open(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Add(ctx, warmLibrary(0, warmDocs)...); err != nil {
		t.Fatal(err)
	}
	long, found := 0, 0
	for _, q := range warmQueries {
		res, err := ix.Search(ctx, q, search.Options{})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		if res.Total > 0 {
			found++
		}
		if res.Total > warmDocs/2 {
			long++
		}
	}
	if found < len(warmQueries)-2 || long < 2 {
		t.Errorf("warm queries: %d of %d found, %d found in over half the documents; want all but 2, and 2", found, len(warmQueries), long)
	}
	searches := 0
	warmUp(ctx, func() bool { searches++; return false })
	if searches < 3*len(warmQueries) {
		t.Errorf("warmUp ran %d searches, want at least 3 rounds of %d", searches, len(warmQueries))
	}
	searches = 0
	warmUp(ctx, func() bool { searches++; return searches > 5 })
	if searches != 6 {
		t.Errorf("warmUp asked stop %d times after it said stop, want it to end at once", searches-5)
	}
}

// TestWorkerStagesAdds: opened with the texts kept elsewhere, the worker
// answers an add of flushDocs documents once they are recorded as to be
// indexed (not yet in the index), indexes them with the next adds once
// flushBytes of text wait, or when another request comes; a worker
// closed before that leaves them to the next one, which indexes them
// with the texts kept.
func TestWorkerStagesAdds(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(search.Tables(), message.DocsTable)...)
	opener := func(context.Context, string, []string) (store.Store, error) { return mem, nil }
	w := &worker{open: opener}
	one(t, w.handle(ctx, request{ID: 1, Op: "open", Texts: message.TextsTable}))
	batch := func(from, n int, text string) []search.Doc {
		docs := make([]search.Doc, n)
		for i := range docs {
			docs[i] = search.Doc{ID: fmt.Sprint(from + i), Title: "夜间公交", Text: text}
		}
		return docs
	}
	r := one(t, w.handle(ctx, request{ID: 2, Op: "add", Docs: batch(0, flushDocs, "末班车延后两小时。")}))
	if r.Err != "" || r.Stats.Docs != 0 || w.idle() {
		t.Fatalf("add of flushDocs docs = %+v, idle %v; want it answered, not indexed yet", r, w.idle())
	}
	if ids, err := w.ix.Deferred(ctx); err != nil || len(ids) != flushDocs {
		t.Fatalf("Deferred after the add: %d IDs, %v; want %d", len(ids), err, flushDocs)
	}

	// the worker is closed before its flush: the next one indexes them
	w2 := &worker{open: opener}
	im2 := &importer{w: w2}
	one(t, w2.handle(ctx, request{ID: 1, Op: "open", Texts: message.TextsTable}))
	im2.resume(ctx)
	im2.flush(ctx)
	r = one(t, w2.handle(ctx, request{ID: 3, Op: "search", Q: "末班车"}))
	if r.Err != "" || r.Results == nil || r.Results.Total != flushDocs || len(r.Results.Hits) == 0 || !strings.Contains(r.Results.Hits[0].Snippet, "末班车") {
		t.Fatalf("search after the next worker resumed = %+v, want %d hits with snippets", r, flushDocs)
	}

	// flushBytes of text: indexed, every add answered
	long := strings.Repeat("春茶产量预估增加一成。", flushBytes/flushDocs/30+1)
	var reps []reply
	for i := 0; len(reps) == 0 || reps[len(reps)-1].ID != 100+i-1; i++ {
		reps = append(reps, w2.handle(ctx, request{ID: 100 + i, Op: "add", Docs: batch(flushDocs*(i+1), flushDocs/2, long)})...)
		if i > 4 {
			t.Fatalf("adds of %d bytes each: not flushed after 6 of them, replies %d", flushDocs/2*len(long), len(reps))
		}
	}
	if last := reps[len(reps)-1]; last.Err != "" || last.Stats.Docs != flushDocs+len(reps)*flushDocs/2 || !w2.idle() {
		t.Errorf("the add reaching flushBytes = %+v, idle %v; want all %d docs indexed", last, w2.idle(), flushDocs+len(reps)*flushDocs/2)
	}
	if ids, err := w2.ix.Deferred(ctx); err != nil || len(ids) != 0 {
		t.Errorf("Deferred after the flush: %d IDs, %v; want none", len(ids), err)
	}

	// a delete flushes what waits first
	before := w2.ix.Stats().Docs
	w2.handle(ctx, request{ID: 200, Op: "add", Docs: batch(100000, 3, "湖区雨季")})
	reps = w2.handle(ctx, request{ID: 201, Op: "delete", IDs: []string{"100001"}})
	if len(reps) != 2 || reps[0].ID != 200 || reps[1].Err != "" || reps[1].Stats.Docs != before+2 {
		t.Errorf("add of 3 then delete of 1 = %+v, want both answered, %d docs", reps, before+2)
	}
	r = one(t, w2.handle(ctx, request{ID: 202, Op: "search", Q: "湖区雨季"}))
	if r.Err != "" || r.Results == nil || r.Results.Total != 2 {
		t.Errorf("search after an add and a delete = %+v, want 2 hits", r)
	}
}

// panicking is a store that panics in every read and write of the
// table *table names ("": none).
type panicking struct {
	store.Store
	table *string
}

func (p panicking) check(table string) {
	if table == *p.table {
		panic("store bug")
	}
}

func (p panicking) Get(ctx context.Context, table, key string) ([]byte, error) {
	p.check(table)
	return p.Store.Get(ctx, table, key)
}

func (p panicking) GetMany(ctx context.Context, table string, keys []string) ([][]byte, error) {
	p.check(table)
	return p.Store.GetMany(ctx, table, keys)
}

func (p panicking) Write(ctx context.Context, b *store.Batch) error {
	for _, op := range b.Ops {
		p.check(op.Table)
	}
	return p.Store.Write(ctx, b)
}

// TestWorkerSurvivesPanic: a panic while a search or a flush runs is
// answered as an error, to the request and to the adds it flushed, and
// the worker goes on: the next requests are answered as usual.
func TestWorkerSurvivesPanic(t *testing.T) {
	ctx := context.Background()
	bad := ""
	s := panicking{store.NewMemory(append(search.Tables(), message.DocsTable)...), &bad}
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return s, nil }}
	one(t, w.handle(ctx, request{ID: 1, Op: "open", Texts: message.TextsTable}))
	w.handle(ctx, request{ID: 2, Op: "add", Docs: []search.Doc{{ID: "a", Title: "夜间公交", Text: "末班车延后。"}}})
	one(t, w.handle(ctx, request{ID: 3, Op: "stats"})[1:])
	bad = message.DocsTable // the hits' texts
	if r := one(t, w.handle(ctx, request{ID: 4, Op: "search", Q: "末班车"})); !strings.Contains(r.Err, "internal error") {
		t.Errorf("search while the store panics = %+v, want an internal error", r)
	}
	bad = "search_pages" // the segment's write
	w.handle(ctx, request{ID: 5, Op: "add", Docs: []search.Doc{{ID: "b", Title: "湖区", Text: "末班车停运。"}}})
	reps := w.handle(ctx, request{ID: 6, Op: "stats"})
	if len(reps) != 2 || reps[0].ID != 5 || !strings.Contains(reps[0].Err, "internal error") || reps[1].ID != 6 || reps[1].Err == "" {
		t.Errorf("replies to a flush that panicked = %+v, want add 5 and stats 6 answered with the error", reps)
	}
	bad = ""
	w.handle(ctx, request{ID: 7, Op: "add", Docs: []search.Doc{{ID: "c", Title: "山城", Text: "末班车提前。"}}})
	if reps := w.handle(ctx, request{ID: 8, Op: "stats"}); len(reps) != 2 || reps[0].Err != "" || reps[1].Err != "" {
		t.Errorf("replies after the panics = %+v, want no error", reps)
	}
	r := one(t, w.handle(ctx, request{ID: 9, Op: "search", Q: "末班车"}))
	if r.Err != "" || r.Results == nil || r.Results.Total != 2 || len(r.Results.Hits) != 2 || r.Results.Hits[0].Snippet == "" {
		t.Errorf("search after the panics = %+v, want a and c with their texts", r.Results)
	}
}
