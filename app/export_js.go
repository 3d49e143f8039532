//go:build js && wasm

package main

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// exportArchive has the worker write the library's original files into
// a zip archive (a Blob) and offers it to save as name. It returns the
// number of files.
func exportArchive(ctx context.Context, name string) (int, error) {
	wi, err := theWorker(ctx)
	if err != nil {
		return 0, err
	}
	r, blob, err := wi.callBlob(ctx, workerRequest{Op: "export"})
	if err != nil {
		return 0, err
	}
	saveBlob(blob, name)
	return r.Count, nil
}

// saveBlob offers blob as the file name: a Blob URL clicked from a
// detached link, revoked a minute later.
func saveBlob(blob app.Value, name string) {
	w := app.Window()
	url := w.Get("URL").Call("createObjectURL", blob)
	a := w.Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	a.Call("click")
	var revoke app.Func
	revoke = app.FuncOf(func(this app.Value, args []app.Value) any {
		w.Get("URL").Call("revokeObjectURL", url)
		revoke.Release()
		return nil
	})
	w.Call("setTimeout", revoke, 60000)
}
