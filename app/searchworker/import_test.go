package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
)

// article is an article file of our own text.
func article(i int) []byte {
	return fmt.Appendf(nil, "<!--1772000000000-->\n[第%d号通知：河滨步道夜间照明改造](https://city.example/notice/%d/)\n------\n\n"+
		"<address>市政办公室</address><section><p>第%d号通知：步道照明改造本周完成。</p></section>\n", i, i, i)
}

func TestWorkerImport(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	im := &importer{w: w}
	files := []library.File{
		{Name: "a.md", Data: article(1)},
		{Name: "empty.md"},
		{Name: "b.md", Data: article(2), Modified: time.UnixMilli(1772000000000)},
	}
	if rep := im.importFiles(ctx, request{ID: 1, Op: "import"}, files, 0); rep.Err == "" {
		t.Errorf("import before open = %+v, want an error", rep)
	}
	one(t, w.handle(ctx, request{ID: 2, Op: "open"}))
	rep := im.importFiles(ctx, request{ID: 3, Op: "import"}, files, time.Millisecond)
	if rep.ID != 3 || rep.Err != "" || len(rep.Files) != 3 || rep.ReadMicros != 1000 {
		t.Fatalf("import = %+v, want 3 file results for id 3", rep)
	}
	if f := rep.Files[0]; f.Status != int(library.Added) || f.ID == "" || f.Name != "a.md" {
		t.Errorf("a.md = %+v, want added with an id", f)
	}
	if f := rep.Files[1]; f.Status != int(library.Failed) || f.Code != library.ErrorCode(parser.ErrEmpty) || f.Err == "" {
		t.Errorf("empty.md = %+v, want failed as empty", f)
	}
	if im.idle() {
		t.Fatal("imported articles are not waiting to be indexed")
	}
	r := one(t, w.handle(ctx, request{ID: 4, Op: "search", Q: "步道照明"}))
	if r.Results == nil || r.Results.Total != 0 {
		t.Errorf("search before the flush = %+v, want no hits yet", r)
	}
	im.flush(ctx)
	r = one(t, w.handle(ctx, request{ID: 5, Op: "search", Q: "步道照明"}))
	if r.Err != "" || r.Results == nil || r.Results.Total != 2 {
		t.Errorf("search after the flush = %+v, want the 2 imported articles", r)
	}
	again := im.importFiles(ctx, request{ID: 6, Op: "import"}, files[:1], 0)
	if len(again.Files) != 1 || again.Files[0].Status != int(library.Unchanged) || !im.idle() {
		t.Errorf("import again = %+v, want unchanged and nothing to index", again)
	}
}

func TestWorkerImportParsed(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	im := &importer{w: w}
	one(t, w.handle(ctx, request{ID: 1, Op: "open"}))
	ps, docs := parseAll([]library.File{{Name: "a.md", Data: article(7)}, {Name: "empty.md"}}, nil)
	// across a parse worker: the wire format of parse_wire.go
	for i := range ps {
		r := wireReader{b: appendParsed(nil, ps[i], docs[i])}
		ps[i], docs[i] = r.parsed()
		if r.err != nil {
			t.Fatal(r.err)
		}
	}
	if ps[1].Err == nil || library.ErrorCode(ps[1].Err) != library.ErrorCode(parser.ErrEmpty) {
		t.Errorf("empty.md across a parse worker: err %v, want one matching parser.ErrEmpty", ps[1].Err)
	}
	rep := im.importParsed(ctx, request{ID: 2, Op: "import"}, ps, docs, time.Now(), time.Millisecond, nil)
	if rep.Err != "" || len(rep.Files) != 2 || rep.Files[0].Status != int(library.Added) || rep.Files[1].Status != int(library.Failed) {
		t.Fatalf("importParsed = %+v, want a.md added, empty.md failed", rep)
	}
	im.flush(ctx)
	r := one(t, w.handle(ctx, request{ID: 3, Op: "search", Q: "步道照明"}))
	if r.Results == nil || r.Results.Total != 1 {
		t.Errorf("search after importParsed = %+v, want the article", r)
	}
}

// TestResumeIndexing: articles stored by a worker whose page closed before
// it indexed them are indexed by the next worker opened on the database;
// one deleted meanwhile is taken off the list.
func TestResumeIndexing(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	opener := func(context.Context, string, []string) (store.Store, error) { return mem, nil }
	w := &worker{open: opener}
	im := &importer{w: w}
	one(t, w.handle(ctx, request{ID: 1, Op: "open"}))
	rep := im.importFiles(ctx, request{ID: 2, Op: "import"}, []library.File{{Name: "a.md", Data: article(1)}, {Name: "b.md", Data: article(2)}, {Name: "c.md", Data: article(3)}}, 0)
	if len(rep.Files) != 3 || im.idle() {
		t.Fatalf("import = %+v, want 3 articles waiting to be indexed", rep)
	}
	if got, err := w.ix.Deferred(ctx); err != nil || len(got) != 3 {
		t.Fatalf("Deferred = %q, %v: want 3 articles recorded as to be indexed", got, err)
	}
	// the page closes: the worker never flushes; c is deleted from the library
	lib, err := library.Open(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.Delete(ctx, rep.Files[2].ID); err != nil {
		t.Fatal(err)
	}

	w2 := &worker{open: opener}
	im2 := &importer{w: w2}
	one(t, w2.handle(ctx, request{ID: 1, Op: "open"}))
	im2.resume(ctx)
	im2.flush(ctx)
	r := one(t, w2.handle(ctx, request{ID: 2, Op: "search", Q: "步道照明"}))
	if r.Err != "" || r.Results == nil || r.Results.Total != 2 {
		t.Errorf("search after the next worker resumed = %+v, want the 2 articles left", r)
	}
	if left, err := w2.ix.Deferred(ctx); err != nil || len(left) != 0 {
		t.Errorf("still to be indexed: %q, %v, want none", left, err)
	}
}

func TestWorkerImportBrief(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	im := &importer{w: w}
	one(t, w.handle(ctx, request{ID: 1, Op: "open"}))
	files := []library.File{{Name: "a.md", Data: article(1)}, {Name: "empty.md"}, {Name: "b.md", Data: article(2)}}
	rep := im.importFiles(ctx, request{ID: 2, Op: "import", Brief: true}, files, 0)
	if rep.Err != "" || rep.Statuses != "030" {
		t.Fatalf("brief import = %+v, want statuses 030", rep)
	}
	if len(rep.Files) != 1 || rep.Files[0].Name != "empty.md" || rep.Files[0].Index != 1 || rep.Files[0].Code != "empty" {
		t.Errorf("brief import's files = %+v, want empty.md alone, index 1, code empty", rep.Files)
	}
	ids := strings.Split(rep.IDs, "\n")
	if len(ids) != 3 || ids[0] == "" || ids[1] != "" || ids[2] == "" || ids[0] == ids[2] {
		t.Errorf("brief import's ids = %q, want two ids around an empty one", rep.IDs)
	}
	rep = im.importFiles(ctx, request{ID: 3, Op: "import", Brief: true}, files[:1], 0)
	if rep.Statuses != "2" || len(rep.Files) != 0 {
		t.Errorf("brief import again = %+v, want statuses 2 (unchanged) and no files", rep)
	}
}

// TestFlushIdleWaitsForSlices: articles imported wait to be indexed
// while an import's slice came within importIdle, and are indexed once
// it has passed.
func TestFlushIdleWaitsForSlices(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	im := &importer{w: w}
	one(t, w.handle(ctx, request{ID: 1, Op: "open"}))
	im.importFiles(ctx, request{ID: 2, Op: "import"}, []library.File{{Name: "a.md", Data: article(1)}}, 0)
	im.sliceStored(graceFiles, false)
	im.flushIdle(ctx)
	if im.idle() {
		t.Fatalf("flushIdle right after an import's slice indexed its articles, want them waiting for the next slice")
	}
	im.imported = time.Now().Add(-importIdle)
	im.flushIdle(ctx)
	if !im.idle() {
		t.Errorf("flushIdle %v after the last slice left articles waiting, want them indexed", importIdle)
	}
}

// TestFlushIdleAfterLastSlice: after an import's last slice, flushIdle
// indexes the articles waiting at once; a small slice does not make it
// wait, nor undo the wait of a large one before it.
func TestFlushIdleAfterLastSlice(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	im := &importer{w: w}
	one(t, w.handle(ctx, request{ID: 1, Op: "open"}))
	im.sliceStored(graceFiles-1, false)
	if im.nextSliceDue() {
		t.Fatalf("after a slice of %d files, a next slice is due; want a small import indexed at once", graceFiles-1)
	}
	im.sliceStored(graceFiles, false)
	im.sliceStored(graceFiles-1, false)
	if !im.nextSliceDue() {
		t.Fatalf("a small slice after a large one ended the wait for the next slice")
	}
	im.importFiles(ctx, request{ID: 2, Op: "import"}, []library.File{{Name: "a.md", Data: article(1)}}, 0)
	im.sliceStored(graceFiles, true)
	im.flushIdle(ctx)
	if !im.idle() {
		t.Errorf("flushIdle after an import's last slice left its articles waiting, want them indexed")
	}
	r := one(t, w.handle(ctx, request{ID: 3, Op: "search", Q: "步道照明"}))
	if r.Err != "" || r.Results == nil || r.Results.Total != 1 {
		t.Errorf("search after the last slice's flush = %+v, want 1 hit", r)
	}
}

// TestWorkerTextsInLibrary: opened with the library's texts, the worker
// indexes imported articles without a copy of their texts (no record of
// the index's text table) and shows their hits with snippets read from
// the library, before and after the index is reopened for a write.
func TestWorkerTextsInLibrary(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	im := &importer{w: w}
	one(t, w.handle(ctx, request{ID: 1, Op: "open", Texts: message.TextsLibrary}))
	files := []library.File{{Name: "a.md", Data: article(1)}, {Name: "b.md", Data: article(2)}}
	rep := im.importFiles(ctx, request{ID: 2, Op: "import"}, files, 0)
	im.flush(ctx)
	for _, f := range rep.Files {
		if rec, err := mem.Get(ctx, search.TextTable, f.ID); err == nil {
			t.Errorf("text record of %s = %q, want none", f.Name, rec)
		}
	}
	check := func(when string) {
		t.Helper()
		r := one(t, w.handle(ctx, request{ID: 3, Op: "search", Q: "步道照明"}))
		if r.Err != "" || r.Results == nil || len(r.Results.Hits) != 2 {
			t.Fatalf("%s: search = %+v, want the 2 imported articles", when, r)
		}
		for _, h := range r.Results.Hits {
			if !strings.Contains(h.Snippet, "步道照明") || !strings.Contains(h.Title, "河滨步道") {
				t.Errorf("%s: hit %s: title %q, snippet %q; want the article's", when, h.ID, h.Title, h.Snippet)
			}
		}
	}
	check("after the import")
	one(t, w.handle(ctx, request{ID: 4, Op: "delete", IDs: []string{"none"}})) // a write: the index reopened
	check("after a reopen")
}

// TestImportCancelled: once a cancel comes, the imports received before
// it are answered Cancelled with nothing stored; a later one is stored.
func TestImportCancelled(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	w := &worker{open: func(context.Context, string, []string) (store.Store, error) { return mem, nil }}
	im := &importer{w: w}
	one(t, w.handle(ctx, request{ID: 1, Op: "open"}))
	im.importReceived(2)
	im.importReceived(3)
	im.cancelReceived()
	im.importReceived(4)
	for _, id := range []int{2, 3} {
		r := im.importFiles(ctx, request{ID: id, Op: "import"}, []library.File{{Name: "a.md", Data: article(id)}}, 0)
		if !r.Cancelled || len(r.Files) != 0 {
			t.Errorf("import %d received before the cancel = %+v, want Cancelled with no files", id, r)
		}
		ps, docs := parseAll([]library.File{{Name: "a.md", Data: article(id)}}, nil)
		if r := im.importParsed(ctx, request{ID: id, Op: "import"}, ps, docs, time.Now(), 0, nil); !r.Cancelled {
			t.Errorf("parsed import %d received before the cancel = %+v, want Cancelled", id, r)
		}
	}
	r := im.importFiles(ctx, request{ID: 4, Op: "import"}, []library.File{{Name: "a.md", Data: article(4)}}, 0)
	if r.Cancelled || len(r.Files) != 1 || r.Files[0].Status != int(library.Added) {
		t.Errorf("import received after the cancel = %+v, want its file added", r)
	}
	if n, err := im.lib.Count(ctx); err != nil || n != 1 {
		t.Errorf("library holds %d articles (%v), want only the one imported after the cancel", n, err)
	}
}
