//go:build js && wasm

package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// downloadChunk is the size of the pieces a download is kept in: each
// becomes a Blob, which the browser may keep on disk, so a large export
// does not sit in the wasm memory.
const downloadChunk = 4 << 20

// download is a file being written for the user to save: Blob pieces.
type download struct {
	mime  string
	parts app.Value // Array of Blob
	buf   []byte
}

// newDownload starts a download of the given media type.
func newDownload(mime string) *download {
	return &download{mime: mime, parts: app.Window().Get("Array").New(), buf: make([]byte, 0, downloadChunk)}
}

// Write implements io.Writer.
func (d *download) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), downloadChunk-len(d.buf))
		d.buf = append(d.buf, p[:k]...)
		p = p[k:]
		if len(d.buf) == downloadChunk {
			d.flush()
		}
	}
	return n, nil
}

// flush moves the buffered bytes into a Blob piece.
func (d *download) flush() {
	if len(d.buf) == 0 {
		return
	}
	w := app.Window()
	u8 := w.Get("Uint8Array").New(len(d.buf))
	app.CopyBytesToJS(u8, d.buf)
	d.parts.Call("push", w.Get("Blob").New([]any{u8}))
	d.buf = d.buf[:0]
}

// save offers the file as name: a Blob URL clicked from a detached link,
// revoked a minute later.
func (d *download) save(name string) error {
	d.flush()
	w := app.Window()
	blob := w.Get("Blob").New(d.parts, map[string]any{"type": d.mime})
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
