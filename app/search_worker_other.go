//go:build !(js && wasm)

package main

import (
	"context"

	"github.com/broadsheet/broadsheet/app/store"
)

// openSearchIndex opens the index in this process natively.
func openSearchIndex(ctx context.Context, s store.Store) (searchIndex, error) {
	return openLocalIndex(ctx, s)
}
