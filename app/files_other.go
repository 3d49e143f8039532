//go:build !(js && wasm)

package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// refsFromFileList has no browser files natively.
func refsFromFileList(list app.Value) []fileRef { return nil }

// dropSource has no browser drops natively.
func dropSource(e app.Event) importSource { return importSource{} }
