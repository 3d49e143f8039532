package main

import (
	"context"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/parser"
)

// fileRef is a file offered for import, not read yet: a browser File or
// a file entry of a dropped folder (files_js.go), a disk file natively.
type fileRef struct {
	Name     string
	Size     int64
	Modified time.Time
	read     func(ctx context.Context) ([]byte, error)
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
	// library.Import (parse + store), for benchmarks.
	ReadTime, StoreTime time.Duration
}

// importFailure is one file not imported and why, in plain words.
type importFailure struct {
	Name, Reason string
}

// Sizes of one slice of work: the event loop runs between slices. A
// slice holds as many files as library.Import handles in about
// sliceTarget, judged from the previous slices, within [minSlice,
// maxSlice] and under sliceBytes.
const (
	sliceTarget = 100 * time.Millisecond
	firstSlice  = 16
	minSlice    = 4
	maxSlice    = 100
	sliceBytes  = 2 << 20
	yieldPause  = 4 * time.Millisecond
	// publishEvery spaces progress updates (each one renders the status).
	publishEvery = 100 * time.Millisecond
)

// importJob runs one import in slices: read a few files at once, parse
// and store them in one library.Import call, publish progress, yield to
// the event loop, and stop between slices once cancelled.
type importJob struct {
	store     func(ctx context.Context, files []library.File) ([]library.Result, error)
	publish   func(importState)
	cancelled atomic.Bool
	st        importState
	perFile   time.Duration // library.Import time per file, smoothed
	published time.Time     // when progress was last published
}

// cancel asks the job to stop before its next slice.
func (j *importJob) cancel() { j.cancelled.Store(true) }

// run imports refs and returns the final state.
func (j *importJob) run(ctx context.Context, refs []fileRef) importState {
	j.st = importState{State: importRunning, Total: len(refs)}
	j.publish(j.snapshot())
	for len(refs) > 0 && !j.cancelled.Load() {
		group := refs[:j.sliceLen(refs)]
		refs = refs[len(group):]
		j.storeAll(ctx, j.readAll(ctx, group))
	}
	j.st.State = importDone
	if j.cancelled.Load() {
		j.st.State = importCancelled
	}
	j.publish(j.snapshot())
	return j.snapshot()
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

// readAll reads a group of files concurrently (each read waits on the
// browser) and returns their contents in order; zips are expanded.
func (j *importJob) readAll(ctx context.Context, refs []fileRef) []library.File {
	start := time.Now()
	type read struct {
		files  []library.File
		reason string
	}
	reads := make([]read, len(refs))
	var wg sync.WaitGroup
	for i, ref := range refs {
		wg.Go(func() {
			reads[i].files, reads[i].reason = readRef(ctx, ref)
		})
	}
	wg.Wait()
	var files []library.File
	for i, r := range reads {
		if r.reason != "" {
			j.fail(refs[i].Name, r.reason)
			j.st.Done++
			continue
		}
		j.st.Total += len(r.files) - 1
		files = append(files, r.files...)
	}
	j.st.ReadTime += time.Since(start)
	return files
}

// storeAll stores files in slices (a zip can hold thousands).
func (j *importJob) storeAll(ctx context.Context, files []library.File) {
	for len(files) > 0 {
		n := j.sliceCount(len(files))
		j.storeSlice(ctx, files[:n])
		files = files[n:]
		if len(files) > 0 && j.cancelled.Load() {
			j.st.Total -= len(files)
			return
		}
	}
}

// storeSlice stores files in one library.Import, records failures,
// publishes progress and yields to the event loop.
func (j *importJob) storeSlice(ctx context.Context, files []library.File) {
	start := time.Now()
	results, err := j.store(ctx, files)
	took := time.Since(start)
	j.st.StoreTime += took
	j.learn(took, len(files))
	for i, f := range files {
		r := library.Result{Name: f.Name, Status: library.Failed, Err: err}
		if i < len(results) {
			r = results[i]
		}
		switch r.Status {
		case library.Failed:
			j.fail(f.Name, failureReason(r))
		case library.Unchanged:
			j.st.Unchanged++
		}
	}
	j.st.Done += len(files)
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
	return s
}

// readRef reads a file; a zip archive is expanded into its entries.
// A non-empty reason means the file is not imported.
func readRef(ctx context.Context, ref fileRef) ([]library.File, string) {
	if ref.Size > parser.MaxSize && !isZip(ref.Name) {
		return nil, failureReason(library.Result{Status: library.Failed, Err: parser.ErrTooLarge})
	}
	data, err := ref.read(ctx)
	if err != nil {
		return nil, T(msgUnreadable) + ": " + err.Error()
	}
	f := library.File{Name: ref.Name, Data: data, Modified: ref.Modified}
	if !isZip(ref.Name) {
		return []library.File{f}, ""
	}
	files, err := library.ExpandZip(f)
	if err != nil {
		return nil, failureReason(library.Result{Status: library.Failed, Err: err})
	}
	for i := range files {
		files[i].Name = ref.Name + "/" + files[i].Name
	}
	if len(files) == 0 {
		return nil, failureReason(library.Result{Status: library.Failed, Err: parser.ErrEmpty})
	}
	return files, ""
}

// isZip reports whether a file name is a zip archive's.
func isZip(name string) bool {
	return strings.EqualFold(path.Ext(name), ".zip")
}
