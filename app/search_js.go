//go:build js && wasm

package main

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// scrollToFirstMatch scrolls the reader's first search match to the
// middle of the window.
func scrollToFirstMatch() {
	m := app.Window().Get("document").Call("querySelector", "#reader mark.search-match")
	if m.Truthy() {
		m.Call("scrollIntoView", map[string]any{"block": "center"})
	}
}

// setRootData sets html[data-NAME] (figures for tests and benchmarks).
func setRootData(name string, v any) {
	app.Window().Get("document").Get("documentElement").Call("setAttribute", "data-"+name, fmt.Sprint(v))
}
