//go:build js && wasm

package main

import (
	"context"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// watchLaunches hands the files the installed app is opened with (the
// manifest's file_handlers, delivered through window.launchQueue) to open.
func watchLaunches(open func(importSource)) {
	q := app.Window().Get("launchQueue")
	if !q.Truthy() {
		return
	}
	q.Call("setConsumer", app.FuncOf(func(this app.Value, args []app.Value) any {
		files := arg0(args).Get("files")
		if !files.Truthy() || files.Length() == 0 {
			return nil
		}
		refs := make([]fileRef, 0, files.Length())
		for i := 0; i < files.Length(); i++ {
			refs = append(refs, handleRef(files.Index(i)))
		}
		open(importSource{refs: refs})
		return nil
	}))
}

// handleRef is a ref to a FileSystemFileHandle: its file is read on import.
func handleRef(h app.Value) fileRef {
	return fileRef{
		Name: h.Get("name").String(),
		read: func(ctx context.Context) ([]byte, error) {
			f, err := await(h.Call("getFile"))
			if err != nil {
				return nil, err
			}
			buf, err := await(f.Call("arrayBuffer"))
			if err != nil {
				return nil, err
			}
			return bytesOf(buf), nil
		},
	}
}
