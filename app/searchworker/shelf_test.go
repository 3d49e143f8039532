package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store"
)

// TestShelf: opened with message.TextsTable, the worker writes the texts
// of the documents added to message.DocsTable and none to the index's
// text table, and shows its hits with the shelf's texts; stage "library"
// times the shelf's writes; an unknown Texts fails the open.
func TestShelf(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(search.Tables(), message.DocsTable)...)
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	if r := one(t, w.handle(ctx, request{ID: 1, Op: "open", Texts: "elsewhere"})); r.Err == "" {
		t.Errorf("open with texts \"elsewhere\" = %+v, want an error", r)
	}
	one(t, w.handle(ctx, request{ID: 2, Op: "open", Texts: message.TextsTable}))
	docs := []search.Doc{
		{ID: "a", Title: "江城试行夜间公交", Text: "末班车延后两小时。"},
		{ID: "b", Title: "湖区雨季", Text: "末班车因暴雨停运。"},
	}
	w.handle(ctx, request{ID: 3, Op: "add", Docs: docs})
	st := one(t, w.handle(ctx, request{ID: 4, Op: "stats"})[1:])
	if _, ok := st.Stages["library"]; !ok {
		t.Errorf("stats stages %v: no \"library\"", st.Stages)
	}
	for _, d := range docs {
		if rec, err := mem.Get(ctx, search.TextTable, d.ID); err == nil {
			t.Errorf("index text record of %s = %q, want none", d.ID, rec)
		}
		if rec, err := mem.Get(ctx, message.DocsTable, d.ID); err != nil || !strings.HasSuffix(string(rec), d.Title+d.Text) {
			t.Errorf("shelf record of %s = %q, %v; want its title and text", d.ID, rec, err)
		}
	}
	r := one(t, w.handle(ctx, request{ID: 5, Op: "search", Q: "末班车"}))
	if r.Err != "" || r.Results == nil || len(r.Results.Hits) != 2 {
		t.Fatalf("search = %+v, want a and b", r)
	}
	for _, h := range r.Results.Hits {
		if !strings.Contains(h.Snippet, "末班车") || h.Title == "" {
			t.Errorf("hit %s: title %q, snippet %q; want the shelf's", h.ID, h.Title, h.Snippet)
		}
	}
}

// failingTable is a store whose writes to one table fail while fail is
// set.
type failingTable struct {
	store.Store
	table string
	fail  *bool
}

var errWriteFailed = errors.New("write refused")

func (f failingTable) Write(ctx context.Context, b *store.Batch) error {
	for _, op := range b.Ops {
		if *f.fail && op.Table == f.table {
			return errWriteFailed
		}
	}
	return f.Store.Write(ctx, b)
}

// TestShelfWriteFails: when the shelf cannot write the texts of a
// flush, which it writes while their segment is built, the segment is
// not written either: the adds are answered with the shelf's error, the
// index holds none of their documents, and the next flush, its texts
// written, indexes its own.
func TestShelfWriteFails(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(search.Tables(), message.DocsTable)...)
	fail := true
	s := failingTable{mem, message.DocsTable, &fail}
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return s, nil }}
	one(t, w.handle(ctx, request{ID: 1, Op: "open", Texts: message.TextsTable}))
	if reps := w.handle(ctx, request{ID: 2, Op: "add", Docs: []search.Doc{{ID: "a", Title: "夜间公交", Text: "末班车延后。"}}}); len(reps) != 0 {
		t.Fatalf("a small add was answered at once: %+v", reps)
	}
	reps := w.handle(ctx, request{ID: 3, Op: "stats"}) // flushes the add
	if len(reps) != 2 || reps[0].ID != 2 || !strings.Contains(reps[0].Err, errWriteFailed.Error()) {
		t.Fatalf("replies to a flush whose texts failed = %+v, want add 2 answered with %q", reps, errWriteFailed)
	}
	if st := w.ix.Stats(); st.Docs != 0 {
		t.Errorf("index after a failed shelf write: %d documents, want 0", st.Docs)
	}
	fail = false
	w.handle(ctx, request{ID: 4, Op: "add", Docs: []search.Doc{{ID: "b", Title: "湖区雨季", Text: "末班车停运。"}}})
	if reps := w.handle(ctx, request{ID: 5, Op: "stats"}); len(reps) != 2 || reps[0].Err != "" {
		t.Fatalf("replies to the next flush = %+v, want add 4 answered without error", reps)
	}
	r := one(t, w.handle(ctx, request{ID: 6, Op: "search", Q: "末班车"}))
	if r.Results == nil || r.Results.Total != 1 || r.Results.Hits[0].ID != "b" {
		t.Errorf("search after the failed flush = %+v, want b alone", r.Results)
	}
}
