//go:build js && wasm

package main

import (
	"context"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/store"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// openStore opens the library's IndexedDB database, named after the
// site's base path (a github.io origin is shared by all project sites),
// and asks the browser not to evict it.
// TODO(app): switch to app/store/indexeddb when it lands; memory until then.
func openStore(ctx context.Context, base string) (store.Store, error) {
	persist()
	return store.NewMemory(library.Tables()...), nil
}

// dbName is the IndexedDB database name for a site base path.
func dbName(base string) string { return "broadsheet:" + base }

// persist asks for persistent storage (best effort; the answer is ignored).
func persist() {
	if s := app.Window().Get("navigator").Get("storage"); s.Truthy() && s.Get("persist").Truthy() {
		s.Call("persist")
	}
}
