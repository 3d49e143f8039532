//go:build js && wasm

package main

import (
	"context"
	"errors"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// markVersion sets <html data-version>: tests and bug reports read it.
func markVersion(v string) {
	app.Window().Get("document").Get("documentElement").Call("setAttribute", "data-version", v)
}

// registerWorker registers the service worker (go-app's registration,
// taken out of app.js by the site writer) once the page shows a loaded
// library or article, or after registerWait: the worker's precaching then
// does not slow the first start. It waits: call it off the UI goroutine.
func registerWorker() {
	doc := app.Window().Get("document")
	for start := time.Now(); time.Since(start) < registerWait; {
		if doc.Call("querySelector", "[data-status=loaded]").Truthy() {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if f := app.Window().Get("goappInitServiceWorker"); f.Truthy() {
		f.Invoke()
	}
}

// registerWait bounds the wait for an interactive page before the service
// worker is registered.
const registerWait = 5 * time.Second

// watchUpdates calls check when another worker takes control of the page
// (a new version activated) and now, in case that happened while the app
// was loading; it asks for an update check whenever the page is shown
// again, so a long-open app notices a deploy.
func watchUpdates(check func()) {
	sw := app.Window().Get("navigator").Get("serviceWorker")
	if !sw.Truthy() {
		return
	}
	sw.Call("addEventListener", "controllerchange", app.FuncOf(func(this app.Value, args []app.Value) any {
		check()
		return nil
	}))
	doc := app.Window().Get("document")
	doc.Call("addEventListener", "visibilitychange", app.FuncOf(func(this app.Value, args []app.Value) any {
		if doc.Get("visibilityState").String() == "visible" {
			app.TryUpdate()
		}
		return nil
	}))
	check()
}

// errNoWorker says that no service worker controls the page.
var errNoWorker = errors.New("no service worker controls the page")

// workerVersion asks the worker controlling the page which version it
// serves (app-worker.js answers on a message port).
func workerVersion(ctx context.Context) (string, error) {
	ctl := app.Window().Get("navigator").Get("serviceWorker").Get("controller")
	if !ctl.Truthy() {
		return "", errNoWorker
	}
	ch := app.Window().Get("MessageChannel").New()
	answer := make(chan string, 1)
	onMsg := app.FuncOf(func(this app.Value, args []app.Value) any {
		answer <- arg0(args).Get("data").String()
		return nil
	})
	defer onMsg.Release()
	port := ch.Get("port1")
	port.Set("onmessage", onMsg)
	defer port.Call("close")
	ctl.Call("postMessage", map[string]any{"type": "broadsheet:version"}, []any{ch.Get("port2")})
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	select {
	case v := <-answer:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
