package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
)

// The worker imports files as well as indexing them, so that parsing,
// storing and indexing never run on the page's one thread. An "import"
// request posts File objects beside its JSON (import_js.go reads them):
// the worker expands zips, parses the files and stores the articles
// through library.Import (each call one IndexedDB transaction), answers
// with one result per file, and queues the stored articles for the index,
// added in batches like the documents of "add" requests.

// importChunk bounds the files of one library.Import (one transaction):
// a zip can hold thousands.
const importChunk = 1000

// Stored articles are indexed behind the import: their documents wait
// until the worker has had no request for flushIdle (an import's slices
// follow each other closely, so that is its end), until a request other
// than an import or a search comes, or until indexBytes of their text
// wait. Indexing 1,000 of them after every 1,000 stored took a third of
// the import worker's time (3.2 of 8.2 ms an article in Chromium): each
// batch was a small segment, merged four at a time. Indexing every
// flushBytes (6 MB, serve.go) during the import, while the parse
// workers parse the next slices, made the last articles searchable 0.5-
// 0.7 s after an import of 10,000 ended (3.7-3.9 s with indexBytes), but
// it shares the worker with the store: the import itself fell from 475-
// 536 to 419-482 articles/s (BenchmarkBrowserImport10k, pairs at load
// 1-3), under the 500 of issue 3, for no gain in the time until all are
// searchable (searchable-articles/s 403-471 either way). So an import of
// up to indexBytes of text is indexed once it ends (the page marks its
// last slice), a larger one every indexBytes.
const indexBytes = 32 << 20

// importIdle is how long the worker waits, after an import's slice, for
// the next before it indexes the articles waiting (flushIdle): the page
// posts a slice once it has taken the snapshots of its Files, which
// under load now and then lags the worker's store by more than
// flushIdle (200 ms), and the worker then indexed every article stored
// so far in the middle of the import (seconds during which it took no
// slice: 17-24 s of 60-110 s in runs under load 10-14). Only a slice of
// graceFiles or more is waited for so: a small import, one slice (a
// few files, then a search), is indexed after flushIdle as before. The
// page marks an import's last slice (message.Request.Last), after which
// nothing is waited for: a user searching once an import has finished
// would otherwise wait importIdle more for its last articles.
const (
	importIdle = 2 * time.Second
	graceFiles = 32
)

// importer keeps the library the worker imports into and the documents
// of stored articles waiting to be indexed.
type importer struct {
	w        *worker
	lib      *library.Library
	docs     []search.Doc
	docBytes int // the text of docs
	// pool is the parse workers (parse.go), started on the first import
	// (poolTried); nil when they cannot run.
	pool      *parsePool
	poolTried bool
	// lastImport is the ID of the last import request received, and
	// cancelThrough the last one cancelled (message.CancelOp).
	lastImport, cancelThrough int
	// imported is when the last import request of graceFiles files or
	// more was answered, zero after an import's last (sliceStored).
	imported time.Time
	// timed is lib's store, which times its reads and writes while an
	// import's stages are measured.
	timed *timedStore
	// reparsing: stored articles wait to be parsed again (reparseDue,
	// reparse.go) or to be checked against the index (check,
	// check.go): reparseStep has work to do when the worker is idle.
	reparsing, reparseDue bool
	check                 indexCheck
}

// openLibrary opens the library named by an import request once, in a
// connection of its own.
func (im *importer) openLibrary(ctx context.Context, r request) error {
	if im.lib != nil {
		return nil
	}
	if im.w.ix == nil {
		return errNotOpen
	}
	s, err := im.w.open(ctx, r.DB, r.Tables)
	if err != nil {
		return err
	}
	im.timed = &timedStore{Store: s}
	im.lib, err = library.Open(ctx, im.timed)
	return err
}

// importFiles stores files read for request r (read taking readTime) and
// returns the reply: a result per file, or per entry of a zip.
func (im *importer) importFiles(ctx context.Context, r request, files []library.File, readTime time.Duration) reply {
	rep := reply{ID: r.ID, ReadMicros: readTime.Microseconds()}
	if im.cancelled(r) {
		return reply{ID: r.ID, Cancelled: true}
	}
	if err := im.openLibrary(ctx, r); err != nil {
		rep.Err = err.Error()
		return rep
	}
	start := time.Now()
	var all []library.File
	for _, f := range files {
		all = append(all, library.Unpack(f)...)
	}
	out := replyFiles{brief: r.Brief}
	storeAll(ctx, im, all, func(f library.File) string { return f.Name },
		func(chunk []library.File) []library.Result {
			results, _ := im.lib.Import(ctx, chunk) // the results carry each file's error
			return results
		},
		func(_ int, res library.Result) {
			out.add(res)
			if res.Article != nil {
				im.queue(library.SearchDoc(res.Article))
			}
		}, nil)
	out.fill(&rep)
	im.flushFull(ctx)
	rep.Micros = time.Since(start).Microseconds()
	return rep
}

// storeAll stores files in library writes of importChunk files, each
// under the write lock (tabs.go), and calls each with every file's index
// and result; should taking the lock fail, the files of that write fail
// with its error. It adds to st (nil: none) the times of taking the lock
// and reopening the index ("lock"), of the library's write ("put") and
// of recording the articles to index ("defer").
func storeAll[F any](ctx context.Context, im *importer, files []F, name func(F) string, store func([]F) []library.Result, each func(int, library.Result), st stages) {
	for first := 0; first < len(files); first += importChunk {
		chunk := files[first:min(len(files), first+importChunk)]
		var results []library.Result
		t := time.Now()
		err := im.w.write(ctx, func() error {
			t = st.since("lock", t)
			results = store(chunk)
			t = st.since("put", t)
			err := im.deferStored(ctx, results)
			t = st.since("defer", t)
			return err
		})
		if results == nil && err != nil {
			results = make([]library.Result, len(chunk))
			for i, f := range chunk {
				results[i] = library.Result{Name: name(f), Status: library.Failed, Err: err}
			}
		}
		for i, res := range results {
			each(first+i, res)
		}
	}
}

// fileResult is a library.Result as a message.
func fileResult(r library.Result) message.FileResult {
	fr := message.FileResult{Name: r.Name, ID: r.ID, Status: int(r.Status)}
	if r.Status == library.Failed && r.Err != nil {
		fr.Code, fr.Err = library.ErrorCode(r.Err), r.Err.Error()
	}
	return fr
}

// replyFiles gathers an import's results for its reply: a FileResult
// each, or for a Brief request their statuses and IDs, and the failed
// files alone.
type replyFiles struct {
	brief    bool
	files    []message.FileResult
	statuses []byte
	ids      []string
}

// add adds one result.
func (rf *replyFiles) add(res library.Result) {
	if !rf.brief {
		rf.files = append(rf.files, fileResult(res))
		return
	}
	if res.Status == library.Failed {
		fr := fileResult(res)
		fr.Index = len(rf.statuses)
		rf.files = append(rf.files, fr)
	}
	rf.statuses = append(rf.statuses, byte('0'+res.Status))
	rf.ids = append(rf.ids, res.ID)
}

// fill puts the results in rep.
func (rf *replyFiles) fill(rep *reply) {
	rep.Files = rf.files
	if rf.brief {
		rep.Statuses, rep.IDs = string(rf.statuses), strings.Join(rf.ids, "\n")
	}
}

// deferStored records the articles stored by results as to be indexed
// (search.Index.Defer), in the same write: a page closed before they are
// indexed leaves the list for resume.
func (im *importer) deferStored(ctx context.Context, results []library.Result) error {
	var ids []string
	for _, r := range results {
		if r.Status == library.Added || r.Status == library.Updated {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 || im.w.ix == nil {
		return nil
	}
	if err := im.w.ix.Defer(ctx, ids...); err != nil {
		fmt.Println("searchworker: recording articles to index:", err)
	}
	return nil
}

// resume queues for the index the articles an earlier worker stored but
// did not index (its page was closed first), and the documents of adds
// it answered but did not index (serve.go's stage): the index's deferred
// IDs, read where the open says their texts are kept (Request.Texts),
// else from the library. Those no longer there are taken off the list.
func (im *importer) resume(ctx context.Context) {
	if im.w.ix == nil || im.w.local == nil {
		return
	}
	ids, err := im.w.ix.Deferred(ctx)
	if err == nil && len(ids) == 0 {
		return
	}
	if err == nil {
		var docs []*search.Doc
		if docs, err = im.storedDocs(ctx, ids); err == nil {
			var gone []string
			for i, d := range docs {
				if d == nil {
					gone = append(gone, ids[i])
					continue
				}
				im.queue(*d)
			}
			if len(gone) > 0 {
				err = im.w.write(ctx, func() error { return im.w.ix.Delete(ctx, gone...) })
			}
		}
	}
	if err != nil {
		fmt.Println("searchworker: resuming the indexing of imported articles:", err)
	}
}

// queue adds the document of a stored article to those waiting.
func (im *importer) queue(d search.Doc) {
	im.docs = append(im.docs, d)
	im.docBytes += len(d.Title) + len(d.Text)
}

// flushFull indexes the waiting documents once indexBytes of them wait,
// and reports whether it did.
func (im *importer) flushFull(ctx context.Context) bool {
	if im.docBytes < indexBytes {
		return false
	}
	im.flush(ctx)
	return true
}

// idle reports whether no imported article waits to be indexed.
func (im *importer) idle() bool { return len(im.docs) == 0 }

// importReceived notes the arrival of import request id.
func (im *importer) importReceived(id int) { im.lastImport = max(im.lastImport, id) }

// cancelReceived cancels the import requests received so far: those not
// yet stored are answered with Reply.Cancelled (message.CancelOp).
func (im *importer) cancelReceived() { im.cancelThrough = im.lastImport }

// cancelled reports whether import request r was cancelled.
func (im *importer) cancelled(r request) bool { return r.ID <= im.cancelThrough }

// sliceStored notes an import's slice of n files once stored: after a
// slice of graceFiles or more, flushIdle waits importIdle for the next;
// after the import's last slice (message.Request.Last), it does not.
func (im *importer) sliceStored(n int, last bool) {
	switch {
	case last:
		im.imported = time.Time{}
	case n >= graceFiles:
		im.imported = time.Now()
	}
}

// nextSliceDue reports whether an import's next slice is likely on its
// way: one of graceFiles or more came within importIdle, and was not
// the last.
func (im *importer) nextSliceDue() bool { return time.Since(im.imported) < importIdle }

// flushIdle indexes the imported articles waiting when the worker has
// had no request for flushIdle, unless an import's next slice is due.
func (im *importer) flushIdle(ctx context.Context) {
	if im.nextSliceDue() {
		return
	}
	im.flush(ctx)
}

// flush indexes the imported articles waiting; a failure is logged (the
// articles are stored).
func (im *importer) flush(ctx context.Context) {
	if len(im.docs) == 0 || im.w.ix == nil {
		return
	}
	err := im.w.write(ctx, func() error {
		before := im.w.ix.BuildTimes()
		err := im.w.ix.Add(ctx, im.docs...)
		im.w.built = im.w.built.Plus(im.w.ix.BuildTimes().Minus(before)) // in "stats"
		return err
	})
	if err != nil {
		fmt.Println("searchworker: indexing imported articles:", err)
	}
	im.docs, im.docBytes = nil, 0
}
