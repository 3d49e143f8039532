//go:build !(js && wasm)

package main

import (
	"context"

	"github.com/broadsheet/broadsheet/app/store"
)

// openStore opens an in-memory store natively.
func openStore(ctx context.Context, base string, onClosed func()) (store.Store, error) {
	return store.NewMemory(storeTables()...), nil
}
