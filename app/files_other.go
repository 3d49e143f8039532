//go:build !(js && wasm)

package main

import (
	"context"
	"os"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// refsFromFileList has no browser files natively.
func refsFromFileList(list app.Value) []fileRef { return nil }

// dropSource has no browser drops natively.
func dropSource(e app.Event) importSource { return importSource{} }

// diskRefs are refs to files on disk, the native twin of browser files.
func diskRefs(paths ...string) []fileRef {
	refs := make([]fileRef, 0, len(paths))
	for _, p := range paths {
		var ref fileRef
		ref.Name = p
		if fi, err := os.Stat(p); err == nil {
			ref.Size, ref.Modified = fi.Size(), fi.ModTime()
		}
		ref.read = func(context.Context) ([]byte, error) { return os.ReadFile(p) }
		refs = append(refs, ref)
	}
	return refs
}
