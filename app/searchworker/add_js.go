//go:build js && wasm

package main

import "errors"

// An "add" may come as an object {req: JSON, titles: [...], texts:
// [...]}: its documents in req without their titles and texts, which
// come as strings, one each, in the same order. Go's JSON decoder took
// ~2.4 s of a build of 10,000 articles (20.6 MB) in the worker under
// load, unescaping and checking the text a byte at a time; a string
// read across syscall/js is copied whole. The benchmark posts its adds
// so (app/e2e/testdata/searchbench/bench.js).

// errAddTexts: an add's titles or texts do not match its documents.
var errAddTexts = errors.New("searchworker: an add's titles and texts do not match its documents")

// fillDocs sets the titles and texts of r's documents from in, when
// they came beside its JSON.
func (in incoming) fillDocs(r *request) error {
	if in.texts.IsUndefined() {
		return nil
	}
	n := len(r.Docs)
	if !isArray(in.titles) || in.titles.Length() != n || in.texts.Length() != n {
		return errAddTexts
	}
	for i := range r.Docs {
		r.Docs[i].Title = in.titles.Index(i).String()
		r.Docs[i].Text = in.texts.Index(i).String()
	}
	return nil
}
