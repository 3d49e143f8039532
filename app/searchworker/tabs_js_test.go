//go:build js && wasm

package main

import (
	"testing"
	"time"
)

// told waits, a second at most, until the change another worker posted
// reaches w: a BroadcastChannel delivers it as the event loop turns,
// which a test calling handle again and again never lets it do (the
// app's tabs are apart by more than that).
func told(t *testing.T, w *worker) {
	t.Helper()
	bt, ok := w.tabs.(*browserTabs)
	if !ok || !bt.ch.Truthy() {
		return
	}
	for i := 0; i < 1000 && !bt.dirty.Load(); i++ {
		time.Sleep(time.Millisecond)
	}
	if !bt.dirty.Load() {
		t.Fatal("another worker's change did not reach this one")
	}
}
