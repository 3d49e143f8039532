package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/parser"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// Actions the pages post. Their handlers below are the only UI-side code
// that calls the library.
const (
	actionLoadLibrary  = "library/load"   // Value: library.UnionQuery
	actionDelete       = "library/delete" // Value: []string (ids)
	actionLoadArticle  = "reader/load"    // Value: string (id)
	actionImport       = "import/start"   // Value: importSource
	actionCancelImport = "import/cancel"
)

// States the pages observe.
const (
	stateLibrary      = "library"        // libraryState
	stateLibraryRev   = "library/rev"    // int, bumped when articles change
	stateReader       = "reader"         // readerState
	stateImport       = "import"         // importState
	stateStorageError = "storage/error"  // string: plain words, "" for none
	sampleFlagKey     = "samples-loaded" // local storage flag, per base
)

// status is where a load is: loading, loaded or failed (the error is kept
// beside it in the state).
type status string

const (
	statusLoading status = "loading"
	statusLoaded  status = "loaded"
	statusFailed  status = "failed"
)

// pageSize is the number of articles on one page of the library.
const pageSize = 50

// libraryState is the library page's data.
type libraryState struct {
	Status status
	Err    error
	Query  library.UnionQuery
	Items  []library.Item
	Total  int // articles matching Query
	All    int // articles in the library
	Facets library.UnionFacets
	// FacetsLoaded is false while the facets are read (a hosted archive's
	// take more packs than the first page): the page is shown first.
	FacetsLoaded bool
}

// readerState is the reader's data.
type readerState struct {
	Status     status
	Err        error
	ID         string
	Article    *parser.Article
	Origin     string // originImported or originArchive
	Prev, Next string
	// Local maps link hrefs to the ids of articles in the library.
	Local map[string]string
}

// handleActions registers the action handlers.
func handleActions() {
	app.Handle(actionLoadLibrary, handleLoadLibrary)
	app.Handle(actionDelete, handleDelete)
	app.Handle(actionLoadArticle, handleLoadArticle)
	app.Handle(actionImport, handleImport)
	app.Handle(actionCancelImport, handleCancelImport)
	handlePWAActions()
	handleSearchActions()
	handleArchiveActions()
}

var (
	libOnce sync.Once
	lib     *library.Library // the articles imported in this browser
	union   *library.Union   // lib and the hosted archive, read as one
	libErr  error
)

// openLibrary opens the local library once (IndexedDB in the browser,
// memory natively) and the site's hosted archive beside it; on a first
// visit to a site without an archive, it imports the sample articles.
func openLibrary(ctx app.Context) (*library.Library, error) {
	libOnce.Do(func() {
		s, err := openStore(ctx, siteBase(), func() { reportStorageError(ctx, store.ErrClosed) })
		if err != nil {
			libErr = err
			return
		}
		libStore = s
		if lib, libErr = library.Open(ctx, s); libErr != nil {
			return
		}
		h, err := openHosted(ctx, s)
		if err != nil {
			app.Log("broadsheet: the hosted archive:", err)
		}
		hosted = h
		if h == nil {
			seedSamples(ctx, lib)
		}
		union = library.NewUnion(libraryParts(lib, h)...)
		ctx.Dispatch(func(ctx app.Context) { ctx.NewAction(actionArchiveInfo) })
	})
	if libErr != nil {
		reportStorageError(ctx, libErr)
	}
	return lib, libErr
}

// openUnion opens the library and returns it read as one with the
// hosted archive.
func openUnion(ctx app.Context) (*library.Union, error) {
	if _, err := openLibrary(ctx); err != nil {
		return nil, err
	}
	return union, nil
}

// loadSeq numbers list loads, so that the facets of an older load never
// replace a newer page.
var loadSeq atomic.Int64

// handleLoadLibrary loads one page of the list and its count, shows it,
// then loads the facets (unless cached) and shows them.
func handleLoadLibrary(ctx app.Context, a app.Action) {
	q, _ := a.Value.(library.UnionQuery)
	q.Limit = pageSize
	seq := loadSeq.Add(1)
	st := libraryState{Status: statusLoading, Query: q}
	u, err := openUnion(ctx)
	if err == nil {
		st.Items, st.Total, err = u.List(ctx, q)
	}
	if err == nil && len(st.Items) == 0 && q.Offset > 0 && st.Total > 0 {
		st.Query.Offset = (st.Total - 1) / pageSize * pageSize // past the end: last page
		st.Items, st.Total, err = u.List(ctx, st.Query)
	}
	if err == nil {
		st.All, err = u.Count(ctx)
	}
	st.Status, st.Err = loadedOrFailed(err)
	st.Facets, st.FacetsLoaded = cachedFacets(ctx)
	ctx.SetState(stateLibrary, st)
	if err != nil || st.FacetsLoaded {
		return
	}
	if st.Facets, err = facetsOf(ctx, u); err != nil {
		app.Log("broadsheet: the filters:", err)
		return
	}
	if loadSeq.Load() == seq {
		st.FacetsLoaded = true
		ctx.SetState(stateLibrary, st)
	}
}

// facetCache keeps the facets of one library revision: paging does not
// read the filter counts again.
var facetCache struct {
	sync.Mutex
	ok     bool
	rev    int
	facets library.UnionFacets
}

// cachedFacets returns the facets of the current revision if cached.
func cachedFacets(ctx app.Context) (library.UnionFacets, bool) {
	var rev int
	ctx.GetState(stateLibraryRev, &rev)
	facetCache.Lock()
	defer facetCache.Unlock()
	if facetCache.ok && facetCache.rev == rev {
		return facetCache.facets, true
	}
	return library.UnionFacets{}, false
}

// facetsOf reads the library's facets and caches them for the current
// revision.
func facetsOf(ctx app.Context, u *library.Union) (library.UnionFacets, error) {
	var rev int
	ctx.GetState(stateLibraryRev, &rev)
	f, err := u.Facets(ctx)
	if err != nil {
		return f, err
	}
	facetCache.Lock()
	facetCache.ok, facetCache.rev, facetCache.facets = true, rev, f
	facetCache.Unlock()
	return f, nil
}

// handleDelete deletes articles and tells the pages the library changed.
func handleDelete(ctx app.Context, a app.Action) {
	ids, _ := a.Value.([]string)
	l, err := openLibrary(ctx)
	if err == nil {
		err = deleteAndUnindex(ctx, l, ids)
	}
	if err != nil {
		reportStorageError(ctx, err)
	}
	bumpRevision(ctx)
}

// handleLoadArticle loads an article, its neighbours and its local links.
func handleLoadArticle(ctx app.Context, a app.Action) {
	id, _ := a.Value.(string)
	st := readerState{Status: statusLoading, ID: id}
	u, err := openUnion(ctx)
	if err == nil {
		st.Article, st.Origin, err = u.Get(ctx, id)
	}
	if err == nil {
		var nerr error // the article shows without its neighbours (offline, say)
		if st.Prev, st.Next, nerr = u.Neighbors(ctx, id); nerr != nil {
			app.Log("broadsheet: the article's neighbours:", nerr)
		}
	}
	if err == nil {
		st.Local = localLinks(ctx, u, st.Article)
	}
	st.Status, st.Err = loadedOrFailed(err)
	ctx.SetState(stateReader, st)
}

// maxLocalLinks bounds the links of one article looked up in the library.
const maxLocalLinks = 300

// localLinks maps the article's link hrefs that name an article
// imported in this browser to that article's id, in one read. (The
// hosted archive is not asked: that would fetch a pack per link.)
func localLinks(ctx context.Context, u *library.Union, a *parser.Article) map[string]string {
	local := make(map[string]string)
	hrefs := articleHrefs(a)
	if len(hrefs) > maxLocalLinks {
		hrefs = hrefs[:maxLocalLinks]
	}
	var ids, linked []string
	for _, href := range hrefs {
		if id := idForURL(href); id != "" && id != a.ID {
			ids, linked = append(ids, id), append(linked, href)
		}
	}
	if len(ids) == 0 {
		return local
	}
	owners, err := u.Owners(ctx, ids, originImported)
	if err != nil {
		return local
	}
	for i, o := range owners {
		if o != "" {
			local[linked[i]] = ids[i]
		}
	}
	return local
}

// idForURL is the id the parser gives an article saved from url
// (parser.URLID: the id rule stays the parser's alone).
func idForURL(url string) string { return parser.URLID(url) }

// loadedOrFailed is the status for the outcome of a load.
func loadedOrFailed(err error) (status, error) {
	if err != nil {
		return statusFailed, err
	}
	return statusLoaded, nil
}

// bumpRevision tells observers that articles were added or removed.
func bumpRevision(ctx app.Context) {
	if union != nil {
		union.Changed()
	}
	var rev int
	ctx.GetState(stateLibraryRev, &rev)
	ctx.SetState(stateLibraryRev, rev+1)
}

// reportStorageError shows a storage failure in plain words.
func reportStorageError(ctx app.Context, err error) {
	ctx.SetState(stateStorageError, storageMessage(err))
}

// storageMessage says what went wrong with storage, in plain words.
func storageMessage(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, store.ErrQuota):
		return T(msgErrQuota)
	case errors.Is(err, store.ErrBlocked):
		return T(msgErrBlocked)
	case errors.Is(err, store.ErrClosed):
		return T(msgErrClosed)
	case errors.Is(err, store.ErrVersion):
		return T(msgErrVersion)
	}
	return fmt.Sprintf("%s: %v", T(msgErrStorage), err)
}

var (
	importMu   sync.Mutex // one import at a time; the next waits
	currentJob atomic.Pointer[importJob]
)

// handleImport reads, parses and stores the files of an import in slices,
// publishing its progress and report in stateImport.
func handleImport(ctx app.Context, a app.Action) {
	src, _ := a.Value.(importSource)
	runImport(ctx, src, nil)
}

// runImport runs one import job over src, one at a time; wrap, when set,
// wraps the job's store (to watch what it stored). It reports whether the
// library could be opened.
func runImport(ctx app.Context, src importSource, wrap func(storeFn) storeFn) bool {
	importMu.Lock()
	defer importMu.Unlock()
	l, err := openLibrary(ctx)
	if err != nil {
		return false
	}
	job := &importJob{publish: func(s importState) { ctx.SetState(stateImport, s) }}
	job.store = importStore(ctx, l, &job.times)
	job.abort = cancelImportSlices
	if wrap != nil {
		job.store = wrap(job.store)
	}
	currentJob.Store(job)
	defer currentJob.Store(nil)
	resetLongTasks()
	refs := src.refs
	if src.walk != nil {
		ctx.SetState(stateImport, importState{State: importRunning})
		refs = append(refs, src.walk(ctx)...)
	}
	gcs := pageGCs.Load()
	job.run(ctx, refs)
	setRootData("import-gc", pageGCs.Load()-gcs) // for benchmarks
	bumpRevision(ctx)
	return true
}

// pageGCs counts the page's garbage collections (countGCs), without
// runtime.ReadMemStats, which costs the page's wasm 6 KB gzipped.
var pageGCs atomic.Int64

func init() { countGCs() }

// countGCs sets a finalizer on a new object that counts a collection
// and sets itself again.
func countGCs() {
	runtime.SetFinalizer(new([16]byte), func(*[16]byte) {
		pageGCs.Add(1)
		countGCs()
	})
}

// handleCancelImport stops the running import between two slices.
func handleCancelImport(ctx app.Context, a app.Action) {
	if job := currentJob.Load(); job != nil {
		job.cancel()
	}
}

// seedSamples imports the sample articles on a first visit: when the
// library is empty and they were never loaded, so that deleting them
// does not bring them back.
func seedSamples(ctx app.Context, l *library.Library) {
	key := sampleFlagKey + ":" + siteBase()
	var loaded bool
	ctx.LocalStorage().Get(key, &loaded)
	if loaded {
		return
	}
	n, err := l.Count(ctx)
	if err != nil {
		return
	}
	if n == 0 {
		files, err := fetchSamples(ctx)
		if err != nil {
			app.Log("broadsheet: samples:", err)
			return
		}
		if err := importSamples(ctx, l, files); err != nil {
			return
		}
	}
	ctx.LocalStorage().Set(key, true)
}

// fetchSamples downloads web/samples/index.json and the files it lists.
func fetchSamples(ctx app.Context) ([]library.File, error) {
	data, err := fetchBytes(ctx, ctx.ResolveStaticResource("/web/samples/index.json"))
	if err != nil {
		return nil, err
	}
	var idx sampleIndex
	if err := json.Unmarshal(data, &idx); err != nil {
		return nil, err
	}
	var files []library.File
	for _, name := range idx.Files {
		data, err := fetchBytes(ctx, ctx.ResolveStaticResource("/web/samples/"+url.PathEscape(name)))
		if err != nil {
			return nil, err
		}
		files = append(files, library.File{Name: name, Data: data})
	}
	return files, nil
}

// isNotFound reports whether err says an article is not stored.
func isNotFound(err error) bool {
	return errors.Is(err, store.ErrNotFound)
}
