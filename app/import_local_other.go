//go:build !(js && wasm)

package main

import (
	"context"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// importDepth is the slices in the store at once: one, in this thread.
const importDepth = 1

// importStore imports in this thread natively (there is no worker):
// library.Import and the index.
func importStore(actx app.Context, l *library.Library, times *importTimes) storeFn {
	return localStore(func(ctx context.Context, files []library.File) ([]library.Result, error) {
		return importAndIndex(actx, ctx, l, files)
	}, times)
}

// cancelImportSlices does nothing: the slices are stored in this
// thread, one at a time.
func cancelImportSlices() {}

// importSamples imports the sample articles in this thread.
func importSamples(ctx context.Context, l *library.Library, files []library.File) error {
	_, err := l.Import(ctx, files)
	return err
}
