//go:build js && wasm

package main

import (
	"encoding/binary"
	"errors"
	"syscall/js"
	"unsafe"

	"github.com/broadsheet/broadsheet/app/search"
	"github.com/broadsheet/broadsheet/app/searchworker/message"
)

// An "add" may come as an object {req: JSON, titles: [...], texts:
// [...]}: its documents in req without their titles and texts, which
// come as strings, one each, in the same order. Go's JSON decoder took
// ~2.4 s of a build of 10,000 articles (20.6 MB) in the worker under
// load, unescaping and checking the text a byte at a time; a string
// read across syscall/js is copied whole. The benchmark posts its adds
// so (app/e2e/testdata/searchbench/bench.js).
//
// The strings of both arrays are encoded as UTF-8 by one call into
// JavaScript (encodeDocs: TextEncoder.encodeInto, each string into one
// buffer, their ends before them), copied once into Go, and sliced
// there: one crossing an add, no scan for separators in wasm, one
// allocation for all of an add's titles and texts. Joining each array
// with NUL in JavaScript, encoding the whole and splitting it in Go
// (strings.Split, a byte loop in wasm) took three times as long
// (BenchmarkDecodeAdd, with the JSON's IDs read by json.Unmarshal).

// errAddTexts: an add's titles or texts do not match its documents.
var errAddTexts = errors.New("searchworker: an add's titles and texts do not match its documents")

// decode reads the request in brings: its JSON, and the titles and
// texts of its documents when they came beside it.
func (in incoming) decode() (request, error) {
	var r request
	// ParseRequest neither keeps nor changes the bytes: not copied
	err := message.ParseRequest(unsafe.Slice(unsafe.StringData(in.msg), len(in.msg)), &r)
	if err == nil {
		err = in.fillDocs(&r)
	}
	return r, err
}

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
	if f := encodeDocs(); n > 0 && f.Truthy() && setEncoded(r.Docs, f.Invoke(in.titles, in.texts)) {
		return nil
	}
	for i := range r.Docs { // no Function constructor: a string at a time
		r.Docs[i].Title = stringOf(in.titles.Index(i))
		r.Docs[i].Text = stringOf(in.texts.Index(i))
	}
	return nil
}

// stringOf returns v as encodeDocsSource takes it: a string, "" for null
// and undefined, else what String(v) gives.
func stringOf(v js.Value) string {
	switch v.Type() {
	case js.TypeString:
		return v.String()
	case js.TypeNull, js.TypeUndefined:
		return ""
	}
	return js.Global().Get("String").Invoke(v).String()
}

// encodeDocsSource is encodeDocs' body. Its result is 8n bytes of
// ends, a little-endian uint32 for each string (title 0, text 0, title
// 1…: where it ends after the ends), then the strings in UTF-8. An
// element that is not a string is taken as Array.prototype.join takes
// it ("" for null and undefined). UTF-8 takes at most 3 bytes a UTF-16
// unit, so the buffer holds every string: encodeInto reads each whole.
// The buffer is kept for the next add, up to keepEncoded bytes (Go
// copies the result before it calls again): encoding into a new one took
// twice as long (Node: 3.5 ms an add of 1,000 documents, 1.7 into the
// same), its pages touched for the first time.
const encodeDocsSource = `
const n = titles.length, str = v => typeof v === "string" ? v : v == null ? "" : String(v);
let units = 0;
for (let i = 0; i < n; i++) units += str(titles[i]).length + str(texts[i]).length;
const head = 8 * n, size = head + 3 * units;
let buf = kept;
if (buf.length < size) {
	buf = new Uint8Array(size);
	if (size <= keep) kept = buf;
}
const ends = new Uint32Array(buf.buffer, 0, 2 * n);
let at = head;
for (let i = 0; i < n; i++) {
	at += enc.encodeInto(str(titles[i]), buf.subarray(at)).written;
	ends[2 * i] = at - head;
	at += enc.encodeInto(str(texts[i]), buf.subarray(at)).written;
	ends[2 * i + 1] = at - head;
}
return buf.subarray(0, at);`

// keepEncoded bounds the buffer encodeDocs keeps between adds: an add
// of 1,000 documents of 2 KB of Chinese text takes ~6 MB.
const keepEncoded = 16 << 20

// encodeDocsFunc is encodeDocs' function once made (a js.Value that is
// not Truthy where the Function constructor is refused).
var encodeDocsFunc *js.Value

// encodeDocs returns the function (titles, texts) -> encodeDocsSource's
// bytes, made on first use by the Function constructor, which a
// worker's Content-Security-Policy allows (none on GitHub Pages: see
// app/store/indexeddb/putbatch.go); undefined where it is refused.
func encodeDocs() js.Value {
	if encodeDocsFunc == nil {
		f := js.Undefined()
		func() {
			defer func() { recover() }() // a js.Error: refused
			outer := js.Global().Get("Function").New("enc", "keep", "let kept = new Uint8Array(0);\nreturn function(titles, texts) {"+encodeDocsSource+"\n}")
			f = outer.Invoke(js.Global().Get("TextEncoder").New(), keepEncoded)
		}()
		encodeDocsFunc = &f
	}
	return *encodeDocsFunc
}

// setEncoded copies u, encodeDocs' result for the titles and texts of
// docs, into Go and sets them, slices of one string; false (docs
// unchanged) if u is not such a result.
func setEncoded(docs []search.Doc, u js.Value) bool {
	head := 8 * len(docs)
	if u.Type() != js.TypeObject || u.Length() < head {
		return false
	}
	b := make([]byte, u.Length())
	js.CopyBytesToGo(b, u)
	at := 0
	for i := range 2 * len(docs) {
		end := int(binary.LittleEndian.Uint32(b[4*i:]))
		if end < at || head+end > len(b) {
			return false
		}
		at = end
	}
	all := unsafe.String(unsafe.SliceData(b), len(b))[head:]
	at = 0
	for i := range docs {
		t, x := int(binary.LittleEndian.Uint32(b[8*i:])), int(binary.LittleEndian.Uint32(b[8*i+4:]))
		docs[i].Title, docs[i].Text = all[at:t], all[t:x]
		at = x
	}
	return true
}
