//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The page talks to the index through web/search-worker.js, which runs
// app/searchworker (its doc gives the protocol); imports run there too
// (import_worker_js.go).

// workerStart bounds the time the worker may take to load.
const workerStart = 30 * time.Second

// maxQueued bounds the adds and deletes posted and not yet done, so that
// a big import does not pile its texts up in the worker's queue (which
// batches about 1,000 documents per add: app/searchworker/serve.go).
const maxQueued = 64

// openSearchIndex opens the index in the worker. Should the worker not
// start, search and import report it: the page's wasm holds neither the
// index engine nor the parser, to load fast (issue 4's size target).
func openSearchIndex(ctx context.Context, s store.Store) (searchIndex, error) {
	w, err := theWorker(ctx)
	if err != nil {
		setRootData("search-in", "none")
		return nil, fmt.Errorf("the search worker did not start: %w", err)
	}
	setRootData("search-in", "worker")
	return w, nil
}

// workerRequest and workerReply are app/searchworker's messages.
type (
	workerRequest = message.Request
	workerReply   = message.Reply
)

// workerIndex is the index in a Web Worker.
type workerIndex struct {
	w      app.Value
	queued chan struct{} // one token per add or delete in flight

	mu      sync.Mutex
	next    int
	pending map[int]chan workerReply
	blobs   map[int]app.Value // posted beside a reply (an export's zip), by its ID
}

// startWorker starts the worker and opens the library's database in it.
func startWorker(ctx context.Context) (*workerIndex, error) {
	ctor := app.Window().Get("Worker")
	if !ctor.Truthy() {
		return nil, errors.New("no Web Worker in this browser")
	}
	wi := &workerIndex{queued: make(chan struct{}, maxQueued), pending: map[int]chan workerReply{}, blobs: map[int]app.Value{}}
	ready := make(chan workerReply, 1)
	wi.pending[0] = ready
	url := app.Window().Get("location").Get("origin").String() + siteBase() + "web/search-worker.js"
	wi.w = ctor.New(url)
	wi.w.Set("onmessage", app.FuncOf(func(this app.Value, args []app.Value) any {
		wi.receive(args[0].Get("data"))
		return nil
	}))
	wi.w.Set("onerror", app.FuncOf(func(this app.Value, args []app.Value) any {
		wi.deliver(workerReply{ID: 0, Err: "the worker failed to load"})
		return nil
	}))
	select {
	case r := <-ready:
		if r.Err != "" {
			wi.w.Call("terminate")
			return nil, errors.New(r.Err)
		}
	case <-time.After(workerStart):
		wi.w.Call("terminate")
		return nil, errors.New("the worker did not answer")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	open := workerRequest{Op: "open", DB: dbName(siteBase()), Tables: storeTables(), Texts: message.TextsLibrary}
	if hosted != nil {
		open.Archive = hosted.url
	}
	r, err := wi.call(ctx, open)
	if err != nil {
		wi.w.Call("terminate")
		return nil, err
	}
	if r.HostedErr != "" {
		app.Log("broadsheet: the search worker could not open the archive's index:", r.HostedErr)
	}
	setRootData("search-hosted", r.Hosted != nil)
	return wi, nil
}

// receive hands a reply to its caller: a reply's JSON, or {reply: its
// JSON, blob} for a reply with a Blob beside it (see callBlob).
func (wi *workerIndex) receive(data app.Value) {
	var blob app.Value
	if data.Type() == app.TypeObject {
		data, blob = data.Get("reply"), data.Get("blob")
	}
	var r workerReply
	if err := json.Unmarshal([]byte(data.String()), &r); err != nil {
		app.Log("broadsheet: search worker: bad reply:", err)
		return
	}
	if blob != nil {
		wi.mu.Lock()
		wi.blobs[r.ID] = blob
		wi.mu.Unlock()
	}
	wi.deliver(r)
}

// callBlob sends a request and waits for its reply and the Blob posted
// beside it.
func (wi *workerIndex) callBlob(ctx context.Context, req workerRequest) (workerReply, app.Value, error) {
	r, err := wi.call(ctx, req)
	wi.mu.Lock()
	blob := wi.blobs[r.ID]
	delete(wi.blobs, r.ID)
	wi.mu.Unlock()
	if err == nil && (blob == nil || !blob.Truthy()) {
		err = errors.New("worker: no file came with the reply")
	}
	return r, blob, err
}

func (wi *workerIndex) deliver(r workerReply) {
	wi.mu.Lock()
	ch, ok := wi.pending[r.ID]
	delete(wi.pending, r.ID)
	wi.mu.Unlock()
	if ok {
		ch <- r
	}
}

// post sends a request and returns the channel its reply comes on. With
// files (a JS array of File objects, or nil) it posts {req, files}, the
// files cloned to the worker beside the request's JSON.
func (wi *workerIndex) post(req workerRequest, files app.Value) (chan workerReply, error) {
	wi.mu.Lock()
	wi.next++
	req.ID = wi.next
	ch := make(chan workerReply, 1)
	wi.pending[req.ID] = ch
	wi.mu.Unlock()
	data, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	if files == nil {
		wi.w.Call("postMessage", string(data))
		return ch, nil
	}
	msg := app.Window().Get("Object").New()
	msg.Set("req", string(data))
	msg.Set("files", files)
	wi.w.Call("postMessage", msg)
	return ch, nil
}

// call sends a request and waits for its reply.
func (wi *workerIndex) call(ctx context.Context, req workerRequest) (workerReply, error) {
	return wi.callWithFiles(ctx, req, nil)
}

// callWithFiles sends a request with files beside it (or nil) and waits
// for its reply.
func (wi *workerIndex) callWithFiles(ctx context.Context, req workerRequest, files app.Value) (workerReply, error) {
	ch, err := wi.post(req, files)
	if err != nil {
		return workerReply{}, err
	}
	return awaitReply(ctx, ch)
}

// awaitReply waits for the reply on ch, or for ctx to end.
func awaitReply(ctx context.Context, ch <-chan workerReply) (workerReply, error) {
	select {
	case r := <-ch:
		if r.Err != "" {
			return r, fmt.Errorf("worker: %s", r.Err)
		}
		return r, nil
	case <-ctx.Done():
		return workerReply{}, ctx.Err()
	}
}

// send posts a change without waiting for it (at most maxQueued in
// flight); a failure is logged.
func (wi *workerIndex) send(ctx context.Context, req workerRequest) error {
	select {
	case wi.queued <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	ch, err := wi.post(req, nil)
	if err != nil {
		<-wi.queued
		return err
	}
	go func() {
		r := <-ch
		<-wi.queued
		if r.Err != "" {
			app.Log("broadsheet: search worker:", r.Err)
		}
	}()
	return nil
}

func (wi *workerIndex) Add(ctx context.Context, docs ...search.Doc) error {
	return wi.send(ctx, workerRequest{Op: "add", Docs: docs})
}

func (wi *workerIndex) Delete(ctx context.Context, ids ...string) error {
	return wi.send(ctx, workerRequest{Op: "delete", IDs: ids})
}

func (wi *workerIndex) Search(ctx context.Context, q string, opt search.Options) (*search.Results, error) {
	r, err := wi.call(ctx, workerRequest{Op: "search", Q: q, Sort: opt.Sort, Limit: opt.Limit})
	if err != nil {
		return nil, err
	}
	if r.Results == nil {
		return &search.Results{}, nil
	}
	return r.Results, nil
}

func (wi *workerIndex) Stats(ctx context.Context) (search.Stats, error) {
	r, err := wi.call(ctx, workerRequest{Op: "stats"})
	if err != nil || r.Stats == nil {
		return search.Stats{}, err
	}
	return *r.Stats, nil
}
