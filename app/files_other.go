//go:build !(js && wasm)

package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// filesSource has no browser files natively.
func filesSource(list app.Value) importSource { return importSource{} }

// dropSource has no browser drops natively.
func dropSource(e app.Event) importSource { return importSource{} }
