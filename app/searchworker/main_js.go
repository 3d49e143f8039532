//go:build js && wasm

package main

import (
	"context"
	"runtime/debug"
	"slices"
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
			if cancel := warmCancel.Swap(nil); cancel != nil {
				(*cancel)() // the warm-up under way stops at its next wait
			}
		}
		return nil
	}))
	ctx := context.Background()
	// warm: the warm-up is still to run, once the library is open and
	// the worker idle (left out by benchmarks that measure what it saves)
	warm := !strings.Contains(self.Get("location").Get("search").String(), "nowarm")
	self.Call("postMessage", `{"id":0,"ready":true}`)
	// idle is the work an open leaves for when the worker falls idle, in
	// order: each task runs once no request came for its wait
	var idle []idleTask
	for {
		var in incoming
		waited := time.Now()
		if w.idle() && im.idle() && len(idle) > 0 {
			select {
			case in = <-reqs:
			case <-time.After(idle[0].wait):
				t := idle[0]
				idle = idle[1:]
				t.run()
				continue
			}
		} else if w.idle() && im.idle() {
			if im.reparsing {
				select {
				case in = <-reqs:
				case <-time.After(reparseIdle):
					im.reparseStep(ctx) // its articles indexed when idle again
					continue
				}
			} else {
				in = <-reqs
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
		r, err := in.decode()
		if err != nil {
			post(self, []reply{{ID: r.ID, Err: "searchworker: bad request: " + err.Error()}})
			continue
		}
		if !readOnly(r.Op) {
			idle = runBeforeWrites(idle)
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
		if r.Op == "open" && w.local != nil {
			idle = openTasks(ctx, w, im, reqs, &warm)
		}
	}
}

// openTasks returns the work an open leaves for when the worker falls
// idle: afterOpen, and while *warm, a first warm-up on the library's own
// index (warmIndex) before it, and the warm-up (warmAndPreload) after
// it, which clears *warm.
func openTasks(ctx context.Context, w *worker, im *importer, reqs chan incoming, warm *bool) []idleTask {
	tasks := []idleTask{{wait: warmIdle, run: func() { afterOpen(ctx, im) }, beforeWrites: true}}
	if !*warm {
		return tasks
	}
	early := idleTask{wait: warmEarly, run: func() {
		ctx, done := cancellable(ctx)
		defer done()
		warmIndex(ctx, w.ix, requestWaiting(reqs))
	}}
	return append([]idleTask{early}, append(tasks, idleTask{run: func() {
		*warm = false
		ctx, done := cancellable(ctx)
		defer done()
		warmAndPreload(ctx, w, reqs)
	}})...)
}

// warmCancel cancels the context of the warm-up under way, if any: a
// request that comes stops it at once, not after the search or the read
// under way (a wait for IndexedDB lets the request in, and the search
// then ends at the wait, search.Index.Search honouring ctx).
var warmCancel atomic.Pointer[context.CancelFunc]

// cancellable returns a context that a request's coming cancels
// (warmCancel), and the function to call when the work under it ends.
func cancellable(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	warmCancel.Store(&cancel)
	return ctx, func() {
		warmCancel.Store(nil)
		cancel()
	}
}

// warmAndPreload warms the worker's code (warmUp), then preloads the
// index's doc tables (search.Index.Preload), until a request comes.
func warmAndPreload(ctx context.Context, w *worker, reqs chan incoming) {
	stop := requestWaiting(reqs)
	warmUp(ctx, stop)
	if !stop() && w.ix != nil {
		w.ix.Preload(ctx) // best effort: a query reads what it lacks
	}
}

// idleTask is work that waits until the worker has been idle for wait
// (no request came); beforeWrites, it must also run before any request
// that is not readOnly.
type idleTask struct {
	wait         time.Duration
	run          func()
	beforeWrites bool
}

// runBeforeWrites runs the tasks that must come before a write and
// returns the others.
func runBeforeWrites(tasks []idleTask) []idleTask {
	return slices.DeleteFunc(tasks, func(t idleTask) bool {
		if t.beforeWrites {
			t.run()
		}
		return t.beforeWrites
	})
}

// afterOpen is the work that follows the library's open: the articles
// whose indexing an earlier worker left undone are queued (indexed when
// the worker falls idle), and whether articles stored by an older parser
// are to be parsed again is checked (parsed when it is idle). It waits
// until the worker has been idle for warmIdle after the open, or until a
// request that is not readOnly comes (the writes follow it, in the order
// they had): done at once, its code cold in a fresh worker, it held up a
// search sent right after the open by ~30 ms (checkReparse's).
func afterOpen(ctx context.Context, im *importer) {
	im.resume(ctx)
	im.checkReparse(ctx)
}

// readOnly reports whether an op only reads the index: it may be
// answered before afterOpen.
func readOnly(op string) bool { return op == "search" || op == "stats" || op == "mem" }

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

// warmEarly is how long the worker waits, idle after the library's
// open, before it searches the library's own index to warm the code of a
// query (warmIndex). In the app (BenchmarkBrowserFirstQuery10k) a query
// typed as the library is drawn comes 130-185 ms after the open's reply,
// and warmIndex, ~100 ms of cold code, is over by then; but the page is
// still drawing the library in the first tens of ms after the open: at
// 20 ms the warm-up's CPU delayed the drawing (drawn a median 35 ms
// after the open was posted, against 22 without it; 16 at 60 ms).
const warmEarly = 60 * time.Millisecond

// warmIdle is how long the worker waits, idle after the library's open
// (and warmIndex), before the work that follows an open (afterOpen), then
// the warm-up (warmUp, then search.Index.Preload): a query sent at once
// is answered first.
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
