//go:build js && wasm

package main

import (
	"context"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// filesSource keeps the files of an input's FileList (or a drop's) for
// an import. In the event handler it only copies the list into an array
// (one call; the list empties once the event returns): the files' names,
// sizes and times are read by the import worker, so picking 10,000 files
// does not hold the page in long tasks.
func filesSource(list app.Value) importSource {
	if !list.Truthy() || list.Length() == 0 {
		return importSource{}
	}
	files := app.Window().Get("Array").Call("from", list)
	return importSource{walk: func(ctx context.Context) []fileRef { return refsFromArray(files) }}
}

// refsFromArray turns an array of File objects into refs to its items:
// the import worker reads their names, sizes and times.
func refsFromArray(files app.Value) []fileRef {
	list := &fileList{files: files}
	refs := make([]fileRef, files.Length())
	for i := range refs {
		refs[i] = fileRef{list: list, index: i}
	}
	return refs
}

// blobRef is a ref to a browser File for the import worker, which reads
// its size and time itself: in the page each of those is a call into the
// browser's process (10,000 files: seconds of the page's thread).
func blobRef(f app.Value, name string) fileRef {
	return fileRef{Name: name, blob: f, read: func(ctx context.Context) ([]byte, error) {
		buf, err := await(f.Call("arrayBuffer"))
		if err != nil {
			return nil, err
		}
		return bytesOf(buf), nil
	}}
}

// dropSource reads a drop's items inside the drop handler (they are gone
// once it returns): entries of files and folders, walked later.
func dropSource(e app.Event) importSource {
	dt := e.Get("dataTransfer")
	if !dt.Truthy() {
		return importSource{}
	}
	items := dt.Get("items")
	if !items.Truthy() || items.Length() == 0 {
		return filesSource(dt.Get("files"))
	}
	var src importSource
	var entries []app.Value
	for i := 0; i < items.Length(); i++ {
		it := items.Index(i)
		if it.Get("kind").String() != "file" {
			continue
		}
		if it.Get("webkitGetAsEntry").Truthy() {
			if en := it.Call("webkitGetAsEntry"); en.Truthy() {
				entries = append(entries, en)
				continue
			}
		}
		if f := it.Call("getAsFile"); f.Truthy() {
			src.refs = append(src.refs, blobRef(f, f.Get("name").String()))
		}
	}
	if len(entries) > 0 {
		src.walk = func(ctx context.Context) []fileRef { return walkEntries(entries) }
	}
	return src
}

// walkEntries lists the files under file-system entries, depth first.
// An entry that cannot be read becomes a ref whose read fails, so it is
// reported with the others.
func walkEntries(entries []app.Value) []fileRef {
	var refs []fileRef
	for _, en := range entries {
		name := strings.TrimPrefix(en.Get("fullPath").String(), "/")
		if en.Get("isDirectory").Bool() {
			children, err := readDir(en)
			if err != nil {
				refs = append(refs, failedRef(name, err))
			}
			refs = append(refs, walkEntries(children)...)
			continue
		}
		f, err := callbacks(func(ok, fail app.Value) { en.Call("file", ok, fail) })
		if err != nil {
			refs = append(refs, failedRef(name, err))
			continue
		}
		refs = append(refs, blobRef(f, name))
	}
	return refs
}

// readDir returns every entry of a directory (readEntries gives them in
// batches until an empty one).
func readDir(dir app.Value) ([]app.Value, error) {
	r := dir.Call("createReader")
	var all []app.Value
	for {
		batch, err := callbacks(func(ok, fail app.Value) { r.Call("readEntries", ok, fail) })
		if err != nil {
			return all, err
		}
		if batch.Length() == 0 {
			return all, nil
		}
		for i := 0; i < batch.Length(); i++ {
			all = append(all, batch.Index(i))
		}
	}
}

// callbacks calls a callback-style API and waits for its answer.
func callbacks(call func(ok, fail app.Value)) (app.Value, error) {
	exec := app.FuncOf(func(this app.Value, args []app.Value) any {
		call(args[0], args[1])
		return nil
	})
	defer exec.Release()
	return await(app.Window().Get("Promise").New(exec))
}

// failedRef is a ref whose read reports err.
func failedRef(name string, err error) fileRef {
	return fileRef{Name: name, read: func(context.Context) ([]byte, error) { return nil, err }}
}
