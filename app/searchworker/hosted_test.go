package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
)

// hostedWorker is a worker over a local index of local and a hosted
// index of hosted (both in memory), with a local library holding the
// ids of local.
func hostedWorker(t *testing.T, local, hosted []search.Doc) *worker {
	t.Helper()
	ctx := context.Background()
	tables := append(library.Tables(), search.Tables()...)
	mem := store.NewMemory(tables...)
	lib, err := library.Open(ctx, mem)
	if err != nil {
		t.Fatal(err)
	}
	var files []library.File
	for _, d := range local {
		files = append(files, library.File{Name: d.ID + ".md", Data: []byte(fmt.Sprintf("[%s](https://example.org/%s)\n------\n\n%s\n", d.Title, d.ID, d.Text))})
	}
	res, err := lib.Import(ctx, files)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res { // the parser names articles by their address
		if r.Err != nil {
			t.Fatalf("Import(%s) = %v", r.Name, r.Err)
		}
		local[i].ID = r.ID
	}
	arch := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	hix, err := search.Open(ctx, arch)
	if err != nil {
		t.Fatal(err)
	}
	if err := hix.Add(ctx, hosted...); err != nil {
		t.Fatal(err)
	}
	w := &worker{
		open: func(context.Context, string, []string) (store.Store, error) { return mem, nil },
		openArchive: func(_ context.Context, url string, keep store.Store) (store.Store, error) {
			if url != "https://example.org/REPO/archive/" || keep != mem {
				return nil, fmt.Errorf("openArchive(%q, %v)", url, keep)
			}
			return arch, nil
		},
	}
	r := one(t, w.handle(ctx, request{ID: 1, Op: "open", Archive: "https://example.org/REPO/archive/"}))
	if r.Err != "" || r.HostedErr != "" || r.Hosted == nil || r.Hosted.Docs != len(hosted) {
		t.Fatalf("open with an archive = %+v, want hosted stats of %d docs", r, len(hosted))
	}
	if err := w.ix.Add(ctx, local...); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestSearchLocalAndHosted(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 3, d, 0, 0, 0, 0, time.UTC) }
	local := []search.Doc{
		{ID: "l1", Title: "港口夜航恢复", Text: "港口的夜航班次今日恢复。", Date: day(3)},
		{ID: "l2", Title: "本地新闻", Text: "与港口无关的消息。", Date: day(9)},
	}
	w := hostedWorker(t, local, nil)
	hosted := []search.Doc{
		{ID: local[0].ID, Title: "港口夜航恢复", Text: "港口的夜航班次今日恢复。", Date: day(3)}, // also imported here
		{ID: "h1", Title: "港口扩建", Text: "港口扩建工程开工，港口吞吐量将翻番。", Date: day(5)},
		{ID: "h2", Title: "山区公路", Text: "公路通车。", Date: day(6)},
		{ID: "h3", Title: "旧闻", Text: "港口旧事。", Date: day(1)},
	}
	ctx := context.Background()
	if err := w.hosted.Add(ctx, hosted...); err != nil { // the test's archive is writable
		t.Fatal(err)
	}
	r := one(t, w.handle(ctx, request{ID: 2, Op: "search", Q: "港口", Sort: search.ByDate, Limit: 10}))
	if r.Err != "" || r.Results == nil {
		t.Fatalf("search = %+v", r)
	}
	var got []string
	for _, h := range r.Results.Hits {
		got = append(got, h.ID)
	}
	want := []string{local[1].ID, "h1", local[0].ID, "h3"}
	if !slices.Equal(got, want) || r.Results.Total != 4 {
		t.Errorf("search 港口 by date = %q, total %d; want %q, total 4 (the archive's copy of an imported article left out)", got, r.Results.Total, want)
	}
	r = one(t, w.handle(ctx, request{ID: 3, Op: "search", Q: "港口", Limit: 2}))
	if r.Err != "" || len(r.Results.Hits) != 2 || r.Results.Total != 4 {
		t.Errorf("search 港口 limit 2 = %+v, want 2 hits of 4", r.Results)
	}
	for i := 1; i < len(r.Results.Hits); i++ {
		if r.Results.Hits[i-1].Score < r.Results.Hits[i].Score {
			t.Errorf("hits not by score: %+v", r.Results.Hits)
		}
	}
	if r := one(t, w.handle(ctx, request{ID: 4, Op: "stats"})); r.Hosted == nil || r.Hosted.Docs != 4 {
		t.Errorf("stats = %+v, want hosted stats of 4 docs", r)
	}
}

func TestOpenArchiveFailureKeepsLocalSearch(t *testing.T) {
	ctx := context.Background()
	mem := store.NewMemory(append(library.Tables(), search.Tables()...)...)
	w := &worker{
		open: func(context.Context, string, []string) (store.Store, error) { return mem, nil },
		openArchive: func(context.Context, string, store.Store) (store.Store, error) {
			return nil, errors.New("offline and nothing kept")
		},
	}
	r := one(t, w.handle(ctx, request{ID: 1, Op: "open", Archive: "https://example.org/archive/"}))
	if r.Err != "" || r.HostedErr == "" || w.hosted != nil {
		t.Fatalf("open with a failing archive = %+v, want local stats and a hosted error", r)
	}
	if r := one(t, w.handle(ctx, request{ID: 2, Op: "search", Q: "港口"})); r.Err != "" {
		t.Errorf("local search = %+v", r)
	}
}
