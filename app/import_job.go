package main

import (
	"context"
	"path"
	"slices"
	"strings"
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
	Failed []importFailure
}

// importFailure is one file not imported and why, in plain words.
type importFailure struct {
	Name, Reason string
}

// Sizes of one slice of work: the event loop runs between slices.
const (
	chunkFiles = 50
	chunkBytes = 4 << 20
	yieldPause = 4 * time.Millisecond
)

// importJob runs one import in slices: read, parse and store about
// chunkFiles files, publish progress, yield to the event loop, and stop
// between slices once cancelled.
type importJob struct {
	store     func(ctx context.Context, files []library.File) ([]library.Result, error)
	publish   func(importState)
	cancelled atomic.Bool
	st        importState
	pending   []library.File
	size      int
}

// cancel asks the job to stop before its next slice.
func (j *importJob) cancel() { j.cancelled.Store(true) }

// run imports refs and returns the final state.
func (j *importJob) run(ctx context.Context, refs []fileRef) importState {
	j.st = importState{State: importRunning, Total: len(refs)}
	j.publish(j.snapshot())
	for _, ref := range refs {
		if j.cancelled.Load() {
			break
		}
		j.add(ctx, ref)
	}
	if !j.cancelled.Load() {
		j.flush(ctx)
	}
	j.st.State = importDone
	if j.cancelled.Load() {
		j.st.State = importCancelled
	}
	j.publish(j.snapshot())
	return j.snapshot()
}

// add reads one file (a zip gives its entries) and stores full slices.
func (j *importJob) add(ctx context.Context, ref fileRef) {
	files, reason := readRef(ctx, ref)
	if reason != "" {
		j.fail(ref.Name, reason)
		j.st.Done++
		return
	}
	j.st.Total += len(files) - 1
	for _, f := range files {
		j.pending = append(j.pending, f)
		j.size += len(f.Data)
		if len(j.pending) >= chunkFiles || j.size >= chunkBytes {
			j.flush(ctx)
			if j.cancelled.Load() {
				return
			}
		}
	}
}

// flush stores the pending files in one write, publishes progress and
// yields to the event loop.
func (j *importJob) flush(ctx context.Context) {
	if len(j.pending) == 0 {
		return
	}
	files := j.pending
	j.pending, j.size = nil, 0
	results, err := j.store(ctx, files)
	for i, f := range files {
		r := library.Result{Name: f.Name, Status: library.Failed, Err: err}
		if i < len(results) {
			r = results[i]
		}
		if r.Status == library.Failed {
			j.fail(f.Name, r.Reason())
		}
	}
	j.st.Done += len(files)
	j.publish(j.snapshot())
	time.Sleep(yieldPause)
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
		return nil, library.Result{Status: library.Failed, Err: parser.ErrTooLarge}.Reason()
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
		return nil, library.Result{Status: library.Failed, Err: err}.Reason()
	}
	for i := range files {
		files[i].Name = ref.Name + "/" + files[i].Name
	}
	if len(files) == 0 {
		return nil, library.Result{Status: library.Failed, Err: parser.ErrEmpty}.Reason()
	}
	return files, ""
}

// isZip reports whether a file name is a zip archive's.
func isZip(name string) bool {
	return strings.EqualFold(path.Ext(name), ".zip")
}
