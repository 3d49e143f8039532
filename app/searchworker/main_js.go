//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall/js"
	"time"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/indexeddb"
)

func main() {
	if isParseWorker() {
		serveParse()
		return
	}
	w := &worker{
		open: func(ctx context.Context, db string, tables []string) (store.Store, error) {
			return indexeddb.Open(ctx, db, tables)
		},
		openArchive: openArchive,
	}
	debug.SetGCPercent(workerGOGC)
	search.LoadTables() // before "ready": the first query does not wait for them
	im := &importer{w: w}
	reqs := make(chan incoming, 64)
	self := js.Global()
	var received atomic.Int64 // microseconds in onmessage (the data copied into Go)
	self.Set("onmessage", js.FuncOf(func(this js.Value, args []js.Value) any {
		t := time.Now()
		in, ok := im.incomingOf(args[0].Get("data"))
		received.Add(time.Since(t).Microseconds())
		if ok {
			reqs <- in
		}
		return nil
	}))
	ctx := context.Background()
	// warm: the warm-up is still to run, once the library is open and no
	// request came for warmIdle (left out by benchmarks that measure what
	// it saves)
	warm := !strings.Contains(self.Get("location").Get("search").String(), "nowarm")
	self.Call("postMessage", `{"id":0,"ready":true}`)
	for {
		var in incoming
		waited := time.Now()
		if w.idle() && im.idle() {
			if (!warm || w.local == nil) && im.reparsing {
				select {
				case in = <-reqs:
				case <-time.After(reparseIdle):
					im.reparseStep(ctx) // its articles indexed when idle again
					continue
				}
			} else if !warm || w.local == nil {
				in = <-reqs
			} else {
				select {
				case in = <-reqs:
				case <-time.After(warmIdle):
					warm = false
					stop := requestWaiting(reqs)
					warmUp(ctx, stop)
					if !stop() && w.ix != nil {
						w.ix.Preload(ctx) // best effort: a query reads what it lacks
					}
					continue
				}
			}
		} else {
			select {
			case in = <-reqs:
			case <-time.After(flushIdle):
				post(self, w.flush(ctx))
				im.flushIdle(ctx)
				continue
			}
		}
		decoding := time.Now()
		var r request
		err := json.Unmarshal([]byte(in.msg), &r)
		if err == nil {
			err = in.fillDocs(&r)
		}
		if err != nil {
			post(self, []reply{{ID: r.ID, Err: "searchworker: bad request: " + err.Error()}})
			continue
		}
		if r.Op == "add" {
			w.spend("wait", decoding.Sub(waited))
			w.spend("decode", time.Since(decoding))
			w.spend("receive", time.Duration(received.Swap(0))*time.Microsecond)
		}
		if r.Op == "import" {
			post(self, []reply{im.handleImport(ctx, r, in)})
			continue
		}
		if r.Op == "export" {
			im.flush(ctx) // the articles imported so far are in it
			rep, blob := w.export(ctx, r)
			postBlob(self, rep, blob)
			continue
		}
		if r.Op != "search" {
			im.flush(ctx) // imported articles first: a delete must follow them
		}
		reps := w.handle(ctx, r)
		posting := time.Now()
		post(self, reps)
		if r.Op == "add" {
			w.spend("reply", time.Since(posting))
		}
		if r.Op == "open" {
			im.resume(ctx)       // indexed when the worker falls idle
			im.checkReparse(ctx) // parsed again when it is idle
		}
	}
}

// requestWaiting returns the warm-up's stop: whether a request came.
// Messages reach reqs only when the program waits (wasm has one
// thread): every warmYield of work it sleeps a moment so that they can.
func requestWaiting(reqs chan incoming) func() bool {
	last := time.Now()
	return func() bool {
		if time.Since(last) >= warmYield {
			time.Sleep(time.Millisecond)
			last = time.Now()
		}
		return len(reqs) > 0
	}
}

// warmIdle is how long the worker waits, idle after the library's open,
// before it warms up (then preloads the index's doc tables,
// search.Index.Preload): a query sent at once is answered first.
const warmIdle = 250 * time.Millisecond

// warmYield is how long the warm-up works between two looks for
// requests: what a query sent meanwhile waits at most, beside a warm
// search.
const warmYield = 20 * time.Millisecond

// workerGOGC is the worker's GOGC. The Go runtime in wasm never gives
// memory back, so the worker's memory is its heap's peak: while an add
// builds a segment, its buffers (~50 MB for 1,000 articles) beside the
// caches (up to 64 MB of pages, 16 MB of texts) made a live heap of
// ~110 MB, which the default GOGC of 100 let grow to twice that before
// collecting. Their bytes hold no pointers: a collection marks little,
// and collecting twice as often costs little.
const workerGOGC = 50

// post sends replies to the page, in JSON (message.Reply.AppendJSON).
func post(self js.Value, reps []reply) {
	for _, rep := range reps {
		out, err := rep.AppendJSON(nil)
		if err != nil {
			out, _ = (&reply{ID: rep.ID, Err: err.Error()}).AppendJSON(nil)
		}
		self.Call("postMessage", string(out))
	}
}
