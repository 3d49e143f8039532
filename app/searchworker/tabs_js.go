//go:build js && wasm

package main

import (
	"context"
	"errors"
	"sync/atomic"
	"syscall/js"
)

// browserTabs coordinates through the Web Locks API (one lock named after
// the database) and a BroadcastChannel of the same name. Without them (an
// old browser) a worker behaves as if alone.
type browserTabs struct {
	name  string
	locks js.Value
	ch    js.Value
	dirty atomic.Bool
}

func newTabs(db string) tabs {
	t := &browserTabs{name: "broadsheet-index:" + db, locks: js.Global().Get("navigator").Get("locks")}
	if bc := js.Global().Get("BroadcastChannel"); bc.Truthy() {
		t.ch = bc.New(t.name)
		t.ch.Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any { // lives as long as the worker
			t.dirty.Store(true)
			return nil
		}))
	}
	return t
}

func (t *browserTabs) exclusive(ctx context.Context, fn func() error) error {
	if !t.locks.Truthy() {
		return fn()
	}
	done := make(chan error, 1)
	granted := js.FuncOf(func(js.Value, []js.Value) any {
		// The lock is held until the promise returned here settles: fn
		// runs in a goroutine (a callback must not block) and resolves it.
		var exec js.Func
		exec = js.FuncOf(func(_ js.Value, args []js.Value) any {
			resolve := args[0]
			go func() {
				err := fn()
				done <- err
				resolve.Invoke()
			}()
			return nil
		})
		p := js.Global().Get("Promise").New(exec)
		exec.Release() // the executor has run
		return p
	})
	defer granted.Release()
	failed := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "the lock was refused"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		done <- errors.New("searchworker: write lock: " + msg)
		return nil
	})
	defer failed.Release()
	t.locks.Call("request", t.name, granted).Call("catch", failed)
	// The lock is waited for even when ctx ends: once granted, fn runs
	// and sees ctx itself.
	return <-done
}

func (t *browserTabs) changed() {
	if t.ch.Truthy() {
		t.ch.Call("postMessage", "changed")
	}
}

func (t *browserTabs) stale() bool { return t.dirty.Swap(false) }
