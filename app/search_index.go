package main

import (
	"context"
	"sync"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/static"
	"github.com/broadsheet/broadsheet/app/weblock"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The search index lives in the library's store (its tables are opened
// with the library's). It is kept in step with the library by the same
// slices that write it: an import slice indexes the articles it added or
// updated right after storing them, and a deletion removes them. A
// library without an index (imported before search existed, or the
// seeded samples) is indexed once in the background, in slices.

// searchIndex is the index as the page uses it: in the browser a Web
// Worker that owns it (search_worker_js.go), natively and as a fallback
// the index itself. Add and Delete may return before the work is done;
// they are applied in order.
type searchIndex interface {
	Add(ctx context.Context, docs ...search.Doc) error
	Delete(ctx context.Context, ids ...string) error
	Search(ctx context.Context, q string, opt search.Options) (*search.Results, error)
	Stats(ctx context.Context) (search.Stats, error)
}

// localIndex is a search.Index used in this thread.
type localIndex struct{ *search.Index }

func (l localIndex) Stats(ctx context.Context) (search.Stats, error) { return l.Index.Stats(), nil }

// openLocalIndex opens the index kept in s in this thread.
func openLocalIndex(ctx context.Context, s store.Store) (searchIndex, error) {
	ix, err := search.Open(ctx, s)
	if err != nil {
		return nil, err
	}
	return localIndex{ix}, nil
}

var (
	ixOnce sync.Once
	ix     searchIndex
	ixErr  error
	// libStore is the store the library was opened on.
	libStore store.Store
	// indexMu orders library writes and their indexing, so that a
	// background build never indexes an article older than the one an
	// import just stored.
	indexMu sync.Mutex
	// indexBuilds counts background builds started in this page, for
	// tests: a reload must not start one.
	indexBuilds int
)

// openIndex opens the search index once, after the library; on a
// library that has articles but no index it starts a background build.
func openIndex(ctx app.Context) (searchIndex, error) {
	l, err := openLibrary(ctx)
	if err != nil {
		return nil, err
	}
	ixOnce.Do(func() {
		ix, ixErr = openSearchIndex(ctx, libStore)
		if ixErr != nil {
			app.Log("broadsheet: search index:", ixErr)
			return
		}
		if st, err := ix.Stats(ctx); err == nil && st.Docs == 0 {
			if n, err := l.Count(ctx); err == nil && n > 0 {
				indexBuilds++
				setRootData("index-builds", indexBuilds)
				go buildIndex(ctx, l, ix)
			}
		}
	})
	return ix, ixErr
}

// Sizes of a background build slice: as many articles as take about
// sliceTarget, judged from the previous slice.
const (
	buildFirst = 8
	buildMax   = 100
)

// buildIndex indexes every article of the library, newest first, in
// slices, yielding to the event loop between them.
func buildIndex(ctx app.Context, l *library.Library, ix searchIndex) {
	start := time.Now()
	after, n, total := "", buildFirst, 0
	setRootData("index-state", "building")
	for {
		took, last, count, err := buildSlice(ctx, l, ix, after, n)
		if err != nil {
			app.Log("broadsheet: indexing the library:", err)
			setRootData("index-state", "failed")
			return
		}
		total += count
		if count < n {
			break
		}
		after = last
		per := took / time.Duration(count)
		n = min(max(int(sliceTarget/max(per, time.Microsecond)), minSlice), buildMax)
		time.Sleep(yieldPause)
	}
	if _, err := ix.Stats(ctx); err != nil { // waits for the queued work
		app.Log("broadsheet: indexing the library:", err)
	}
	setRootData("index-state", "built")
	app.Logf("broadsheet: indexed %d articles in %v", total, time.Since(start).Round(time.Millisecond))
	ctx.Dispatch(func(ctx app.Context) { bumpSearch(ctx) })
}

// buildSlice indexes up to n articles of the list after the article
// after; it returns the time taken, the last article's ID and the number
// of articles listed.
func buildSlice(ctx context.Context, l *library.Library, ix searchIndex, after string, n int) (time.Duration, string, int, error) {
	indexMu.Lock()
	defer indexMu.Unlock()
	start := time.Now()
	items, _, err := l.List(ctx, library.Query{After: after, Limit: n})
	if err != nil || len(items) == 0 {
		return 0, "", 0, err
	}
	docs := make([]search.Doc, 0, len(items))
	for _, m := range items {
		a, err := l.Get(ctx, m.ID)
		if err != nil {
			continue // deleted meanwhile, or unreadable: not indexed
		}
		docs = append(docs, library.SearchDoc(a))
	}
	if err := ix.Add(ctx, docs...); err != nil {
		return 0, "", 0, err
	}
	return time.Since(start), items[len(items)-1].ID, len(items), nil
}

// importAndIndex is library.Import followed by indexing the articles
// it added or updated. An index failure is logged, not reported as an
// import failure: the articles are stored.
func importAndIndex(actx app.Context, ctx context.Context, l *library.Library, files []library.File) ([]library.Result, error) {
	ix, _ := openIndex(actx) // before the import: a new library needs no build
	indexMu.Lock()
	defer indexMu.Unlock()
	results, err := l.Import(ctx, files)
	if err != nil {
		return results, err
	}
	var docs []search.Doc
	for _, r := range results {
		if r.Article != nil {
			docs = append(docs, library.SearchDoc(r.Article))
		}
	}
	if len(docs) > 0 && ix != nil {
		if err := ix.Add(ctx, docs...); err != nil {
			app.Log("broadsheet: indexing:", err)
		}
	}
	return results, nil
}

// deleteAndUnindex deletes articles from the library and the index. The
// library's records are deleted under the database's write lock, which
// the workers of every tab hold to write (their imports read, then write,
// the same counts).
func deleteAndUnindex(ctx app.Context, l *library.Library, ids []string) error {
	ix, _ := openIndex(ctx)
	indexMu.Lock()
	defer indexMu.Unlock()
	err := weblock.Exclusive(ctx, message.WriteLock(dbName(siteBase())), func() error { return l.Delete(ctx, ids...) })
	if err != nil {
		return err
	}
	if ix != nil {
		if err := ix.Delete(ctx, ids...); err != nil {
			app.Log("broadsheet: unindexing:", err)
		}
	}
	return nil
}

// storeTables are the tables of the library's store: the library's, the
// search index's, and the packs of a hosted archive kept offline (added
// to an older database by a version upgrade: indexeddb.Open).
func storeTables() []string {
	return append(append(library.Tables(), search.Tables()...), static.KeepTable)
}
