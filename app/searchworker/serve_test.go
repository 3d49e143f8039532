package main

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
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
