//go:build js && wasm

package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// download saves data as a file named name: a Blob URL clicked from a
// detached link, revoked a minute later.
func download(name, mime string, data []byte) error {
	w := app.Window()
	u8 := w.Get("Uint8Array").New(len(data))
	app.CopyBytesToJS(u8, data)
	blob := w.Get("Blob").New([]any{u8}, map[string]any{"type": mime})
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
	return nil
}
