package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store"
)

// Adds are coalesced: an index built from a few documents at a time
// spends most of its time merging small segments (natively, the real
// corpus in adds of 20 documents builds at 0.9 MB/s, in adds of 1,000 at
// 5.5 MB/s). The documents of "add" requests wait until flushBytes of
// their text are pending, the worker has been idle for flushIdle, or a
// request other than "add" or "search" comes. An add is answered once
// its documents are safe: in the index or, when their texts are kept
// elsewhere (Request.Texts), recorded as to be indexed (stage), which
// flushDocs documents not answered yet are. A search does not wait for
// pending documents.
//
// An index built of segments of flushBytes of text or more (~5 MB of
// index, merge.go's second tier) merges nothing until four of them
// wait: the search benchmark's 10,000 articles (20.9 MB) were 10
// segments of 1,000 articles and 2 merges of 4 of them, merge and
// merged write 3.6 of its 10.4 s at low load. A segment holds up to
// ~3.1 million records (search's maxRecords), ~0.4 a byte of Chinese
// text: a flush of more than ~7.5 MB leaves a small segment besides.
const (
	flushDocs  = 1000
	flushBytes = 6_000_000
	flushIdle  = 200 * time.Millisecond
)

// opener opens the store of a database name with the given tables.
type opener func(ctx context.Context, db string, tables []string) (store.Store, error)

// worker handles requests against one index.
type worker struct {
	open opener
	ix   *search.Index

	openArchive archiveOpener // nil: no hosted archives (hosted.go)
	local       store.Store   // the store of ix
	hosted      *search.Index // a hosted archive's index, or nil

	pending []search.Doc // documents of adds not yet in the index
	waiting []int        // the ids of adds not answered yet
	// staged: pending[:staged] are recorded as to be indexed, their
	// texts kept elsewhere, and their adds answered (stage);
	// pendingBytes is the text of pending
	staged       int
	pendingBytes int

	tabs tabs // the other tabs' workers on the same database (tabs.go)

	// built is the split of the index's building by adds and imports
	// since the open (search.BuildTimes, summed over the index's
	// reopens); spent
	// is the worker's time by stage since the open, in microseconds:
	// around the adds and the messages that bring them (spend). "stats"
	// replies both, for benchmarks.
	built search.BuildTimes
	spent map[string]int64

	// texts, when the page said where ("open" with Request.Texts), reads
	// the texts of the documents added, of which the index then keeps
	// their places alone (search.Index.TextsFrom); shelf, for
	// message.TextsTable, writes them before they are indexed (shelf.go).
	texts search.Texts
	shelf *shelf
}

// mergeGOGC is the collector's target while the index merges segments
// (the worker's is workerGOGC). BenchmarkWorkerMemory/100k at 50 / 20 /
// 10: build heap peak 147-172 / 130 / 105 MB, 48-52 / 54 / 60-64 CPU-s.
const mergeGOGC = 20

// setUp tells an index just opened where the texts are kept and how its
// merges collect.
func (w *worker) setUp(ix *search.Index) {
	if w.texts != nil {
		ix.TextsFrom(w.texts)
	}
	ix.MergeGCPercent(mergeGOGC)
}

// textsIn sets where the texts of the documents added to the index of s
// are kept, as an "open" says (message.Request.Texts).
func (w *worker) textsIn(ctx context.Context, s store.Store, where string) error {
	w.texts, w.shelf = nil, nil
	switch where {
	case "":
	case message.TextsLibrary:
		lib, err := library.Open(ctx, s)
		if err != nil {
			return err
		}
		w.texts = lib.SearchDocs
	case message.TextsTable:
		w.shelf = &shelf{s: s}
		w.texts = w.shelf.texts
		go w.shelf.preload(ctx) // while the index opens
	default:
		return errors.New("searchworker: unknown texts " + where)
	}
	return nil
}

var errNotOpen = errors.New("searchworker: the index is not open")

// handle answers one request: no reply for an add that waits, the
// replies of the flushed adds before the request's own otherwise. A
// panic while it does (a bug, met by some query or document) is
// answered as an error, to the request and to the adds waiting (their
// documents dropped, but those staged: resume indexes them), and the
// index is opened again: the worker, and search in the tab, go on.
func (w *worker) handle(ctx context.Context, r request) (out []reply) {
	defer func() {
		if p := recover(); p != nil {
			err := fmt.Errorf("searchworker: internal error in %q: %v", r.Op, p)
			fmt.Println(err.Error() + "\n" + string(debug.Stack()))
			out = w.answer(nil, 0, err)
			w.pending, w.staged, w.pendingBytes = nil, 0, 0
			if r.Op != "add" || w.ix == nil {
				out = append(out, reply{ID: r.ID, Err: err.Error()})
			}
			if err := w.reopen(ctx); err != nil {
				fmt.Println("searchworker: opening the index again:", err)
			}
		}
	}()
	if r.Op == "add" && w.ix != nil {
		w.pending = append(w.pending, r.Docs...)
		w.waiting = append(w.waiting, r.ID)
		for _, d := range r.Docs {
			w.pendingBytes += len(d.Title) + len(d.Text)
		}
		switch {
		case w.pendingBytes >= flushBytes:
			return w.flush(ctx)
		case len(w.pending)-w.staged < flushDocs:
			return nil
		case w.texts != nil:
			return w.stage(ctx)
		}
		return w.flush(ctx)
	}
	if r.Op != "search" {
		out = w.flush(ctx)
	}
	start := time.Now()
	rep := reply{ID: r.ID}
	if err := w.do(ctx, r, &rep); err != nil {
		rep.Err = err.Error()
	}
	rep.Micros = time.Since(start).Microseconds()
	return append(out, rep)
}

// idle reports whether no document waits for a flush.
func (w *worker) idle() bool { return len(w.pending) == 0 }

// flush adds the pending documents in one Add and answers their adds.
func (w *worker) flush(ctx context.Context) []reply {
	if len(w.pending) == 0 {
		return nil
	}
	start := time.Now()
	gc := gcCPU()
	var inside, added time.Time
	// The texts are written first. Written as the Add built their
	// segment (its write waiting for them), they made the build no
	// faster: the results of their requests, taken by this thread,
	// moved to the wait for the write lock (BenchmarkSearchPeers 10k, 3
	// pairs against d4b984f: library + lock + write + stage 1,253,
	// 1,511 and 1,546 ms against 1,187, 1,235 and 1,202).
	err := w.shelf.put(ctx, w.pending[w.staged:])
	if w.shelf != nil {
		w.spend("library", time.Since(start))
		start = time.Now()
	}
	if err == nil {
		err = w.write(ctx, w.addPending(ctx, &inside, &added))
	}
	unlocked := time.Now()
	st := w.ix.Stats()
	end := time.Now()
	micros := end.Sub(start).Microseconds()
	if !inside.IsZero() {
		w.spend("lock+reopen", inside.Sub(start))
		w.spend("add", added.Sub(inside))
		w.spend("unlock", unlocked.Sub(added))
	}
	w.spend("stats", end.Sub(unlocked))
	w.spend("gc", gcCPU()-gc)
	w.spend("adds", 0)
	w.spent["adds"]++
	out := w.answer(&st, micros, err)
	w.pending, w.staged, w.pendingBytes = nil, 0, 0
	return out
}

// answer returns the replies of the adds waiting, and forgets them.
func (w *worker) answer(st *search.Stats, micros int64, err error) []reply {
	out := make([]reply, len(w.waiting))
	for i, id := range w.waiting {
		out[i] = reply{ID: id, Stats: st, Micros: micros}
		if err != nil {
			out[i].Err = err.Error()
		}
	}
	w.waiting = nil
	return out
}

// stage records the pending documents not recorded yet as to be
// indexed (search.Index.Defer), after their texts (the shelf's, or the
// library's already), and answers their adds: a worker closed before
// the flush leaves them to the next one's resume (import.go), which
// reads them where their texts are kept. Their stats are the index's,
// without them. Should the record fail, the adds are answered with
// the error and the documents stay pending.
func (w *worker) stage(ctx context.Context) []reply {
	start := time.Now()
	docs := w.pending[w.staged:]
	err := w.shelf.put(ctx, docs)
	if w.shelf != nil {
		w.spend("library", time.Since(start))
	}
	t := time.Now()
	if err == nil {
		ids := make([]string, len(docs))
		for i := range docs {
			ids[i] = docs[i].ID
		}
		err = w.write(ctx, func() error { return w.ix.Defer(ctx, ids...) })
	}
	w.spend("stage", time.Since(t))
	if err == nil {
		w.staged = len(w.pending)
	}
	st := w.ix.Stats()
	return w.answer(&st, time.Since(start).Microseconds(), err)
}

// addPending returns the write of flush: the pending documents added;
// it sets inside and added to the times the Add starts and ends.
func (w *worker) addPending(ctx context.Context, inside, added *time.Time) func() error {
	return func() error {
		*inside = time.Now()
		before := w.ix.BuildTimes()
		err := w.ix.Add(ctx, w.pending...)
		*added = time.Now()
		w.built = w.built.Plus(w.ix.BuildTimes().Minus(before))
		return err
	}
}

// spend adds d to the worker's time in stage (Reply.Stages of "stats").
func (w *worker) spend(stage string, d time.Duration) {
	if w.spent == nil {
		w.spent = map[string]int64{}
	}
	w.spent[stage] += d.Microseconds()
}

// buildStages is what "stats" replies as its stages: the worker's time
// by stage since the open ("adds" counts the flushes; "gc" is the
// collector's CPU time during them) and the split of Index.Add's
// (search.BuildTimes), in microseconds.
func (w *worker) buildStages() map[string]int64 {
	out := maps.Clone(w.spent)
	if out == nil {
		out = map[string]int64{}
	}
	w.built.AddStages(out)
	out["segments"], out["merges"], out["joined"], out["mergedBytes"] = int64(w.built.Segments), int64(w.built.Merges), int64(w.built.Joined), int64(w.built.MergedBytes)
	return out
}

// gcSample reads the collector's CPU time (runtime/metrics).
var gcSample = []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}

// gcCPU returns the collector's CPU time so far: an estimate the
// runtime updates as collections end.
func gcCPU() time.Duration {
	metrics.Read(gcSample)
	if gcSample[0].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return time.Duration(gcSample[0].Value.Float64() * 1e9)
}

// do runs the request's operation and fills in the reply.
func (w *worker) do(ctx context.Context, r request, rep *reply) error {
	if r.Op == "open" {
		return w.openIndex(ctx, r, rep)
	}
	if w.ix == nil {
		return errNotOpen
	}
	var err error
	switch r.Op {
	case "add":
		err = w.write(ctx, func() error { return w.ix.Add(ctx, r.Docs...) })
	case "delete":
		err = w.write(ctx, func() error { return w.ix.Delete(ctx, r.IDs...) })
	case "search":
		rep.Stages = map[string]int64{}
		err := w.searchFresh(ctx, func() (err error) {
			rep.Results, err = w.search(ctx, r.Q, search.Options{Sort: r.Sort, Limit: r.Limit, Trace: timer(rep.Stages)})
			return err
		})
		if err == nil && len(rep.Results.Gone) > 0 {
			w.forget(ctx, rep.Results.Gone)
		}
		return err
	case "stats":
		rep.Stages = w.buildStages()
		if w.hosted != nil {
			st := w.hosted.Stats()
			rep.Hosted = &st
		}
	case "mem":
		rep.Bytes, rep.Sys = memory()
		return nil
	default:
		return errors.New("searchworker: unknown op " + r.Op)
	}
	st := w.ix.Stats()
	rep.Stats = &st
	return err
}

// forget deletes from the index the documents a search found gone from
// where their texts are kept (search.Results.Gone): articles deleted
// from the library while the index was not told (the page deletes
// them from both in two writes, app/search_index.go). The search that
// found them left them out; the next ones do not meet them.
func (w *worker) forget(ctx context.Context, ids []string) {
	if err := w.write(ctx, func() error { return w.ix.Delete(ctx, ids...) }); err != nil {
		fmt.Println("searchworker: deleting from the index articles no longer stored:", err)
	}
}

// openIndex opens the store and the index kept in it.
func (w *worker) openIndex(ctx context.Context, r request, rep *reply) error {
	rep.Stages = map[string]int64{}
	step := timer(rep.Stages)
	w.built, w.spent = search.BuildTimes{}, nil
	s, err := w.open(ctx, r.DB, r.Tables)
	if err != nil {
		return err
	}
	step("db")
	if err := w.textsIn(ctx, s, r.Texts); err != nil {
		return err
	}
	if w.ix, err = search.Open(ctx, s); err != nil {
		return err
	}
	w.setUp(w.ix)
	step("index")
	if w.tabs == nil {
		w.tabs = newTabs(r.DB)
	}
	w.openHosted(ctx, r.Archive, s, rep)
	step("hosted")
	st := w.ix.Stats()
	rep.Stats = &st
	return nil
}

// timer returns a step function that adds to stages the microseconds
// since the previous step (or since the call to timer) under the step's
// name: where the time of an "open" or a "search" went (Reply.Stages).
func timer(stages map[string]int64) func(step string) {
	last := time.Now()
	return func(step string) {
		now := time.Now()
		stages[step] += now.Sub(last).Microseconds()
		last = now
	}
}

// memory collects garbage and returns the live heap and the memory the
// Go runtime holds (in wasm, about the size of its linear memory).
func memory() (heap, sys uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, ms.Sys
}
