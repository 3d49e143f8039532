//go:build js && wasm

package main

import (
	"errors"
	"strings"
	"syscall/js"
	"unsafe"
)

// An "add" may come as an object {req: JSON, titles: [...], texts:
// [...]}: its documents in req without their titles and texts, which
// come as strings, one each, in the same order. Go's JSON decoder took
// ~2.4 s of a build of 10,000 articles (20.6 MB) in the worker under
// load, unescaping and checking the text a byte at a time; a string
// read across syscall/js is copied whole. The benchmark posts its adds
// so (app/e2e/testdata/searchbench/bench.js).
//
// Each array is read as one string, its strings joined by JavaScript
// with NUL between them, encoded as UTF-8 there and copied once into
// Go (js.String copies twice), and split here (joined): one crossing
// and one encoding an array, not one a string (two thousand an add of a
// thousand documents). An array whose strings hold a NUL is read a
// string at a time.

// errAddTexts: an add's titles or texts do not match its documents.
var errAddTexts = errors.New("searchworker: an add's titles and texts do not match its documents")

// fillDocs sets the titles and texts of r's documents from in, when
// they came beside its JSON.
func (in incoming) fillDocs(r *request) error {
	if in.texts.IsUndefined() {
		return nil
	}
	n := len(r.Docs)
	if !isArray(in.titles) || !isArray(in.texts) || in.titles.Length() != n || in.texts.Length() != n {
		return errAddTexts
	}
	titles, texts := joined(in.titles, n), joined(in.texts, n)
	for i := range r.Docs {
		r.Docs[i].Title = titles(i)
		r.Docs[i].Text = texts(i)
	}
	return nil
}

// joined reads the n strings of the array arr: the whole array in one
// string when no string holds a NUL, else each apart.
func joined(arr js.Value, n int) func(i int) string {
	if n > 1 {
		if parts := strings.Split(utf8Of(arr.Call("join", "\x00")), "\x00"); len(parts) == n {
			return func(i int) string { return parts[i] }
		}
	}
	return func(i int) string { return arr.Index(i).String() }
}

// textEncoder encodes JavaScript strings as UTF-8.
var textEncoder = js.Global().Get("TextEncoder").New()

// utf8Of returns the JavaScript string s as a Go string, copied once:
// its bytes are not written again.
func utf8Of(s js.Value) string {
	u := textEncoder.Call("encode", s)
	b := make([]byte, u.Length())
	js.CopyBytesToGo(b, u)
	return unsafe.String(unsafe.SliceData(b), len(b))
}
