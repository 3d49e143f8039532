//go:build js && wasm

package main

import (
	"context"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/indexeddb"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// openStore opens the library's IndexedDB database, named after the
// site's base path (a github.io origin is shared by all project sites),
// and asks the browser not to evict it. When another tab's upgrade closes
// the database, onClosed is called.
func openStore(ctx context.Context, base string, onClosed func()) (store.Store, error) {
	s, err := indexeddb.Open(ctx, dbName(base), library.Tables())
	if err != nil {
		return nil, err
	}
	go func() {
		<-s.Done()
		onClosed()
	}()
	persist()
	return s, nil
}

// dbName is the IndexedDB database name for a site base path.
func dbName(base string) string { return "broadsheet:" + base }

// persist asks for persistent storage (best effort; the answer is ignored).
func persist() {
	if s := app.Window().Get("navigator").Get("storage"); s.Truthy() && s.Get("persist").Truthy() {
		s.Call("persist")
	}
}
