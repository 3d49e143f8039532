//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"syscall/js"
	"time"

	"github.com/broadsheet/broadsheet/app/library"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
	"github.com/broadsheet/broadsheet/app/store/indexeddb"
)

// The worker and its parse workers write to IndexedDB in bulk (an
// import's records, the index's pages): their stores queue a write's
// requests by one call into JavaScript (the page's do not).
func init() { indexeddb.UseBatchCalls() }

// incoming is one message from the page: a JSON request, and for an
// "import" the files posted beside it and, when parse workers run, their
// parsing of them, started as the message arrived.
type incoming struct {
	msg     string
	files   js.Value
	parsing *parsing
	// titles and texts are those of an "add" posted as an object
	// (add_js.go)
	titles, texts js.Value
}

// stashed is the files sent ahead of the next import.
var stashed []js.Value

// incomingOf reads a message event's data: a JSON string, or an object
// {req: JSON, files: [File|Blob|Uint8Array…]} for an import, whose files
// it hands to the parse workers (started on the first import) at once.
// A message {req: {"op":"files"}, files} brings the first files of the
// next import ahead of it (the page clones Files a few at a time: each
// costs it a call into the browser's process): they are kept, with no
// request to handle (ok false), and go before the import's own.
func (im *importer) incomingOf(data js.Value) (in incoming, ok bool) {
	if data.Type() == js.TypeString {
		return incoming{msg: data.String()}, true
	}
	in = incoming{msg: data.Get("req").String(), files: data.Get("files")}
	if texts := data.Get("texts"); isArray(texts) {
		in.titles, in.texts = data.Get("titles"), texts
		return in, true
	}
	var r request
	if json.Unmarshal([]byte(in.msg), &r) != nil || !isArray(in.files) {
		return in, true
	}
	if r.Op == message.FilesOp {
		stashed = append(stashed, in.files)
		return in, false
	}
	if r.Op == message.CancelOp {
		im.cancelReceived()
		return in, false
	}
	if r.Op != "import" {
		return in, true
	}
	im.importReceived(r.ID)
	if len(stashed) > 0 {
		in.files = js.Global().Get("Array").New().Call("concat", append(toAny(stashed), in.files)...)
		stashed = nil
	}
	if len(r.Names) != in.files.Length() {
		return in, true
	}
	if !im.poolTried {
		im.poolTried, im.pool = true, newParsePool()
	}
	if im.pool != nil {
		in.parsing = im.pool.dispatch(r, in.files)
	}
	return in, true
}

// toAny is vs as arguments of a JavaScript call.
func toAny(vs []js.Value) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

// isArray reports whether v is a JavaScript array.
func isArray(v js.Value) bool {
	return v.Truthy() && js.Global().Get("Array").Call("isArray", v).Bool()
}

// readPosted reads the posted files of an import request, in order: the
// Files together (readTogether; pre, when an ArrayBuffer, is their read
// made ahead: readAhead), else each on its own, concurrently (each read
// waits on the browser). A file too large, or one that cannot be read,
// comes back with Err set.
func readPosted(files js.Value, r request, pre js.Value) ([]library.File, time.Duration) {
	start := time.Now()
	out, values := describePosted(files, r)
	if !readTogether(values, out, pre) {
		var wg sync.WaitGroup
		for i, v := range values {
			wg.Go(func() { out[i].Data, out[i].Err = readValue(v, out[i].Name) })
		}
		wg.Wait()
	}
	return out, time.Since(start)
}

// describePosted returns the posted files with their names and times,
// not read, and the values posted.
func describePosted(files js.Value, r request) ([]library.File, []js.Value) {
	n := files.Length()
	out := make([]library.File, n)
	values := make([]js.Value, n)
	for i := range n {
		v := files.Index(i)
		f := library.File{Name: "?"}
		if i < len(r.Names) && r.Names[i] != "" {
			f.Name = r.Names[i]
		} else if name := fileName(v); name != "" {
			f.Name = name
		}
		if i < len(r.Modified) && r.Modified[i] > 0 {
			f.Modified = time.UnixMilli(r.Modified[i])
		} else if lm := v.Get("lastModified"); lm.Type() == js.TypeNumber {
			f.Modified = time.UnixMilli(int64(lm.Float()))
		}
		out[i], values[i] = f, v
	}
	return out, values
}

// together is what readTogether reads of the posted values: the Files
// among them (not bytes, not too large) in order, as one Blob's parts.
type together struct {
	parts js.Value // an array of the Files
	which []int    // their indexes among the values
	sizes []int
	total int
}

// planTogether returns the Files readTogether reads of values.
func planTogether(values []js.Value, out []library.File) together {
	u8 := js.Global().Get("Uint8Array")
	t := together{parts: js.Global().Get("Array").New()}
	for i, v := range values {
		if v.InstanceOf(u8) {
			continue
		}
		size := v.Get("size").Int()
		if library.TooLarge(out[i].Name, int64(size)) {
			continue
		}
		t.parts.Call("push", v)
		t.sizes, t.which, t.total = append(t.sizes, size), append(t.which, i), t.total+size
	}
	return t
}

// readTogether reads the Files among values in one read of a Blob made
// of them all, and cuts it at their sizes; bytes posted as Uint8Arrays
// are copied, and a File too large is not read. Reading each File on its
// own cost ~0.5 ms a file unloaded (2 ms under load), one Blob of 2,000
// of them 0.06-0.1 ms a file. pre, when it is an ArrayBuffer of the
// sizes' sum, is that read done ahead. It reports false, having set
// nothing, when the read failed (a file changed or vanished since it was
// picked) or did not give the sizes' sum: each is then read on its own,
// to say which failed.
func readTogether(values []js.Value, out []library.File, pre js.Value) bool {
	u8 := js.Global().Get("Uint8Array")
	t := planTogether(values, out)
	var data []byte
	if len(t.which) > 0 {
		buf := pre
		if !buf.Truthy() || buf.Get("byteLength").Int() != t.total {
			var err error
			buf, err = await(js.Global().Get("Blob").New(t.parts).Call("arrayBuffer"))
			if err != nil || buf.Get("byteLength").Int() != t.total {
				return false
			}
		}
		data = bytesOf(u8.New(buf))
	}
	for i, v := range values {
		if v.InstanceOf(u8) {
			out[i].Data = bytesOf(v)
		} else if size := int64(v.Get("size").Int()); library.TooLarge(out[i].Name, size) {
			out[i].Err = library.ErrTooLarge(size)
		}
	}
	for k, i := range t.which {
		out[i].Data, data = data[:t.sizes[k]:t.sizes[k]], data[t.sizes[k]:]
	}
	return true
}

// fileName is a File's path in a picked folder, else its name; "" for
// a Blob or bytes.
func fileName(v js.Value) string {
	for _, prop := range []string{"webkitRelativePath", "name"} {
		if s := v.Get(prop); s.Type() == js.TypeString && s.String() != "" {
			return s.String()
		}
	}
	return ""
}

// readValue reads a Blob (a File) or a Uint8Array.
func readValue(v js.Value, name string) ([]byte, error) {
	if v.InstanceOf(js.Global().Get("Uint8Array")) {
		return bytesOf(v), nil
	}
	if size := int64(v.Get("size").Float()); library.TooLarge(name, size) {
		return nil, library.ErrTooLarge(size)
	}
	buf, err := await(v.Call("arrayBuffer"))
	if err != nil {
		return nil, err
	}
	return bytesOf(js.Global().Get("Uint8Array").New(buf)), nil
}

// bytesOf copies a Uint8Array into Go memory.
func bytesOf(u js.Value) []byte {
	b := make([]byte, u.Length())
	js.CopyBytesToGo(b, u)
	return b
}

// await waits for a promise and returns its value, or its rejection as an
// error.
func await(p js.Value) (js.Value, error) {
	type outcome struct {
		v   js.Value
		err error
	}
	ch := make(chan outcome, 1)
	ok := js.FuncOf(func(this js.Value, args []js.Value) any {
		ch <- outcome{v: args[0]}
		return nil
	})
	fail := js.FuncOf(func(this js.Value, args []js.Value) any {
		msg := "the file could not be read"
		if len(args) > 0 && args[0].Truthy() {
			msg = args[0].Call("toString").String()
		}
		ch <- outcome{err: errors.New(msg)}
		return nil
	})
	defer ok.Release()
	defer fail.Release()
	p.Call("then", ok, fail)
	o := <-ch
	return o.v, o.err
}

// handleImport imports the files of an import request: parsed by the
// parse workers when they run, else read and parsed here.
func (im *importer) handleImport(ctx context.Context, r request, in incoming) (rep reply) {
	defer func() {
		if p := recover(); p != nil { // a bug: answered, and the worker goes on (as handle)
			rep = reply{ID: r.ID, Err: fmt.Sprintf("searchworker: internal error in the import: %v", p)}
			fmt.Println(rep.Err + "\n" + string(debug.Stack()))
		}
	}()
	if !isArray(in.files) {
		return reply{ID: r.ID, Err: "searchworker: an import without files"}
	}
	// a cancelled import has no next slice to wait for
	defer func() { im.sliceStored(in.files.Length(), r.Last || im.cancelled(r)) }()
	if im.cancelled(r) { // its parse, if any, is left unread
		return reply{ID: r.ID, Cancelled: true}
	}
	if in.parsing != nil {
		return im.handleParsed(ctx, r, in.parsing)
	}
	read, took := readPosted(in.files, r, js.Undefined())
	return im.importFiles(ctx, r, read, took)
}
