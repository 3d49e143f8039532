//go:build js && wasm

package main

import (
	"context"
	"sync/atomic"
	"syscall/js"

	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/weblock"
)

// browserTabs coordinates through the Web Locks API (the database's
// message.WriteLock, app/weblock) and a BroadcastChannel of the same name.
// Without them (an old browser) a worker behaves as if alone.
type browserTabs struct {
	name  string
	ch    js.Value
	dirty atomic.Bool
}

func newTabs(db string) tabs {
	t := &browserTabs{name: message.WriteLock(db)}
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
	return weblock.Exclusive(ctx, t.name, fn)
}

func (t *browserTabs) changed() {
	if t.ch.Truthy() {
		t.ch.Call("postMessage", "changed")
	}
}

func (t *browserTabs) stale() bool { return t.dirty.Swap(false) }
