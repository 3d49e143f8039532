package main

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// fileRef is a file offered for import, not read yet: a browser File or
// a file entry of a dropped folder (files_js.go), a disk file natively.
// In the browser the import worker reads blob itself; read is for refs
// without one.
type fileRef struct {
	Name     string
	Size     int64
	Modified time.Time
	blob     app.Value
	// list and index, when list is set, make the ref list's File at
	// index, whose name (Name is empty) the import worker reads: a
	// picked list of 10,000 files is not read one by one on the page.
	list  *fileList
	index int
	read  func(ctx context.Context) ([]byte, error)
}

// fileList is a JavaScript array of File objects.
type fileList struct{ files app.Value }

// name is the ref's name: Name, else its File's path in a picked folder
// or its name (one call into the browser: for reports of failed slices).
func (r fileRef) name() string {
	if r.Name != "" || r.list == nil {
		return r.Name
	}
	f := r.list.files.Index(r.index)
	if rel := f.Get("webkitRelativePath"); rel.Type() == app.TypeString && rel.String() != "" {
		return rel.String()
	}
	return f.Get("name").String()
}

// importSource is what an import starts from: refs read in the event
// handler, and for dropped folders a walk done afterwards.
type importSource struct {
	refs []fileRef
	walk func(ctx context.Context) []fileRef
}

// Import states, the values of importState.State and of data-state.
const (
	importRunning   = "running"
	importDone      = "done"
	importCancelled = "cancelled"
)

// importState is the progress of an import and its report.
type importState struct {
	State  string
	Done   int // files handled
	Total  int // files known (a zip adds its entries when opened)
	Errors int // files not imported
	// Unchanged counts articles already in the library, same or newer.
	Unchanged int
	Failed    []importFailure
	// ReadTime and StoreTime are the time spent reading files and in
	// library.Import (parse + store, and index in the worker), for
	// benchmarks.
	ReadTime, StoreTime time.Duration
}

// importFailure is one file not imported and why, in plain words.
type importFailure struct {
	Name, Reason string
}

// Sizes of one slice of an import, one store call: the files the import
// worker reads, parses and stores in one message (one IndexedDB
// transaction per library.Import). A slice holds as many files as the
// store handles in about sliceTarget, judged from the previous slices,
// within [minSlice, maxSlice] and under sliceBytes; cancel takes effect
// between slices. Each slice costs the worker a transaction, the write
// lock, the counts' reads and writes (about 50 records for 200 articles
// of 6 sources and 10 authors over 2 years), the index groups and the
// ID lookups: larger slices store faster. A slice is bounded by
// sliceTarget first: maxSlice is reached only by a fast import, and
// cancel takes effect after the slices in the worker, about
// importDepth*sliceTarget. (The page posts a slice's Files a few at a
// time: import_worker_js.go.)
const (
	sliceTarget = 1500 * time.Millisecond
	firstSlice  = 32
	minSlice    = 4
	maxSlice    = 1000
	sliceBytes  = 8 << 20
	yieldPause  = 4 * time.Millisecond
	// publishEvery spaces progress updates (each one renders the status).
	publishEvery = 100 * time.Millisecond
)

// storeFn imports one slice of refs, last when no slice follows it: in
// the browser the import worker reads, parses, stores and indexes them
// (import_worker_js.go; it indexes the articles of a large import
// behind its slices, at once after the last), natively the page does
// (import_local_other.go). It returns one result per file, and per
// entry of a zip; an error means the slice failed as a whole.
type storeFn = func(ctx context.Context, refs []fileRef, last bool) ([]library.Result, error)

// importTimes adds up where an import's time went, as its store
// measured it.
type importTimes struct {
	sync.Mutex
	read, store time.Duration
}

// add adds the times of one slice.
func (t *importTimes) add(read, store time.Duration) {
	t.Lock()
	defer t.Unlock()
	t.read += read
	t.store += store
}

// importJob runs one import in slices: hand a slice of refs to the
// store, publish progress, and stop between slices once cancelled.
type importJob struct {
	store storeFn
	// abort, when set, is called on cancel to drop the slices the store
	// holds but has not begun (the worker's: cancelImportSlices).
	abort     func()
	times     importTimes
	publish   func(importState)
	cancelled atomic.Bool
	st        importState
	perFile   time.Duration // store time per file, smoothed
	published time.Time     // when progress was last published
}

// cancel asks the job to stop before its next slice, and the store to
// drop the slices it has not begun.
func (j *importJob) cancel() {
	j.cancelled.Store(true)
	if j.abort != nil {
		j.abort()
	}
}

// errSliceCancelled is a store's error for a slice it dropped, unstored,
// once the import was cancelled: its files are neither done nor failed.
var errSliceCancelled = errors.New("import cancelled before this slice was stored")

// run imports refs and returns the final state. Up to importDepth
// slices are in the store at once (the worker parses the next while it
// stores the last).
func (j *importJob) run(ctx context.Context, refs []fileRef) importState {
	j.st = importState{State: importRunning, Total: len(refs)}
	j.publish(j.snapshot())
	var inflight []chan sliceOut
	for len(refs) > 0 && !j.cancelled.Load() {
		group := refs[:j.sliceLen(refs)]
		refs = refs[len(group):]
		inflight = append(inflight, j.startSlice(ctx, group, len(refs) == 0))
		if len(inflight) >= importDepth {
			j.finishSlice(<-inflight[0])
			inflight = inflight[1:]
		}
	}
	for _, ch := range inflight {
		j.finishSlice(<-ch)
	}
	j.st.State = importDone
	if j.cancelled.Load() {
		j.st.State = importCancelled
	}
	j.publish(j.snapshot())
	return j.snapshot()
}

// sliceOut is what the store did with one slice.
type sliceOut struct {
	refs    []fileRef
	results []library.Result
	err     error
	took    time.Duration
}

// startSlice hands a slice to the store; its outcome comes on the
// channel.
func (j *importJob) startSlice(ctx context.Context, refs []fileRef, last bool) chan sliceOut {
	ch := make(chan sliceOut, 1)
	go func() {
		start := time.Now()
		results, err := j.store(ctx, refs, last)
		ch <- sliceOut{refs: refs, results: results, err: err, took: time.Since(start)}
	}()
	return ch
}

// sliceCount is the number of files of the next slice, at most limit.
func (j *importJob) sliceCount(limit int) int {
	n := firstSlice
	if j.perFile > 0 {
		n = int(sliceTarget / j.perFile)
	}
	return min(max(n, minSlice), maxSlice, limit)
}

// sliceLen is the number of refs of the next slice: sliceCount, cut
// to sliceBytes.
func (j *importJob) sliceLen(refs []fileRef) int {
	n := j.sliceCount(len(refs))
	var size int64
	for i, r := range refs[:n] {
		if size += r.Size; size > sliceBytes && i > 0 {
			return i
		}
	}
	return n
}

// finishSlice records a slice's results (a zip's entries add to the
// total), publishes progress and yields to the event loop.
func (j *importJob) finishSlice(out sliceOut) {
	if errors.Is(out.err, errSliceCancelled) {
		return
	}
	j.learn(out.took/time.Duration(importDepth), len(out.refs))
	results := out.results
	if out.err != nil && len(results) == 0 {
		results = make([]library.Result, len(out.refs))
		for i, r := range out.refs {
			results[i] = library.Result{Name: r.name(), Status: library.Failed, Err: out.err}
		}
	}
	for _, r := range results {
		switch r.Status {
		case library.Failed:
			j.fail(r.Name, failureReason(r))
		case library.Unchanged:
			j.st.Unchanged++
		}
	}
	j.st.Done += len(results)
	j.st.Total += len(results) - len(out.refs)
	if time.Since(j.published) >= publishEvery {
		j.published = time.Now()
		j.publish(j.snapshot())
	}
	time.Sleep(yieldPause)
}

// learn updates the smoothed time per file from one slice.
func (j *importJob) learn(took time.Duration, n int) {
	per := took / time.Duration(n)
	if j.perFile == 0 {
		j.perFile = per
		return
	}
	j.perFile = (3*j.perFile + per) / 4
}

// fail records a file that was not imported.
func (j *importJob) fail(name, reason string) {
	j.st.Errors++
	j.st.Failed = append(j.st.Failed, importFailure{Name: name, Reason: reason})
}

// snapshot is a copy of the state safe to hand to observers.
func (j *importJob) snapshot() importState {
	s := j.st
	s.Failed = slices.Clone(j.st.Failed)
	j.times.Lock()
	s.ReadTime, s.StoreTime = j.times.read, j.times.store
	j.times.Unlock()
	return s
}
