//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"syscall/js"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
)

// blobChunk is the size of the pieces an export is kept in: each becomes
// a Blob, which the browser may keep on disk, so that a large export
// does not sit in the wasm memory.
const blobChunk = 4 << 20

// blobWriter is an io.Writer into Blob pieces.
type blobWriter struct {
	parts js.Value // Array of Blob
	buf   []byte
}

func newBlobWriter() *blobWriter {
	return &blobWriter{parts: js.Global().Get("Array").New(), buf: make([]byte, 0, blobChunk)}
}

// Write implements io.Writer.
func (b *blobWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := min(len(p), blobChunk-len(b.buf))
		b.buf = append(b.buf, p[:k]...)
		p = p[k:]
		if len(b.buf) == blobChunk {
			b.flush()
		}
	}
	return n, nil
}

// flush moves the buffered bytes into a Blob piece.
func (b *blobWriter) flush() {
	if len(b.buf) == 0 {
		return
	}
	u8 := js.Global().Get("Uint8Array").New(len(b.buf))
	js.CopyBytesToJS(u8, b.buf)
	b.parts.Call("push", js.Global().Get("Blob").New([]any{u8}))
	b.buf = b.buf[:0]
}

// blob returns the pieces written as one Blob of type mime.
func (b *blobWriter) blob(mime string) js.Value {
	b.flush()
	return js.Global().Get("Blob").New(b.parts, map[string]any{"type": mime})
}

// export answers an "export": the local library's original files in a
// zip (exportLibrary), as a Blob to post beside the reply (Count is the
// number of files).
func (w *worker) export(ctx context.Context, r request) (reply, js.Value) {
	rep := reply{ID: r.ID}
	if w.local == nil {
		rep.Err = "searchworker: export before open"
		return rep, js.Null()
	}
	lib, err := library.Open(ctx, w.local)
	if err != nil {
		rep.Err = err.Error()
		return rep, js.Null()
	}
	bw := newBlobWriter()
	if rep.Count, err = exportLibrary(ctx, lib, bw, time.Now()); err != nil {
		rep.Err = err.Error()
		return rep, js.Null()
	}
	return rep, bw.blob("application/zip")
}

// postBlob sends rep with blob beside it, as {reply: its JSON, blob}.
func postBlob(self js.Value, rep reply, blob js.Value) {
	out, err := json.Marshal(rep)
	if err != nil {
		post(self, []reply{{ID: rep.ID, Err: err.Error()}})
		return
	}
	msg := js.Global().Get("Object").New()
	msg.Set("reply", string(out))
	msg.Set("blob", blob)
	self.Call("postMessage", msg)
}
