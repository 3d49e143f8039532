//go:build js && wasm

package main

import (
	"context"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/indexeddb"
)

// openStore opens the library's IndexedDB database, named after the
// site's base path (a github.io origin is shared by all project sites).
// When another tab's upgrade closes the database, onClosed is called.
// Persistent storage is asked for after the first import
// (storage_actions.go).
func openStore(ctx context.Context, base string, onClosed func()) (store.Store, error) {
	s, err := indexeddb.Open(ctx, dbName(base), storeTables())
	if err != nil {
		return nil, err
	}
	go func() {
		<-s.Done()
		onClosed()
	}()
	return s, nil
}
