//go:build js && wasm

package indexeddb

import (
	"context"
	"syscall/js"
)

// outcome is how an IndexedDB request or transaction ended.
type outcome struct {
	v   js.Value
	err error
}

// handlers sets JavaScript event handlers on target that send their
// outcome, and returns the channel and a release for the handlers. A
// handler returning a nil outcome sends nothing; each of the others sends
// at most once, so the channel never blocks a handler.
func handlers(target js.Value, events map[string]func(js.Value) *outcome) (<-chan outcome, func()) {
	ch := make(chan outcome, len(events))
	var funcs []js.Func
	for name, fn := range events {
		sent := false
		f := js.FuncOf(func(this js.Value, args []js.Value) any {
			var ev js.Value
			if len(args) > 0 {
				ev = args[0]
			}
			if o := fn(ev); o != nil && !sent {
				sent = true
				ch <- *o
			}
			return nil
		})
		funcs = append(funcs, f)
		target.Set(name, f)
	}
	return ch, func() {
		for _, f := range funcs {
			f.Release()
		}
	}
}

// await waits for a request's success or error.
func await(ctx context.Context, req js.Value) (js.Value, error) {
	ch, release := handlers(req, map[string]func(js.Value) *outcome{
		"onsuccess": func(js.Value) *outcome { return &outcome{v: req.Get("result")} },
		"onerror": func(ev js.Value) *outcome {
			ev.Call("preventDefault")
			return &outcome{err: domError(req.Get("error"))}
		},
	})
	select {
	case o := <-ch:
		release()
		return o.v, o.err
	case <-ctx.Done():
		return js.Undefined(), ctx.Err() // the handlers stay set: they may still fire
	}
}

// awaitAll waits for every request of reqs, setting all their handlers
// before waiting for any, and returns their results in order.
func awaitAll(ctx context.Context, reqs []js.Value) ([]js.Value, error) {
	type waiting struct {
		ch      <-chan outcome
		release func()
	}
	ws := make([]waiting, len(reqs))
	for i, req := range reqs {
		ws[i].ch, ws[i].release = handlers(req, map[string]func(js.Value) *outcome{
			"onsuccess": func(js.Value) *outcome { return &outcome{v: req.Get("result")} },
			"onerror": func(ev js.Value) *outcome {
				ev.Call("preventDefault")
				return &outcome{err: domError(req.Get("error"))}
			},
		})
	}
	results := make([]js.Value, len(reqs))
	for i, w := range ws {
		select {
		case o := <-w.ch:
			w.release()
			if o.err != nil {
				return nil, o.err // the handlers left set may still fire
			}
			results[i] = o.v
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return results, nil
}

// awaitTx waits for a transaction to complete or abort. When ctx is done
// first, it aborts the transaction: nothing of it is written.
func awaitTx(ctx context.Context, tx js.Value) error {
	ch, release := handlers(tx, map[string]func(js.Value) *outcome{
		"oncomplete": func(js.Value) *outcome { return &outcome{} },
		"onabort":    func(js.Value) *outcome { return &outcome{err: domError(tx.Get("error"))} },
	})
	select {
	case o := <-ch:
		release()
		return o.err
	case <-ctx.Done():
		try(func() { tx.Call("abort") })
		return ctx.Err()
	}
}
