//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// In the browser an import runs in the search worker (app/searchworker,
// import.go there): the page posts each slice's File objects to it, and
// the worker reads, parses, stores and indexes them and answers with one
// result per file. The page's thread only walks the file lists and
// draws the progress, and its wasm holds no parser.

// errNoImportWorker is the failure of an import when the worker did not start.
var errNoImportWorker = errors.New("the import worker did not start (reload the page)")

// importDepth is the slices posted to the worker at once: its parse
// workers parse the next while it stores the last, and the one after is
// read meanwhile (with two, a parse worker often had nothing to parse
// while the page took the snapshots of the next slice: the worker waited
// for it 1.25 ms an article of 4.6).
const importDepth = 3

// importStore imports slices of refs in the worker. (The worker takes
// them in order; a background index build, which runs only on a library
// without an index, may then index an article before its newer copy.)
func importStore(actx app.Context, l *library.Library, times *importTimes) storeFn {
	return func(ctx context.Context, refs []fileRef, last bool) ([]library.Result, error) {
		ix, _ := openIndex(actx)
		wi, ok := ix.(*workerIndex)
		if !ok {
			return nil, errNoImportWorker
		}
		results, err := wi.importRefs(ctx, refs, last, times)
		if err != nil {
			reportStorageError(actx, err)
		}
		return results, err
	}
}

// importRefs posts refs to the worker, last when they are an import's
// last slice, and waits for its results. Refs without a File (files
// opened by the installed app) are read here and posted as bytes; refs
// to a list's Files go with no name (the worker reads it).
func (wi *workerIndex) importRefs(ctx context.Context, refs []fileRef, last bool, times *importTimes) ([]library.Result, error) {
	req := workerRequest{Op: "import", DB: dbName(siteBase()), Tables: storeTables(), Brief: true, Last: last}
	files := app.Window().Get("Array").New()
	var results []library.Result
	for i := 0; i < len(refs); i++ {
		r := refs[i]
		if r.list != nil { // a run of the list's Files: sliced in one call, names read by the worker
			j := i + 1
			for j < len(refs) && refs[j].list == r.list && refs[j].index == r.index+j-i {
				j++
			}
			files = files.Call("concat", r.list.files.Call("slice", r.index, r.index+j-i))
			for range j - i {
				req.Names, req.Modified = append(req.Names, ""), append(req.Modified, 0)
			}
			i = j - 1
			continue
		}
		v, err := refValue(ctx, r)
		if err != nil {
			results = append(results, library.Result{Name: r.Name, Status: library.Failed, Err: err})
			continue
		}
		req.Names = append(req.Names, r.Name)
		var ms int64 // 0: unknown (the worker asks the File)
		if !r.Modified.IsZero() {
			ms = r.Modified.UnixMilli()
		}
		req.Modified = append(req.Modified, ms)
		files.Call("push", v)
	}
	if len(req.Names) == 0 {
		return results, nil
	}
	rep, err := wi.postImport(ctx, req, files)
	if err != nil {
		return results, err
	}
	if rep.Cancelled {
		return results, errSliceCancelled
	}
	times.add(time.Duration(rep.ReadMicros)*time.Microsecond, time.Duration(rep.Micros)*time.Microsecond)
	setRootData("import-parsers", rep.Parsers) // for benchmarks: 0 when the worker parsed alone
	addStages(rep.Stages)
	var stored error
	for _, r := range replyResults(rep) {
		if r.Status == library.Failed && stored == nil && storageFailure(r.Err) {
			stored = r.Err
		}
		results = append(results, r)
	}
	return results, stored
}

// Giving a File to the worker costs the page's thread a synchronous call
// into the browser's process the first time: its size and time are read
// from the disk (a snapshot) when it is cloned, or when either is first
// asked for (0.3-0.6 ms a file measured here unloaded; 10 ms and more
// under load). A snapshot is taken once: a File whose time was read is
// cloned at no cost (200 in 0.6 ms). So a slice's Files are first
// snapshotted a few at a time, by asking JSON.stringify for their
// lastModified (one call into the browser for several Files, none per
// File from Go), the page yielding once a task has spent postBudget on
// them; then the slice is posted in one message.
const (
	postBudget = 10 * time.Millisecond
	// snapTarget is the time one snapshot call aims at, and
	// maxSnapFiles the Files it asks for at most.
	snapTarget   = 2 * time.Millisecond
	maxSnapFiles = 16
)

// importPosting keeps the posts of one slice together: importDepth
// slices are in flight at once, and the worker takes them in the order
// they come.
var importPosting sync.Mutex

// snapshots takes the snapshots of Files a few at a time (postBudget),
// learning how long one takes.
var snapshots struct {
	perFile time.Duration // smoothed time of one File's snapshot
	task    time.Time     // when the current task began taking them
}

// snapshotFiles reads the time of each of files (see postBudget),
// yielding between tasks. It is called under importPosting.
func snapshotFiles(files app.Value) {
	n := files.Length()
	keys := app.ValueOf([]any{"lastModified"})
	stringify := app.Window().Get("JSON")
	sn := &snapshots
	if sn.perFile == 0 {
		sn.perFile = time.Millisecond
	}
	if time.Since(sn.task) > postBudget {
		sn.task = time.Now()
	}
	for i := 0; i < n; {
		if time.Since(sn.task) > postBudget {
			time.Sleep(yieldPause)
			sn.task = time.Now()
		}
		k := min(max(int(snapTarget/sn.perFile), 1), maxSnapFiles, n-i)
		start := time.Now()
		stringify.Call("stringify", files.Call("slice", i, i+k), keys)
		sn.perFile = (3*sn.perFile + time.Since(start)/time.Duration(k)) / 4
		i += k
	}
}

// postImport takes the snapshots of an import request's files, posts
// them with it in one message and waits for its reply.
func (wi *workerIndex) postImport(ctx context.Context, req workerRequest, files app.Value) (workerReply, error) {
	importPosting.Lock()
	snapshotFiles(files)
	ch, err := wi.post(req, files)
	importPosting.Unlock()
	if err != nil {
		return workerReply{}, err
	}
	return awaitReply(ctx, ch)
}

// addStages adds an import's stage times (µs) to window.__importStages,
// for benchmarks.
func addStages(st map[string]int64) {
	sum := app.Window().Get("__importStages")
	if !sum.Truthy() {
		sum = app.Window().Get("Object").New()
		app.Window().Set("__importStages", sum)
	}
	for k, v := range st {
		if prev := sum.Get(k); prev.Type() == app.TypeNumber {
			v += int64(prev.Float())
		}
		sum.Set(k, v)
	}
}

// storageFailure reports whether err is the store's, not the file's.
func storageFailure(err error) bool {
	switch library.ErrorCode(err) {
	case "quota", "closed", "blocked", "version":
		return true
	}
	return false
}

// refValue is what is posted for a ref: its File, else its bytes.
func refValue(ctx context.Context, r fileRef) (app.Value, error) {
	if r.blob != nil {
		return r.blob, nil
	}
	if library.TooLarge(r.Name, r.Size) {
		return nil, library.ErrTooLarge(r.Size)
	}
	data, err := r.read(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w (%v)", library.ErrUnreadable, err)
	}
	u := app.Window().Get("Uint8Array").New(len(data))
	app.CopyBytesToJS(u, data)
	return u, nil
}

// sharedWorker is the one worker of the page: the search index's and the
// imports'.
var sharedWorker struct {
	once sync.Once
	wi   *workerIndex
	err  error
}

// theWorker starts the worker once (it needs no open library, so the
// samples can be imported while the library opens).
func theWorker(ctx context.Context) (*workerIndex, error) {
	sharedWorker.once.Do(func() { sharedWorker.wi, sharedWorker.err = startWorker(ctx) })
	return sharedWorker.wi, sharedWorker.err
}

// cancelImportSlices tells the worker that the running import is
// cancelled: it answers the slices it has not begun to store at once,
// unstored (message.CancelOp).
func cancelImportSlices() {
	wi, err := theWorker(context.Background())
	if err != nil {
		return
	}
	msg := app.Window().Get("Object").New()
	msg.Set("req", `{"op":"`+message.CancelOp+`"}`)
	msg.Set("files", app.Window().Get("Array").New())
	wi.w.Call("postMessage", msg)
}

// importSamples imports the sample articles in the worker, which indexes
// them too.
func importSamples(ctx context.Context, l *library.Library, files []library.File) error {
	wi, err := theWorker(ctx)
	if err != nil {
		return err
	}
	refs := make([]fileRef, len(files))
	for i, f := range files {
		data := f.Data
		refs[i] = fileRef{Name: f.Name, Size: int64(len(data)), Modified: f.Modified,
			read: func(context.Context) ([]byte, error) { return data, nil }}
	}
	_, err = wi.importRefs(ctx, refs, true, &importTimes{})
	return err
}
